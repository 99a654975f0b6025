"""Short-lived, single-use WebSocket tickets, so no API key travels in a URL.

A program (or page) asks `POST /api/v1/ws-tickets` with its usual credentials and gets a
random ticket valid for FLOWBUILDER_WS_TICKET_SECONDS (60 s). The ticket is kept in Redis
under its SHA-256 with who asked for it, and GETDEL takes it out on first use, so it opens
one connection at most. Redeeming re-checks that the key or member is still allowed.
"""

from __future__ import annotations

import hashlib
import json
import secrets
import time
from dataclasses import dataclass

from django.conf import settings

from accounts.models import ApiKey, Membership
from accounts.services import InvalidApiKey, effective_key_role
from flowbuilder.redis import get_redis


class InvalidTicket(Exception):
    """Unknown, used or expired; the message never echoes the ticket."""


@dataclass(frozen=True)
class IssuedTicket:
    ticket: str
    expires_in: int


def _redis_key(ticket: str) -> str:
    return "ws-ticket:" + hashlib.sha256(ticket.encode()).hexdigest()


def issue_ws_ticket(*, organization_id: str, api_key: ApiKey | None = None, user=None) -> IssuedTicket:
    ticket = secrets.token_urlsafe(32)
    lifetime = settings.FLOWBUILDER_WS_TICKET_SECONDS
    holder = {
        "organization_id": organization_id,
        "api_key_id": api_key.pk if api_key is not None else None,
        "user_id": user.pk if api_key is None and user is not None else None,
        "issued_at": time.time(),
    }
    # Redis drops it a little after it expires; the age check below is the exact limit.
    get_redis().set(_redis_key(ticket), json.dumps(holder), ex=lifetime + 5)
    return IssuedTicket(ticket=ticket, expires_in=lifetime)


def redeem_ws_ticket(ticket: str) -> str:
    """The organization id the ticket was issued for; it cannot be used again."""
    raw = get_redis().getdel(_redis_key(ticket))
    if raw is None:
        raise InvalidTicket("Unknown or already used ticket.")
    holder = json.loads(raw)
    if time.time() - holder["issued_at"] > settings.FLOWBUILDER_WS_TICKET_SECONDS:
        raise InvalidTicket("This ticket has expired.")
    organization_id = holder["organization_id"]
    if holder["api_key_id"]:
        api_key = ApiKey.objects.filter(pk=holder["api_key_id"]).first()
        if api_key is None or api_key.status != "active":
            raise InvalidTicket("The API key behind this ticket is no longer active.")
        try:
            effective_key_role(api_key)
        except InvalidApiKey as error:
            raise InvalidTicket(str(error)) from None
    elif not Membership.objects.filter(user_id=holder["user_id"], organization_id=organization_id).exists():
        raise InvalidTicket("The member behind this ticket no longer belongs to the organization.")
    return organization_id
