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
import binascii
import hashlib
import hmac
import secrets

SECRET_PREFIX = "whsec_"
SECRET_BYTES = 24


def generate_secret() -> str:
    return SECRET_PREFIX + base64.b64encode(secrets.token_bytes(SECRET_BYTES)).decode()


def secret_problem(secret: str) -> str | None:
    """Why a caller's own secret is unfit (Standard Webhooks: whsec_ + base64 of 24-64 bytes), or None."""
    if not secret.startswith(SECRET_PREFIX):
        return f"The secret must start with {SECRET_PREFIX}."
    try:
        key = base64.b64decode(secret.removeprefix(SECRET_PREFIX), validate=True)
    except (ValueError, binascii.Error):
        return f"After {SECRET_PREFIX}, the secret must be standard base64."
    if not 24 <= len(key) <= 64:
        return "The secret must hold 24 to 64 bytes (32 to 88 base64 characters)."
    return None


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


def standard_key(secret: str) -> bytes:
    """The HMAC key of a Standard Webhooks secret: base64 after `whsec_`, else the raw text."""
    if secret.startswith(SECRET_PREFIX):
        try:
            return base64.b64decode(secret.removeprefix(SECRET_PREFIX), validate=True)
        except ValueError:
            pass  # not base64 after all: use it as it is
    return secret.encode()


def standard_signature_matches(secret: str, message_id: str, timestamp: str, body: bytes, header: str) -> bool:
    """True when one `v1,<base64>` entry of a `webhook-signature` header signs id, timestamp and body.

    The header may list several space-separated signatures (a sender rotating its secret).
    """
    signed = f"{message_id}.{timestamp}.".encode() + body
    expected = base64.b64encode(hmac.new(standard_key(secret), signed, hashlib.sha256).digest())
    for entry in header.split():
        version, _, given = entry.partition(",")
        if version == "v1" and hmac.compare_digest(expected, given.encode()):
            return True
    return False
