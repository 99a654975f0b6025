"""Signing secrets and the signature headers of a delivery. Pure functions, no Django.

Two schemes from one secret (`whsec_<base64>`):
- `X-WorkFlows-Signature: t=<unix seconds>,v1=<hex HMAC-SHA256 of "<t>.<raw body>">`, keyed
  with the whole secret string as the receiver holds it (Stripe's shape);
- the Standard Webhooks headers `webhook-id`, `webhook-timestamp` and
  `webhook-signature: v1,<base64 HMAC-SHA256 of "<id>.<timestamp>.<raw body>">`, keyed with
  the base64-decoded bytes after `whsec_`, as that spec says, so its libraries verify them.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import secrets

SECRET_PREFIX = "whsec_"
SECRET_BYTES = 24


def generate_secret() -> str:
    return SECRET_PREFIX + base64.b64encode(secrets.token_bytes(SECRET_BYTES)).decode()


def sign_workflows(secret: str, body: bytes, timestamp: int) -> str:
    """The `X-WorkFlows-Signature` value."""
    digest = hmac.new(secret.encode(), f"{timestamp}.".encode() + body, hashlib.sha256).hexdigest()
    return f"t={timestamp},v1={digest}"


def sign_standard(secret: str, message_id: str, body: bytes, timestamp: int) -> str:
    """The Standard Webhooks `webhook-signature` value."""
    key = base64.b64decode(secret.removeprefix(SECRET_PREFIX))
    signed = f"{message_id}.{timestamp}.".encode() + body
    digest = hmac.new(key, signed, hashlib.sha256).digest()
    return "v1," + base64.b64encode(digest).decode()


def signature_headers(secret: str, *, delivery_id: str, event_type: str, body: bytes, timestamp: int) -> dict[str, str]:
    return {
        "X-WorkFlows-Signature": sign_workflows(secret, body, timestamp),
        "X-WorkFlows-Event": event_type,
        "X-WorkFlows-Delivery": delivery_id,
        "webhook-id": delivery_id,
        "webhook-timestamp": str(timestamp),
        "webhook-signature": sign_standard(secret, delivery_id, body, timestamp),
    }
