"""Sending to a customer: store the outbound message, then deliver it off the request path.

`send` writes the ChatMessage (pending) and, once committed, queues the conversation's
delivery job (chat.jobs: in order, with retries, through the channel's adapter). An
`idempotency_key` names one send: a node step replayed after a crash finds its message and
sends nothing twice.
"""

from __future__ import annotations

import datetime as dt
from functools import partial
from typing import Any

from django.db import IntegrityError, transaction
from django.utils import timezone

from chat.models import ChatMessage, Conversation, DeliveryState, Direction
from flowbuilder.redis import get_queue

DELIVERY_QUEUE = "webhooks"  # outbound HTTP shares the webhooks' queue and workers
MAX_TEXT = 4096


def send(
    conversation: Conversation,
    text: str,
    *,
    execution=None,
    idempotency_key: str | None = None,
    payload: dict[str, Any] | None = None,
) -> ChatMessage:
    text = str(text)[:MAX_TEXT]
    if idempotency_key:
        existing = ChatMessage.objects.filter(idempotency_key=idempotency_key).first()
        if existing is not None:
            return existing
    try:
        with transaction.atomic():
            message = ChatMessage.objects.create(
                conversation=conversation,
                direction=Direction.OUT,
                text=text,
                payload=payload,
                execution=execution,
                idempotency_key=idempotency_key or None,
                delivery_status=DeliveryState.PENDING,
            )
            Conversation.objects.filter(pk=conversation.pk).update(last_message_at=message.created_at)
            transaction.on_commit(partial(enqueue_delivery, conversation.pk))
    except IntegrityError:  # the same step sent it a moment ago (a concurrent replay)
        return ChatMessage.objects.get(idempotency_key=idempotency_key)
    return message


def enqueue_delivery(conversation_id: str, *, delay_seconds: float = 0, at=None) -> None:
    """Queue the conversation's delivery job (chat.jobs.deliver_conversation), now or later."""
    queue = get_queue(DELIVERY_QUEUE)
    options = {"result_ttl": 600, "failure_ttl": 86_400}
    if delay_seconds and at is None:
        at = timezone.now() + dt.timedelta(seconds=delay_seconds)
    if at is not None:
        queue.enqueue_at(at, "chat.jobs.deliver_conversation", conversation_id, **options)
    else:
        queue.enqueue("chat.jobs.deliver_conversation", conversation_id, **options)
