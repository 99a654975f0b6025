"""Each inbound hook has its own rate limit per plan, apart from the organization's API budget."""

from __future__ import annotations

import time

import pytest
from django.test import Client

from flowbuilder.api import throttling
from tests.webhooks.inbound_support import live_hook

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def one_window(monkeypatch):
    """Hold the limiter's clock in the middle of the current minute (see tests/api/test_rate_limits.py)."""
    middle = int(time.time()) // 60 * 60 + 30
    monkeypatch.setattr(throttling, "clock", lambda: float(middle))
    return middle


@pytest.fixture
def caller():
    return Client()


@pytest.fixture
def hooked(acme, alice):
    return live_hook(acme.default_project, alice)


def call(caller, token):
    return caller.post(f"/hooks/{token}", data="{}", content_type="application/json")


def test_calls_past_the_hooks_own_limit_are_429_in_the_envelope_with_retry_after(caller, hooked, settings, one_window):
    settings.HOOK_RATE_LIMITS = {**settings.HOOK_RATE_LIMITS, "business": (2, 1_000)}
    _, token = hooked

    answers = [call(caller, token) for _ in range(3)]

    assert [answer.status_code for answer in answers] == [202, 202, 429]
    assert [answer["X-RateLimit-Limit"] for answer in answers] == ["2", "2", "2"]
    assert [answer["X-RateLimit-Remaining"] for answer in answers] == ["1", "0", "0"]
    assert int(answers[2]["X-RateLimit-Reset"]) == one_window + 30
    assert int(answers[2]["Retry-After"]) == 30
    body = answers[2].json()
    assert body["success"] is False
    assert body["error"]["code"] == "RATE_LIMITED"
    assert "Retry-After" not in answers[0]


def test_the_api_limit_does_not_apply_to_hooks(caller, hooked, settings):
    settings.RATE_LIMITS = {**settings.RATE_LIMITS, "business": (2, 1_000)}
    _, token = hooked

    answers = [call(caller, token) for _ in range(4)]

    assert [answer.status_code for answer in answers] == [202] * 4
    assert answers[0]["X-RateLimit-Limit"] == str(settings.HOOK_RATE_LIMITS["business"][0])


def test_a_busy_hook_does_not_spend_the_api_budget_nor_the_api_the_hooks(caller, hooked, alice_api, settings):
    settings.RATE_LIMITS = {**settings.RATE_LIMITS, "business": (3, 1_000)}
    settings.HOOK_RATE_LIMITS = {**settings.HOOK_RATE_LIMITS, "business": (3, 1_000)}
    _, token = hooked

    assert [call(caller, token).status_code for _ in range(4)] == [202, 202, 202, 429]
    api = [alice_api.get("/api/v1/projects") for _ in range(4)]
    assert [answer.status_code for answer in api] == [200, 200, 200, 429]
    assert api[0]["X-RateLimit-Remaining"] == "2"


def test_api_calls_do_not_starve_a_hook(caller, hooked, alice_api, settings):
    settings.RATE_LIMITS = {**settings.RATE_LIMITS, "business": (1, 1_000)}
    _, token = hooked
    assert [alice_api.get("/api/v1/projects").status_code for _ in range(2)] == [200, 429]

    answer = call(caller, token)
    assert answer.status_code == 202
    assert answer["X-RateLimit-Remaining"] == str(settings.HOOK_RATE_LIMITS["business"][0] - 1)


def test_each_hook_has_its_own_window(caller, acme, alice, settings):
    settings.HOOK_RATE_LIMITS = {**settings.HOOK_RATE_LIMITS, "business": (1, 1_000)}
    _, first = live_hook(acme.default_project, alice, name="First")
    _, second = live_hook(acme.default_project, alice, name="Second")

    assert [call(caller, first).status_code for _ in range(2)] == [202, 429]
    assert call(caller, second).status_code == 202


def test_the_plan_sets_the_hook_limit(caller, acme, hooked, settings):
    settings.HOOK_RATE_LIMITS = {**settings.HOOK_RATE_LIMITS, "enterprise": (7, 1_000)}
    acme.plan = "enterprise"
    acme.save()
    _, token = hooked
    assert call(caller, token)["X-RateLimit-Limit"] == "7"


def test_every_hook_error_is_in_the_envelope(caller, hooked):
    _, token = hooked
    wrong_method = caller.get(f"/hooks/{token}")
    unknown = caller.post("/hooks/not-a-token", data="{}", content_type="application/json")
    for answer, status, code in ((wrong_method, 405, "METHOD_NOT_ALLOWED"), (unknown, 404, "NOT_FOUND")):
        assert answer.status_code == status
        assert answer.json()["success"] is False
        assert answer.json()["error"]["code"] == code


def test_an_unreachable_redis_does_not_take_hooks_down(caller, hooked, settings, caplog):
    settings.REDIS_URL = "redis://127.0.0.1:1/0"  # nothing listens on port 1
    _, token = hooked
    answer = call(caller, token)
    assert answer.status_code != 500
    assert any("hook rate limit not counted" in record.message for record in caplog.records)
