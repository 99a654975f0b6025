"""Checking a receiver URL when it is stored: http(s), well-formed, and an address we may reach.

The network guard runs before Django's URL validator so an odd IP spelling (`0177.0.0.1`)
is refused as blocked, with the reason, rather than as "not a valid URL".
"""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.core.validators import URLValidator

from flowbuilder.network import AddressBlocked, check_url


def checked_target_url(value: str) -> str:
    """The URL, or ValidationError with the reason it may not receive deliveries."""
    value = (value or "").strip()
    if not value.lower().startswith(("http://", "https://")):
        raise ValidationError("Use an http:// or https:// address.")
    try:
        check_url(value)
    except AddressBlocked as refused:
        raise ValidationError(f"The receiver address is not allowed: {refused}") from None
    except ValueError:  # urlsplit: an unclosed "[" (IPv6) or a port out of range
        raise ValidationError("Enter a valid URL: its host or port cannot be read.") from None
    URLValidator(schemes=["http", "https"])(value)
    return value
