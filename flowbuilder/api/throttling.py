"""Rate limits per organization and plan, per minute and per day, counted in Redis.

Fixed windows: one counter per organization per minute and per day, so every web process
(and the embedded stand-in) shares them. Inbound hooks (`/hooks/<token>`) count per hook
against their own per-plan limits (`settings.HOOK_RATE_LIMITS`), never the API's.
"""

from __future__ import annotations

import logging
import time
from dataclasses import dataclass

from django.conf import settings
from redis.exceptions import RedisError
from rest_framework.throttling import BaseThrottle

from accounts.usage import queue_usage
from flowbuilder.redis import get_redis

logger = logging.getLogger(__name__)
WINDOWS = (("minute", 60), ("day", 86_400))


@dataclass(frozen=True)
class RateLimitState:
    limit: int
    remaining: int
    reset: int  # unix seconds at which the window that constrains us resets
    exceeded: bool

    @property
    def retry_after(self) -> int:
        return max(1, self.reset - int(clock()))


def rate_limit_headers(state: RateLimitState) -> dict[str, str]:
    """X-RateLimit-Limit/Remaining/Reset, and Retry-After once the limit is exceeded."""
    headers = {
        "X-RateLimit-Limit": str(state.limit),
        "X-RateLimit-Remaining": str(state.remaining),
        "X-RateLimit-Reset": str(state.reset),
    }
    if state.exceeded:
        headers["Retry-After"] = str(state.retry_after)
    return headers


def clock() -> float:
    """The time the windows follow (tests hold it inside one window)."""
    return time.time()


def hit(
    organization_id: str,
    plan: str,
    *,
    now: float | None = None,
    table: dict | None = None,
    usage_of: str | None = None,
    usage_field: str = "api_calls",
) -> RateLimitState:
    """Count one request for the counter and say where it stands.

    `table` maps plans to (per minute, per day): the API's `RATE_LIMITS` unless given.
    `usage_of`: also count one API call in that organization's usage, in the same round trip.
    """
    now = clock() if now is None else now
    table = settings.RATE_LIMITS if table is None else table
    limits = table.get(plan, table["free"])
    pipe = get_redis().pipeline()
    windows = []
    for (name, seconds), limit in zip(WINDOWS, limits, strict=True):
        window_start = int(now // seconds) * seconds
        key = f"ratelimit:{organization_id}:{name}:{window_start}"
        pipe.incr(key)
        pipe.expire(key, seconds + 60)
        windows.append((limit, window_start + seconds))
    if usage_of is not None:
        queue_usage(pipe, usage_of, {usage_field: 1})
    counts = pipe.execute()[: 2 * len(WINDOWS) : 2]
    states = [
        RateLimitState(limit=limit, remaining=max(0, limit - count), reset=reset, exceeded=count > limit)
        for (limit, reset), count in zip(windows, counts, strict=True)
    ]
    exceeded = [state for state in states if state.exceeded]
    if exceeded:
        return max(exceeded, key=lambda state: state.reset)
    # Report the window closest to running out, so clients slow down in time.
    return min(states, key=lambda state: (state.remaining / state.limit, state.reset))


def usage_field(access) -> str:
    """Calls with an API key are the API use a plan meters; the product's own pages and editor
    (a session) are counted apart as `editor_calls`, so editing and test runs do not inflate it."""
    return "api_calls" if access is not None and access.api_key else "editor_calls"


def count_request(request, organization, *, meter: bool = False) -> RateLimitState | None:
    """Count an API request against its organization's budget, once per request.

    `meter`: also count the call in the organization's usage, in the same round trip (the
    request is then marked `usage_counted`, so the middleware does not count it again).

    The state is kept on the Django request, where ApiResponseHeadersMiddleware turns it into
    the X-RateLimit-* headers. None when counting failed: the request is served rather than
    take the API down with the counter (Redis unreachable, a broken connection); it is logged.
    """
    django_request = getattr(request, "_request", request)
    state = getattr(django_request, "ratelimit", None)
    if state is not None:
        return state
    try:
        field = usage_field(getattr(request, "access", None))
        state = hit(organization.id, organization.plan, usage_of=organization.id if meter else None, usage_field=field)
    except (RedisError, OSError, ValueError):
        logger.warning("rate limit not counted: Redis error", exc_info=True)
        return None
    django_request.ratelimit = state
    django_request.usage_counted = meter
    return state


class OrganizationRateThrottle(BaseThrottle):
    def allow_request(self, request, view):
        access = getattr(request, "access", None)
        if access is None:
            return True
        # The API call is metered in the same round trip (the middleware meters it otherwise).
        self.state = count_request(request, access.organization, meter=True)
        return self.state is None or not self.state.exceeded

    def wait(self):
        return self.state.retry_after
