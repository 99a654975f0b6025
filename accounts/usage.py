"""Usage counters: counted in Redis on the hot path, added to `UsageCounter` rows in batches.

`record_usage` (and the rate limiter, in the pipeline it sends anyway) adds to one Redis
hash per organization and day, `usage:<org>:<YYYY-MM-DD>`, and marks it in the set
`usage:dirty`: no database write per API call, hook call or run. `flush_usage` moves the
counts into the database — every scheduler pass, and before anything shows usage (the
usage API, the usage page, the dashboard), so what they show is exact:

- one flusher per hash at a time (`SET NX` lock); it reads the hash, adds it to the row in
  one transaction, then subtracts what it added (`HINCRBY -n`), so counts made meanwhile
  stay for the next pass;
- a process dying between that commit and the subtraction counts the batch twice (at
  least once, never lost); a Redis that loses its data loses what was not flushed yet
  (one scheduler interval, a second by default);
- if Redis cannot be reached, `record_usage` writes to the database directly.
"""

from __future__ import annotations

import logging
from datetime import date

from django.db import IntegrityError, transaction
from django.utils import timezone
from redis.exceptions import RedisError, WatchError

from accounts.models import UsageCounter
from flowbuilder.redis import get_redis

logger = logging.getLogger(__name__)
DIRTY = "usage:dirty"
FIELDS = ("api_calls", "executions", "steps", "ai_tokens", "test_executions", "editor_calls")
LOCK_SECONDS = 30


def usage_key(organization_id: str, day: date) -> str:
    return f"usage:{organization_id}:{day.isoformat()}"


def queue_usage(pipe, organization_id: str, amounts: dict[str, int]) -> None:
    """Add the counting commands to a pipeline the caller sends (one round trip in all)."""
    key = usage_key(organization_id, timezone.now().date())
    for field, amount in amounts.items():
        if amount:
            pipe.hincrby(key, field, amount)
    pipe.sadd(DIRTY, key)


def record_usage(organization_id: str, **amounts: int) -> None:
    """Add to today's usage counters (api_calls, executions, steps, ai_tokens)."""
    if not any(amounts.values()):
        return
    try:
        pipe = get_redis().pipeline(transaction=False)
        queue_usage(pipe, organization_id, amounts)
        pipe.execute()
    except (RedisError, OSError):
        logger.warning("usage counted in the database: Redis error", exc_info=True)
        write_usage(organization_id, timezone.now().date(), amounts)


def write_usage(organization_id: str, day: date, amounts: dict[str, int]) -> None:
    from accounts.services import add_to_daily_counter  # services imports this module

    add_to_daily_counter(UsageCounter, {"organization_id": organization_id, "date": day}, amounts)


def flush_usage(organization_id: str | None = None) -> int:
    """Move the counts waiting in Redis (all, or one organization's) into the database."""
    redis = get_redis()
    keys = sorted(key.decode() for key in redis.smembers(DIRTY))
    if organization_id is not None:
        keys = [key for key in keys if key.startswith(f"usage:{organization_id}:")]
    flushed = 0
    for key in keys:
        lock = f"usage:lock:{key}"
        if not redis.set(lock, 1, nx=True, ex=LOCK_SECONDS):
            continue  # another flusher has it
        try:
            flushed += flush_one(redis, key)
        finally:
            redis.delete(lock)
    return flushed


def flush_one(redis, key: str) -> int:
    _, organization_id, day = key.split(":")
    counts = {name.decode(): int(value) for name, value in redis.hgetall(key).items()}
    amounts = {name: value for name, value in counts.items() if name in FIELDS and value}
    if amounts:
        try:
            with transaction.atomic():
                write_usage(organization_id, date.fromisoformat(day), amounts)
        except IntegrityError:  # the organization was deleted: its counts go with it
            logger.info("dropping usage of a deleted organization %s", organization_id)
        pipe = redis.pipeline(transaction=False)
        for name, value in amounts.items():
            pipe.hincrby(key, name, -value)
        pipe.execute()
    forget_if_empty(redis, key)
    return 1 if amounts else 0


def forget_if_empty(redis, key: str) -> None:
    """Drop a hash whose counts are all flushed, unless one was added meanwhile (WATCH)."""
    with redis.pipeline() as pipe:
        try:
            pipe.watch(key)
            if any(int(value) for value in pipe.hvals(key)):
                pipe.unwatch()
                return
            pipe.multi()
            pipe.delete(key)
            pipe.srem(DIRTY, key)
            pipe.execute()
        except WatchError:
            pass  # counted again meanwhile: the next pass flushes it
