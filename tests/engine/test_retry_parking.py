"""Retry backoff parks the run instead of holding a worker; the policy is capped and single."""

from __future__ import annotations

from datetime import timedelta

import pytest

from tests.engine.support import T0, Probe, flow, link, node, probe_calls
from workflows.engine import (
    HttpResponse,
    NodeContext,
    NodeError,
    NodeResult,
    NodeType,
    RetryPolicy,
    validate_definition,
)

# The documented caps (docs/design.md, D4).
MAX_ATTEMPTS = 10
MAX_DELAY_SECONDS = 86_400


def _probe_flow(config: dict, retry: dict) -> dict:
    return flow([node("work", "test.probe", config, retry=retry)], [link("start", "work")])


def test_a_long_backoff_parks_the_run_instead_of_sleeping(run, journal, sleep, clock):
    definition = _probe_flow({"fail_times": 1, "output": "ok"}, {"max_attempts": 2, "backoff_seconds": 30})
    outcome = run(definition)
    assert outcome.status == "waiting"
    assert outcome.resume_at == T0 + timedelta(seconds=30)
    assert outcome.waiting_for == {"kind": "retry", "node_id": "work", "step_key": "work", "attempt": 2}
    assert sleep.delays == []
    assert journal.last_record("work").status == "retrying"

    clock.advance(10)  # an early wake-up (a stray job, a recovery) parks again without running
    early = run(definition)
    assert (early.status, early.resume_at) == ("waiting", T0 + timedelta(seconds=30))
    assert probe_calls("work") == 1

    clock.advance(20)
    done = run(definition)
    assert (done.status, done.output) == ("completed", "ok")
    assert [s for s in journal.statuses("work") if s[0] != "running"] == [("retrying", 1), ("succeeded", 2)]
    assert sleep.delays == []


def test_attempts_are_counted_across_parks(run, journal, clock):
    definition = _probe_flow({"fail_times": 9}, {"max_attempts": 3, "backoff_seconds": 10, "backoff_multiplier": 1})
    outcomes = []
    for _ in range(3):
        outcomes.append(run(definition).status)
        clock.advance(10)
    assert outcomes == ["waiting", "waiting", "failed"]
    assert probe_calls("work") == 3
    assert journal.last_record("work").status == "failed"


def test_short_delays_still_sleep_and_the_threshold_is_a_parameter(run, sleep):
    retry = {"max_attempts": 2, "backoff_seconds": 10}
    outcome = run(_probe_flow({"fail_times": 1, "output": "ok"}, retry), park_retries_over=60)
    assert outcome.status == "completed"
    assert sleep.delays == [10]


class RateLimited(NodeType):
    """Answers "429, retry after 40 s" once, then succeeds."""

    type = "test.rate_limited"
    category = "action"
    label = "Rate limited"

    def run(self, ctx: NodeContext) -> NodeResult:
        if ctx.attempt == 1:
            raise NodeError("RATE_LIMITED", "slow down", retry_after=40)
        return NodeResult(output="served")


def test_a_retry_after_from_the_node_lengthens_the_policy_delay(registry, run, clock):
    registry.register(RateLimited)
    definition = flow(
        [node("call", "test.rate_limited", retry={"max_attempts": 2, "backoff_seconds": 1})], [link("start", "call")]
    )
    outcome = run(definition)
    assert (outcome.status, outcome.resume_at) == ("waiting", T0 + timedelta(seconds=40))
    clock.advance(40)
    assert run(definition).output == "served"


def test_a_node_type_can_declare_the_default_policy(registry, run, sleep):
    class Flaky(Probe):
        type = "test.flaky_default"
        default_retry = RetryPolicy(max_attempts=3, backoff_seconds=2)

    registry.register(Flaky)
    definition = flow([node("work", "test.flaky_default", {"fail_times": 2, "output": "ok"})], [link("start", "work")])
    assert run(definition).output == "ok"
    assert sleep.delays == [2, 4]
    described = Flaky.describe()
    assert described["default_retry"]["max_attempts"] == 3
    assert described["retry_schema"]["properties"]["max_attempts"]["maximum"] == MAX_ATTEMPTS


@pytest.mark.parametrize(
    ("retry", "field"),
    [
        ({"max_attempts": MAX_ATTEMPTS + 1}, "max_attempts"),
        ({"max_attempts": 0}, "max_attempts"),
        ({"max_attempts": 2.5}, "max_attempts"),
        ({"backoff_seconds": MAX_DELAY_SECONDS + 1}, "backoff_seconds"),
        ({"max_delay_seconds": MAX_DELAY_SECONDS + 1}, "max_delay_seconds"),
        ({"backoff_multiplier": 0.5}, "backoff_multiplier"),
        ({"backoff_multiplier": 11}, "backoff_multiplier"),
        ({"jitter": 1}, "jitter"),
    ],
)
def test_validation_caps_attempts_and_delays(registry, retry, field):
    definition = _probe_flow({}, retry)
    problems = {(p.path, p.code) for p in validate_definition(definition, registry)}
    assert (f"nodes[1].retry.{field}", "INVALID_RETRY") in problems


def test_a_stored_policy_beyond_the_caps_is_clamped():
    policy = RetryPolicy.from_dict({"max_attempts": 1000, "backoff_seconds": 10**9, "max_delay_seconds": 10**9})
    assert policy.max_attempts == MAX_ATTEMPTS
    assert policy.delay_before(2) == MAX_DELAY_SECONDS


class TooManyRequests:
    """An http_client service: 429 with Retry-After once, then 200."""

    def __init__(self) -> None:
        self.calls = 0

    def request(self, method, url, **kwargs) -> HttpResponse:
        self.calls += 1
        if self.calls == 1:
            return HttpResponse(status=429, headers={"retry-after": "20"}, body=b"", url=url)
        return HttpResponse(status=200, headers={"content-type": "application/json"}, body=b'{"ok": true}', url=url)


def test_an_http_retry_after_feeds_the_node_policy(run, clock, sleep):
    client = TooManyRequests()
    call = node("call", "http.request", {"url": "https://api.example/x"}, retry={"max_attempts": 2})
    definition = flow([call], [link("start", "call")])
    first = run(definition, services={"http_client": client})
    assert (first.status, first.resume_at) == ("waiting", T0 + timedelta(seconds=20))
    clock.advance(20)
    done = run(definition, services={"http_client": client})
    assert (done.status, done.output["body"], client.calls) == ("completed", {"ok": True}, 2)
    assert sleep.delays == []
