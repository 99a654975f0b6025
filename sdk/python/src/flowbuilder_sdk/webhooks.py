"""Verify and parse the server's outbound webhook deliveries.

Each delivery is signed twice with the subscription's `whsec_…` secret (webhooks/signing.py):
- `X-WorkFlows-Signature: t=<unix seconds>,v1=<hex HMAC-SHA256 of "<t>.<raw body>">`, keyed with the
  whole secret text;
- Standard Webhooks: `webhook-id`, `webhook-timestamp`, `webhook-signature: v1,<base64 HMAC-SHA256 of
  "<id>.<timestamp>.<raw body>">`, keyed with the base64-decoded bytes after `whsec_`.
Verify the raw bytes before parsing them; comparisons are constant-time, and a timestamp further
than `tolerance` seconds from now is refused (a replay).
"""

from __future__ import annotations

import base64
import binascii
import hashlib
import hmac
import json
import time
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from flowbuilder_sdk.errors import WebhookVerificationError

SECRET_PREFIX = "whsec_"
DEFAULT_TOLERANCE = 300
EXECUTION_EVENTS = frozenset({"workflow.executed", "execution.failed"})


@dataclass(frozen=True)
class ExecutionEventData:
    """`data` of `workflow.executed` and `execution.failed`."""

    execution_id: str
    workflow_id: str
    status: str
    output: Any = None
    error: Any = None
    started_at: str | None = None
    completed_at: str | None = None
    duration_ms: int | None = None
    extra: dict[str, Any] = field(default_factory=dict, repr=False)


@dataclass(frozen=True)
class WebhookEvent:
    """A verified delivery: `type` (e.g. workflow.executed), `data` (ExecutionEventData for run ends, else a dict)."""

    id: str
    type: str
    timestamp: str
    data: Any
    raw: dict[str, Any] = field(repr=False)


def _lower(headers: Mapping[str, str]) -> dict[str, str]:
    return {str(key).lower(): str(value) for key, value in headers.items()}


def _check_timestamp(timestamp: str, tolerance: float, now: float | None) -> int:
    try:
        moment = int(timestamp)
    except (TypeError, ValueError):
        raise WebhookVerificationError("The signature's timestamp is not a number of seconds.") from None
    if abs((time.time() if now is None else now) - moment) > tolerance:
        raise WebhookVerificationError(f"The signature's timestamp is more than {tolerance:g} s from now: a replay?")
    return moment


def verify_workflows_signature(secret: str, body: bytes, header: str, *, tolerance: float = DEFAULT_TOLERANCE,
                               now: float | None = None) -> None:  # fmt: skip
    """Check `X-WorkFlows-Signature`; raises WebhookVerificationError when it does not match."""
    try:
        parts = dict(item.strip().split("=", 1) for item in header.split(","))
        timestamp, given = parts["t"], parts["v1"]
    except (KeyError, ValueError):
        raise WebhookVerificationError("X-WorkFlows-Signature is not of the form t=<seconds>,v1=<hex>.") from None
    moment = _check_timestamp(timestamp, tolerance, now)
    expected = hmac.new(secret.encode(), f"{moment}.".encode() + body, hashlib.sha256).hexdigest()
    if not hmac.compare_digest(expected, given):
        raise WebhookVerificationError("X-WorkFlows-Signature does not match the body and secret.")


def standard_key(secret: str) -> bytes:
    try:
        return base64.b64decode(secret[len(SECRET_PREFIX):] if secret.startswith(SECRET_PREFIX) else secret,
                                validate=True)  # fmt: skip
    except binascii.Error:
        raise WebhookVerificationError("The secret is not whsec_ followed by base64.") from None


def verify_standard_webhook(secret: str, body: bytes, *, message_id: str, timestamp: str, signature: str,
                            tolerance: float = DEFAULT_TOLERANCE, now: float | None = None) -> None:  # fmt: skip
    """Check the Standard Webhooks headers; any one `v1,<base64>` entry of `webhook-signature` may match."""
    _check_timestamp(timestamp, tolerance, now)
    signed = f"{message_id}.{timestamp}.".encode() + body
    expected = base64.b64encode(hmac.new(standard_key(secret), signed, hashlib.sha256).digest()).decode()
    for entry in signature.split():
        version, _, given = entry.partition(",")
        if version == "v1" and hmac.compare_digest(expected, given):
            return
    raise WebhookVerificationError("webhook-signature does not match the body and secret.")


def verify(secret: str, body: bytes | str, headers: Mapping[str, str], *, tolerance: float = DEFAULT_TOLERANCE,
           now: float | None = None) -> None:  # fmt: skip
    """Check a delivery by every signature scheme it carries (at least one is required)."""
    raw = body.encode() if isinstance(body, str) else bytes(body)
    lower = _lower(headers)
    checked = False
    if "x-workflows-signature" in lower:
        verify_workflows_signature(secret, raw, lower["x-workflows-signature"], tolerance=tolerance, now=now)
        checked = True
    if "webhook-signature" in lower:
        if "webhook-id" not in lower or "webhook-timestamp" not in lower:
            raise WebhookVerificationError("webhook-signature came without webhook-id and webhook-timestamp.")
        verify_standard_webhook(secret, raw, message_id=lower["webhook-id"], timestamp=lower["webhook-timestamp"],
                                signature=lower["webhook-signature"], tolerance=tolerance, now=now)  # fmt: skip
        checked = True
    if not checked:
        raise WebhookVerificationError("No X-WorkFlows-Signature or webhook-signature header: not a signed delivery.")


def parse_event(body: bytes | str) -> WebhookEvent:
    """A delivery's JSON as a WebhookEvent (call `verify` first, or use `construct_event`)."""
    try:
        payload = json.loads(body)
        event_type, data = payload["type"], payload.get("data")
    except (ValueError, TypeError, KeyError):
        raise WebhookVerificationError("The body is not a Flowbuilder event (JSON with id, type, data).") from None
    if event_type in EXECUTION_EVENTS and isinstance(data, dict):
        names = [name for name in ExecutionEventData.__dataclass_fields__ if name != "extra"]
        known: dict[str, Any] = {name: data.get(name) for name in names}
        extra = {key: value for key, value in data.items() if key not in known}
        data = ExecutionEventData(**known, extra=extra)
    return WebhookEvent(id=payload.get("id", ""), type=event_type, timestamp=payload.get("timestamp", ""),
                        data=data, raw=payload)  # fmt: skip


def construct_event(body: bytes | str, headers: Mapping[str, str], secret: str, *,
                    tolerance: float = DEFAULT_TOLERANCE, now: float | None = None) -> WebhookEvent:  # fmt: skip
    """Verify a delivery, then parse it: `event = construct_event(request.body, request.headers, secret)`."""
    verify(secret, body, headers, tolerance=tolerance, now=now)
    return parse_event(body)
