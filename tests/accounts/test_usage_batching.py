"""Usage is counted in Redis on the hot path and added to the database in batches (D19)."""

from __future__ import annotations

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from accounts import usage
from accounts.models import UsageCounter
from flowbuilder.redis import get_redis

pytestmark = pytest.mark.django_db


def usage_writes(queries) -> list[str]:
    return [q["sql"] for q in queries if "accounts_usagecounter" in q["sql"] and not q["sql"].startswith("SELECT")]


def test_an_api_call_writes_no_usage_row_and_counts_in_the_rate_limiters_round_trip(alice_api, acme):
    with CaptureQueriesContext(connection) as queries:
        assert alice_api.get("/api/v1/projects").status_code == 200
    assert usage_writes(queries.captured_queries) == []
    assert not UsageCounter.objects.filter(organization=acme).exists()
    today = timezone.now().date()
    assert get_redis().hget(usage.usage_key(acme.id, today), "api_calls") == b"1"

    assert usage.flush_usage() == 1
    assert UsageCounter.objects.get(organization=acme, date=today).api_calls == 1
    assert usage.flush_usage() == 0  # nothing counted twice
    assert UsageCounter.objects.get(organization=acme, date=today).api_calls == 1
    assert get_redis().smembers(usage.DIRTY) == set()


def test_counts_made_while_a_flush_runs_stay_for_the_next_one(acme, monkeypatch):
    usage.record_usage(acme.id, executions=2, steps=10)
    real_write = usage.write_usage

    def write_then_count_more(organization_id, day, amounts):
        real_write(organization_id, day, amounts)
        usage.record_usage(acme.id, executions=1, steps=5)  # another process, meanwhile

    monkeypatch.setattr(usage, "write_usage", write_then_count_more)
    usage.flush_usage()
    monkeypatch.setattr(usage, "write_usage", real_write)
    row = UsageCounter.objects.get(organization=acme)
    assert (row.executions, row.steps) == (2, 10)

    usage.flush_usage()
    row.refresh_from_db()
    assert (row.executions, row.steps) == (3, 15)


def test_the_usage_api_shows_counts_not_flushed_yet(alice_api, acme):
    usage.record_usage(acme.id, executions=3, steps=12, ai_tokens=50)
    totals = alice_api.get("/api/v1/usage").json()["data"]["totals"]
    assert (totals["executions"], totals["steps"], totals["ai_tokens"]) == (3, 12, 50)


def test_without_redis_usage_is_written_to_the_database(acme, monkeypatch):
    from redis.exceptions import ConnectionError as RedisConnectionError

    class DownRedis:
        def pipeline(self, **kwargs):
            raise RedisConnectionError("Redis is down")

    monkeypatch.setattr(usage, "get_redis", lambda: DownRedis())
    usage.record_usage(acme.id, api_calls=1)
    assert UsageCounter.objects.get(organization=acme).api_calls == 1
