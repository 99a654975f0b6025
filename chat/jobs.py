"""Delivering a conversation's outbound messages, in order, through its channel's adapter.

One job per conversation at a time sends its pending messages oldest first: a customer
never reads the second message before the first. A failed attempt is retried after
RETRY_DELAYS and holds the messages behind it (head of line) until it is sent or given up.
The Redis lock keeps two workers off one conversation; a job that finds it taken comes
back a second later, and the holder looks again for new messages before it lets go.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import logging

from django.utils import timezone
from redis.exceptions import LockError

from chat.adapters import DeliveryError, adapter_for
from chat.models import ChatMessage, DeliveryState
from flowbuilder.redis import get_redis

logger = logging.getLogger(__name__)

# Seconds to wait after attempts 1, 2, 3 and 4; attempt 5 is the last.
RETRY_DELAYS = (5, 30, 120, 600)
MAX_ATTEMPTS = len(RETRY_DELAYS) + 1
LOCK_SECONDS = 120
BUSY_RETRY_SECONDS = 1
MAX_PER_JOB = 200


def deliver_conversation(conversation_id: str) -> int:
    """Send what is due in the conversation; the number of messages sent."""
    from chat.outbound import enqueue_delivery

    lock = get_redis().lock(f"chat:delivering:{conversation_id}", timeout=LOCK_SECONDS, blocking=False)
    if not lock.acquire(blocking=False):
        enqueue_delivery(conversation_id, delay_seconds=BUSY_RETRY_SECONDS)
        return 0
    sent = 0
    try:
        for _ in range(MAX_PER_JOB):
            message = _next_pending(conversation_id)
            if message is None:
                break
            if message.next_attempt_at and message.next_attempt_at > timezone.now():
                enqueue_delivery(conversation_id, at=message.next_attempt_at)
                break
            if not _attempt(message):
                break
            sent += 1
    finally:
        with contextlib.suppress(LockError):  # held past LOCK_SECONDS: another job may carry on
            lock.release()
    return sent


def _next_pending(conversation_id: str) -> ChatMessage | None:
    return (
        ChatMessage.objects.select_related("conversation__channel__project")
        .filter(conversation_id=conversation_id, delivery_status=DeliveryState.PENDING)
        .order_by("created_at", "id")
        .first()
    )


def _attempt(message: ChatMessage) -> bool:
    """One attempt; True when the message left (or was given up), so the next one may go."""
    from chat.outbound import enqueue_delivery

    attempt = message.attempt_count + 1
    ChatMessage.objects.filter(pk=message.pk).update(attempt_count=attempt)
    conversation = message.conversation
    channel = conversation.channel
    try:
        adapter_for(channel.type).deliver(channel, conversation, message)
    except DeliveryError as error:
        failure, retryable = str(error), error.retryable
    except Exception as error:  # noqa: BLE001 - an adapter's bug fails this attempt, not the worker
        logger.exception("chat delivery of %s crashed", message.pk)
        failure, retryable = f"{type(error).__name__} while sending.", True
    else:
        ChatMessage.objects.filter(pk=message.pk).update(
            delivery_status=DeliveryState.SENT, last_error="", next_attempt_at=None
        )
        return True
    if retryable and attempt < MAX_ATTEMPTS:
        due = timezone.now() + dt.timedelta(seconds=RETRY_DELAYS[attempt - 1])
        ChatMessage.objects.filter(pk=message.pk).update(last_error=failure[:1000], next_attempt_at=due)
        enqueue_delivery(conversation.pk, at=due)
        return False
    ChatMessage.objects.filter(pk=message.pk).update(
        delivery_status=DeliveryState.FAILED, last_error=failure[:1000], next_attempt_at=None
    )
    logger.warning("chat message %s not delivered after %d attempt(s)", message.pk, attempt)
    return True
