"""Sending one attempt of a delivery, recording it, and scheduling the next one.

Outbound requests go through the engine's GuardedHttpClient, which refuses the IANA
special-purpose ranges and cloud metadata addresses (after DNS, on every redirect) unless
`FLOWBUILDER_NETWORK_ALLOW_LIST` lets them through. The URL was checked at creation too.
"""

from __future__ import annotations

import datetime as dt
import time
from dataclasses import dataclass
from typing import Protocol

from django.db import transaction
from django.utils import timezone

from flowbuilder.network import allow_list
from webhooks.models import Delivery, DeliveryAttempt, DeliveryStatus
from webhooks.services import PAUSED_MESSAGE, enqueue_attempt
from webhooks.signing import signature_headers
from workflows.engine.http_client import BlockedAddressError, GuardedHttpClient, HttpClientError

TIMEOUT_SECONDS = 10.0
# Waits after attempts 1, 2, 3 and 4; attempt 5 is the last.
RETRY_DELAYS = (
    dt.timedelta(minutes=1),
    dt.timedelta(minutes=5),
    dt.timedelta(minutes=15),
    dt.timedelta(minutes=30),
)
MAX_ATTEMPTS = len(RETRY_DELAYS) + 1
KEPT_RESPONSE_BYTES = 2048
# Receivers answer briefly; a larger answer is cut off rather than read.
MAX_RESPONSE_BYTES = 256 * 1024


@dataclass(frozen=True)
class SendOutcome:
    response_code: int | None
    response_body: bytes
    error: str
    duration_ms: int
    # A refused address will be refused again: retrying it only delays the failure.
    retryable: bool = True

    @property
    def succeeded(self) -> bool:
        return self.response_code is not None and 200 <= self.response_code < 300


class WebhookSender(Protocol):
    def post(self, url: str, body: bytes, headers: dict[str, str], timeout: float) -> SendOutcome: ...


class GuardedWebhookSender:
    def post(self, url: str, body: bytes, headers: dict[str, str], timeout: float) -> SendOutcome:
        client = GuardedHttpClient(
            allow_list=allow_list(),
            timeout_seconds=timeout,
            max_response_bytes=MAX_RESPONSE_BYTES,
        )
        started = time.monotonic()
        try:
            response = client.request("POST", url, headers=headers, content=body)
        except BlockedAddressError as error:
            return SendOutcome(None, b"", str(error), _elapsed_ms(started), retryable=False)
        except HttpClientError as error:
            return SendOutcome(None, b"", str(error), _elapsed_ms(started))
        finally:
            client.close()
        error = "" if 200 <= response.status < 300 else f"The receiver answered HTTP {response.status}."
        return SendOutcome(response.status, response.body, error, _elapsed_ms(started))


def _elapsed_ms(started: float) -> int:
    return int((time.monotonic() - started) * 1000)


def attempt_delivery(
    delivery_id: str,
    number: int,
    *,
    automatic_retries: bool = True,
    sender: WebhookSender | None = None,
) -> DeliveryAttempt | None:
    """Make attempt `number` of a delivery; None when there is nothing (more) to do.

    The attempt is claimed by moving `attempt_count` from number-1 to number, so a job that
    runs twice, or late after a manual retry, sends nothing. The claim's time tells the
    outbox sweep when a worker died while sending (webhooks.outbox).
    """
    claimed = Delivery.objects.filter(pk=delivery_id, status=DeliveryStatus.PENDING, attempt_count=number - 1).update(
        attempt_count=number, next_attempt_at=None, claimed_at=timezone.now()
    )
    if not claimed:
        return None
    delivery = Delivery.objects.select_related("subscription").get(pk=delivery_id)
    subscription = delivery.subscription
    if not subscription.enabled:
        finish_delivery(delivery, DeliveryStatus.FAILED, PAUSED_MESSAGE, attempt_count=number - 1)
        return None
    body = delivery.body.encode()
    headers = {
        "Content-Type": "application/json",
        "User-Agent": "Flowbuilder-Webhooks/1.0",
        **signature_headers(
            subscription.signing_secret,
            delivery_id=delivery.id,
            event_type=delivery.event_type,
            body=body,
            timestamp=int(time.time()),
        ),
    }
    started_at = timezone.now()
    outcome = (sender or GuardedWebhookSender()).post(subscription.url, body, headers, TIMEOUT_SECONDS)
    return _record(delivery, number, started_at, outcome, automatic_retries=automatic_retries)


def _record(
    delivery: Delivery,
    number: int,
    started_at: dt.datetime,
    outcome: SendOutcome,
    *,
    automatic_retries: bool,
) -> DeliveryAttempt | None:
    finished_at = timezone.now()
    with transaction.atomic():
        still_ours = Delivery.objects.select_for_update().filter(
            pk=delivery.pk, attempt_count=number, claimed_at=delivery.claimed_at
        )
        if not still_ours.exists():  # too slow: the sweep gave this attempt up and sent the next
            return None
        attempt = DeliveryAttempt.objects.create(
            delivery=delivery,
            number=number,
            succeeded=outcome.succeeded,
            response_code=outcome.response_code,
            response_body=outcome.response_body[:KEPT_RESPONSE_BYTES].decode("utf-8", "replace"),
            duration_ms=outcome.duration_ms,
            error=outcome.error,
            started_at=started_at,
            finished_at=finished_at,
        )
        if outcome.succeeded:
            finish_delivery(delivery, DeliveryStatus.SUCCEEDED, "")
        elif automatic_retries and outcome.retryable and number < MAX_ATTEMPTS:
            _schedule_retry(delivery, number, finished_at + RETRY_DELAYS[number - 1], outcome.error)
        else:
            finish_delivery(delivery, DeliveryStatus.FAILED, outcome.error)
    return attempt


def _schedule_retry(delivery: Delivery, number: int, at: dt.datetime, error: str) -> None:
    delivery.next_attempt_at = at
    delivery.claimed_at = None
    delivery.last_error = error
    delivery.save(update_fields=["next_attempt_at", "claimed_at", "last_error"])
    # An exact time rather than a delay, so the row and RQ's schedule agree to the second.
    transaction.on_commit(lambda: enqueue_attempt(delivery.id, number + 1, at=at))


def finish_delivery(delivery: Delivery, status: str, error: str, *, attempt_count: int | None = None) -> None:
    delivery.status = status
    delivery.last_error = error
    delivery.next_attempt_at = None
    delivery.claimed_at = None
    delivery.completed_at = timezone.now()
    fields = ["status", "last_error", "next_attempt_at", "claimed_at", "completed_at"]
    if attempt_count is not None:
        delivery.attempt_count = attempt_count
        fields.append("attempt_count")
    delivery.save(update_fields=fields)
