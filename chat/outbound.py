"""Sending to a customer: store the outbound message, then deliver it off the request path.

`send` writes the ChatMessage (pending) and, once committed, queues `chat.jobs.deliver_message`;
the job calls the channel's adapter and retries on its own schedule (chat.jobs). An
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
            transaction.on_commit(partial(enqueue_delivery, message.id, 1))
    except IntegrityError:  # the same step sent it a moment ago (a concurrent replay)
        return ChatMessage.objects.get(idempotency_key=idempotency_key)
    return message


def enqueue_delivery(message_id: str, attempt: int, *, delay_seconds: float = 0) -> None:
    queue = get_queue(DELIVERY_QUEUE)
    options = {"job_id": f"chat-{message_id}-{attempt}", "result_ttl": 600, "failure_ttl": 86_400}
    if delay_seconds:
        queue.enqueue_at(
            timezone.now() + dt.timedelta(seconds=delay_seconds),
            "chat.jobs.deliver_message", message_id, attempt, **options,
        )  # fmt: skip
    else:
        queue.enqueue("chat.jobs.deliver_message", message_id, attempt, **options)
