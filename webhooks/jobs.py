"""RQ entry point for webhook deliveries: ids in, one service call."""

from __future__ import annotations

from webhooks.delivery import attempt_delivery


def deliver_webhook(delivery_id: str, number: int, automatic_retries: bool = True) -> str:
    attempt = attempt_delivery(delivery_id, number, automatic_retries=automatic_retries)
    if attempt is None:
        return "skipped"
    return "succeeded" if attempt.succeeded else "failed"
