"""Rate limits per channel and per customer, counted in Redis like the API's (flowbuilder.api.throttling).

Each channel sets its own per-minute limits (`rate_limit_per_minute` for the whole channel,
`customer_rate_limit_per_minute` for one sender); the day's limit is 24 × 60 of them. A
customer who floods gets one polite reply per window and starts no run; when Redis cannot
be reached the message is served, as the API does.
"""

from __future__ import annotations

import hashlib
import logging
from dataclasses import dataclass

from redis.exceptions import RedisError

from flowbuilder.api.throttling import hit
from flowbuilder.redis import get_redis

logger = logging.getLogger(__name__)

POLITE_REPLY = "You are sending messages faster than we can answer. Please wait a minute, then write again."


@dataclass(frozen=True)
class Limited:
    scope: str  # "channel" or "customer"
    retry_after: int
    reset: int


def _customer_key(channel, customer_id: str) -> str:
    digest = hashlib.sha256(customer_id.encode()).hexdigest()[:24]
    return f"{channel.project.organization_id}:chat:{channel.id}:{digest}"


def check(channel, customer_id: str) -> Limited | None:
    """Count the message against the channel's and the customer's windows; Limited when over either."""
    organization_id = channel.project.organization_id
    try:
        for scope, key, per_minute in (
            ("channel", f"{organization_id}:chat:{channel.id}", channel.rate_limit_per_minute),
            ("customer", _customer_key(channel, customer_id), channel.customer_rate_limit_per_minute),
        ):
            state = hit(key, "free", table={"free": (per_minute, per_minute * 1440)})
            if state.exceeded:
                return Limited(scope, state.retry_after, state.reset)
    except (RedisError, OSError, ValueError):
        logger.warning("chat rate limit not counted: Redis error", exc_info=True)
    return None


def first_notice(channel, customer_id: str, limited: Limited) -> bool:
    """True once per customer and window: the one time the polite reply is sent."""
    try:
        key = f"chat:flood-notice:{_customer_key(channel, customer_id)}:{limited.reset}"
        return bool(get_redis().set(key, 1, nx=True, ex=max(limited.retry_after, 1) + 60))
    except (RedisError, OSError):
        return False
