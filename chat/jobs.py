"""Delivering one outbound chat message through its channel's adapter, with retries."""

from __future__ import annotations

import logging

from chat.adapters import DeliveryError, adapter_for
from chat.models import ChatMessage, DeliveryState
from chat.outbound import enqueue_delivery

logger = logging.getLogger(__name__)

# Seconds to wait after attempts 1, 2, 3 and 4; attempt 5 is the last.
RETRY_DELAYS = (5, 30, 120, 600)
MAX_ATTEMPTS = len(RETRY_DELAYS) + 1


def deliver_message(message_id: str, attempt: int = 1) -> str | None:
    """Make attempt `attempt`; the claim (attempt_count attempt-1 → attempt) makes a duplicate job a no-op."""
    claimed = ChatMessage.objects.filter(
        pk=message_id, delivery_status=DeliveryState.PENDING, attempt_count=attempt - 1
    ).update(attempt_count=attempt)
    if not claimed:
        return None
    message = ChatMessage.objects.select_related("conversation__channel__project").get(pk=message_id)
    conversation = message.conversation
    channel = conversation.channel
    try:
        adapter_for(channel.type).deliver(channel, conversation, message)
    except DeliveryError as error:
        return _failed(message, attempt, str(error), error.retryable)
    except Exception as error:  # noqa: BLE001 - an adapter's bug fails this attempt, not the worker
        logger.exception("chat delivery %s crashed", message_id)
        return _failed(message, attempt, f"{type(error).__name__} while sending.", True)
    ChatMessage.objects.filter(pk=message_id).update(delivery_status=DeliveryState.SENT, last_error="")
    return DeliveryState.SENT


def _failed(message: ChatMessage, attempt: int, error: str, retryable: bool) -> str:
    if retryable and attempt < MAX_ATTEMPTS:
        ChatMessage.objects.filter(pk=message.pk).update(last_error=error[:1000])
        enqueue_delivery(message.pk, attempt + 1, delay_seconds=RETRY_DELAYS[attempt - 1])
        return DeliveryState.PENDING
    ChatMessage.objects.filter(pk=message.pk).update(delivery_status=DeliveryState.FAILED, last_error=error[:1000])
    logger.warning("chat message %s not delivered after %d attempt(s)", message.pk, attempt)
    return DeliveryState.FAILED
