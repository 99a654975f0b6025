import datetime as dt

import pytest
from django.utils import timezone

from accounts import services
from accounts.models import AuditEvent, UsageCounter
from tests.api.test_authentication import assert_error


def test_api_calls_are_metered_per_day(alice_api, acme):
    for _ in range(3):
        alice_api.get("/api/v1/projects")
    usage = alice_api.get("/api/v1/usage").json()["data"]
    # the three calls plus the /usage call itself, counted with its rate limit before it answers
    assert usage["totals"]["api_calls"] == 4
    assert UsageCounter.objects.get(organization=acme).api_calls == 4


def test_usage_adds_up_a_period(alice_api, acme):
    today = timezone.now().date()
    UsageCounter.objects.create(organization=acme, date=today - dt.timedelta(days=3), executions=5, steps=20)
    services.record_usage(acme.id, executions=2, steps=8, ai_tokens=100)
    start = (today - dt.timedelta(days=7)).isoformat()
    usage = alice_api.get(f"/api/v1/usage?start_date={start}").json()["data"]
    assert usage["totals"]["executions"] == 7
    assert usage["totals"]["steps"] == 28
    assert usage["totals"]["ai_tokens"] == 100
    assert usage["plan"] == "business"
    assert usage["limits"] == {"requests_per_minute": 600, "requests_per_day": 200_000}
    assert len(usage["days"]) == 2


def test_a_bad_usage_period_is_a_validation_error(alice_api):
    error = assert_error(alice_api.get("/api/v1/usage?start_date=yesterday"), 400, "VALIDATION_ERROR")
    assert error["field"] == "start_date"


def test_the_audit_log_records_who_did_what(alice_api, acme):
    created = alice_api.post("/api/v1/api-keys", {"name": "ci"}, format="json").json()["data"]
    alice_api.delete(f"/api/v1/api-keys/{created['id']}")
    events = alice_api.get("/api/v1/audit-log?target_id=" + created["id"]).json()["data"]
    assert [event["action"] for event in events] == ["api_key.revoked", "api_key.created"]
    assert all(event["actor"].startswith("api key") for event in events)


def test_audit_events_are_append_only(acme):
    event = services.record_audit(acme, "test.event")
    event.action = "tampered"
    with pytest.raises(ValueError, match="append-only"):
        event.save()
    with pytest.raises(ValueError, match="append-only"):
        event.delete()
    assert AuditEvent.objects.get(pk=event.pk).action == "test.event"


def test_only_admins_read_the_audit_log(acme, make_key, api_client_for):
    _, plaintext = make_key(acme, "editor")
    assert_error(api_client_for(plaintext).get("/api/v1/audit-log"), 403, "FORBIDDEN")


def test_ai_tokens_are_reported_in_and_out_per_model(alice_api, acme):
    services.record_ai_usage(acme.id, model="claude-sonnet-4-5", input_tokens=120, output_tokens=30)
    services.record_ai_usage(acme.id, model="claude-sonnet-4-5", input_tokens=80, output_tokens=20)
    services.record_ai_usage(acme.id, model="gpt-4o-mini", input_tokens=10, output_tokens=5)
    usage = alice_api.get("/api/v1/usage").json()["data"]
    fields = ("model", "input_tokens", "output_tokens")
    by_model = [{key: row[key] for key in fields} for row in usage["ai_tokens_by_model"]]
    assert by_model == [
        {"model": "claude-sonnet-4-5", "input_tokens": 200, "output_tokens": 50},
        {"model": "gpt-4o-mini", "input_tokens": 10, "output_tokens": 5},
    ]
    assert usage["totals"]["ai_tokens"] == 265
