"""Rate limits (a flooding customer gets one polite reply and no runaway runs) and a corpus of
hostile inbound requests: each gets a clear error in the envelope, never a 500, and stores nothing."""

from __future__ import annotations

import json

import pytest

from chat.limits import POLITE_REPLY
from chat.models import ChatMessage
from tests.chat.conftest import chat_flow, live_workflow, make_channel, post_message, reply
from workflows.models import Execution

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def frozen_window(monkeypatch):
    """Every count lands in one rate-limit window (the limiter's clock, as the API's tests hold it)."""
    monkeypatch.setattr("flowbuilder.api.throttling.clock", lambda: 1_800_000_000.0)


def test_a_flooding_customer_gets_one_polite_reply_and_no_runaway_runs(project, alice, frozen_window):
    live_workflow(project, alice, "Echo", chat_flow(reply("r", "hi")))
    created = make_channel(project, customer_rate_limit_per_minute=3, fallback_reply="?")
    statuses = [post_message(created.token, {"from": "flood", "text": f"msg {n}"}).status_code for n in range(12)]

    assert statuses[:3] == [202] * 3 and statuses[3:] == [429] * 9
    # One run for the first message; the next two arrive while it is pending (busy), nothing after.
    assert Execution.objects.count() == 1
    assert ChatMessage.objects.filter(direction="in").count() == 3
    assert list(ChatMessage.objects.filter(direction="out").values_list("text", flat=True)) == [POLITE_REPLY]
    # Another customer on the same channel is not held back.
    assert post_message(created.token, {"from": "calm", "text": "hello"}).status_code == 202


def test_the_channel_limit_holds_for_everyone(project, frozen_window):
    created = make_channel(project, rate_limit_per_minute=2, fallback_reply="?")
    statuses = [post_message(created.token, {"from": f"c{n}", "text": "hi"}).status_code for n in range(4)]
    assert statuses == [202, 202, 429, 429]
    answer = post_message(created.token, {"from": "c9", "text": "hi"})
    assert answer["Content-Type"] == "application/json"
    assert int(answer["Retry-After"]) >= 1
    assert answer.json()["error"]["code"] == "RATE_LIMITED"
    assert ChatMessage.objects.filter(direction="out").count() == 2  # the two fallbacks; no polite reply


HOSTILE_BODIES = [
    (b"", 400, "INVALID_BODY"),
    (b"not json at all", 400, "INVALID_BODY"),
    (b"\xff\xfe\x00bad encoding", 400, "INVALID_BODY"),
    (b'{"from": "a", "text": "\xc3\x28"}', 400, "INVALID_BODY"),
    (b"[1, 2, 3]", 400, "INVALID_BODY"),
    (b'"just a string"', 400, "INVALID_BODY"),
    (b"null", 400, "INVALID_BODY"),
    (b"{" * 5000, 400, "INVALID_BODY"),
    (json.dumps({"text": "hi"}).encode(), 400, "VALIDATION_ERROR"),
    (json.dumps({"from": "a"}).encode(), 400, "VALIDATION_ERROR"),
    (json.dumps({"from": "", "text": "hi"}).encode(), 400, "VALIDATION_ERROR"),
    (json.dumps({"from": "   ", "text": "hi"}).encode(), 400, "VALIDATION_ERROR"),
    (json.dumps({"from": None, "text": "hi"}).encode(), 400, "VALIDATION_ERROR"),
    (json.dumps({"from": True, "text": "hi"}).encode(), 400, "VALIDATION_ERROR"),
    (json.dumps({"from": ["a"], "text": "hi"}).encode(), 400, "VALIDATION_ERROR"),
    (json.dumps({"from": {"id": 1}, "text": "hi"}).encode(), 400, "VALIDATION_ERROR"),
    (json.dumps({"from": "a" * 201, "text": "hi"}).encode(), 400, "VALIDATION_ERROR"),
    (json.dumps({"from": "a\nb", "text": "hi"}).encode(), 400, "VALIDATION_ERROR"),
    (json.dumps({"from": "a", "text": ""}).encode(), 400, "VALIDATION_ERROR"),
    (json.dumps({"from": "a", "text": 42}).encode(), 400, "VALIDATION_ERROR"),
    (json.dumps({"from": "a", "text": {"body": "hi"}}).encode(), 400, "VALIDATION_ERROR"),
    (json.dumps({"from": "a", "text": "x" * 4097}).encode(), 400, "VALIDATION_ERROR"),
    (json.dumps({"from": "a", "text": "x" * 2_000_000}).encode(), 413, "PAYLOAD_TOO_LARGE"),
]


@pytest.mark.parametrize(("raw", "status", "code"), HOSTILE_BODIES, ids=range(len(HOSTILE_BODIES)))
def test_hostile_bodies_get_a_clear_error_and_store_nothing(project, raw, status, code):
    created = make_channel(project, fallback_reply="?")
    answer = post_message(created.token, raw)
    assert answer.status_code == status, answer.content
    error = answer.json()["error"]
    assert error["code"] == code
    assert not ChatMessage.objects.exists()


def test_odd_but_valid_messages_are_taken(project):
    created = make_channel(project, fallback_reply="?")
    for body in (
        {"from": 15551234567, "text": "numeric sender"},
        {"from": "ünï", "text": "emoji 👋 and RTL مرحبا"},
        {"from": "a", "text": "<script>alert(1)</script>"},
        {"from": "a", "text": "nul\u0000byte"},
        {"from": "a", "text": "x" * 4096},
        {"from": "a", "text": "hi", "payload": {"k": "v"}, "extra": "ignored"},
    ):
        assert post_message(created.token, body).status_code == 202, body
    texts = list(ChatMessage.objects.filter(direction="in").values_list("text", flat=True))
    assert "nulbyte" in texts and "<script>alert(1)</script>" in texts


def test_unknown_tokens_and_wrong_methods(project):
    created = make_channel(project, fallback_reply="?")
    assert post_message("nope", {"from": "a", "text": "hi"}).status_code == 404
    assert post_message("x" * 500, {"from": "a", "text": "hi"}).status_code == 404
    from django.test import Client

    answer = Client().get(f"/channels/{created.token}/messages")
    assert answer.status_code == 405
    assert answer.json()["error"]["code"] == "METHOD_NOT_ALLOWED"
