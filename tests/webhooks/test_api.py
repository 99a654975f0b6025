"""The /webhooks API: subscriptions, the secret shown once, deliveries, retries, test events."""

from __future__ import annotations

import pytest

from accounts.models import AuditEvent, Role
from tests.api.test_authentication import assert_error
from webhooks import services
from webhooks.models import Delivery, DeliveryStatus, EventType, WebhookSubscription

URL = "/api/v1/webhooks"
NEW_WEBHOOK = {"url": "https://receiver.example.com/hook", "events": ["form.submitted", "execution.failed"]}


@pytest.fixture
def subscription(acme):
    return services.create_subscription(
        acme.default_project, url="https://receiver.example.com/hook", events=[EventType.FORM_SUBMITTED]
    ).subscription


@pytest.fixture
def failed_delivery(subscription):
    [delivery] = services.emit_event(subscription.project, EventType.FORM_SUBMITTED, {"n": 1})
    Delivery.objects.filter(pk=delivery.pk).update(status=DeliveryStatus.FAILED, attempt_count=5)
    return Delivery.objects.get(pk=delivery.pk)


def test_creating_a_webhook_shows_its_secret_once(alice_api, acme):
    response = alice_api.post(URL, NEW_WEBHOOK, format="json")

    assert response.status_code == 201, response.content
    created = response.json()["data"]
    assert created["id"].startswith("hook_")
    assert created["secret"].startswith("whsec_")
    assert created["events"] == ["execution.failed", "form.submitted"]
    assert created["enabled"] is True
    for answer in (alice_api.get(URL), alice_api.get(f"{URL}/{created['id']}")):
        assert created["secret"] not in answer.content.decode()
        assert "secret" not in answer.content.decode()
    assert AuditEvent.objects.filter(organization=acme, action="webhook.created").exists()


@pytest.mark.parametrize(
    "payload, field",
    [
        ({"url": "ftp://example.com/x", "events": ["form.submitted"]}, "url"),
        ({"url": "not a url", "events": ["form.submitted"]}, "url"),
        ({"url": "https://example.com/x", "events": ["form.deleted"]}, "events"),
        ({"url": "https://example.com/x", "events": []}, "events"),
    ],
)
def test_a_bad_webhook_is_refused_with_the_field_named(alice_api, payload, field):
    error = assert_error(alice_api.post(URL, payload, format="json"), 400, "VALIDATION_ERROR")
    assert error["field"].startswith(field)


def test_a_missing_url_is_reported_as_a_missing_field(alice_api):
    error = assert_error(
        alice_api.post(URL, {"events": ["form.submitted"]}, format="json"), 400, "MISSING_REQUIRED_FIELD"
    )
    assert error["field"] == "url"


def test_pausing_a_webhook_through_patch(alice_api, subscription):
    response = alice_api.patch(f"{URL}/{subscription.id}", {"enabled": False}, format="json")

    assert response.status_code == 200
    assert response.json()["data"]["enabled"] is False
    subscription.refresh_from_db()
    assert subscription.enabled is False
    assert subscription.events == [EventType.FORM_SUBMITTED]


def test_deleting_a_webhook(alice_api, subscription):
    assert alice_api.delete(f"{URL}/{subscription.id}").status_code == 204
    assert not WebhookSubscription.objects.filter(pk=subscription.id).exists()


def test_put_is_not_offered(alice_api, subscription):
    assert_error(alice_api.put(f"{URL}/{subscription.id}", NEW_WEBHOOK, format="json"), 405, "METHOD_NOT_ALLOWED")


def test_deliveries_are_listed_with_their_attempts_and_filtered_by_status(
    alice_api, subscription, failed_delivery, django_assert_max_num_queries
):
    services.emit_event(subscription.project, EventType.FORM_SUBMITTED, {"n": 2})
    with django_assert_max_num_queries(12):
        everything = alice_api.get(f"{URL}/{subscription.id}/deliveries")
    failed = alice_api.get(f"{URL}/{subscription.id}/deliveries", {"status": "failed"})

    assert everything.json()["meta"]["total"] == 2
    assert [d["id"] for d in failed.json()["data"]] == [failed_delivery.id]
    item = failed.json()["data"][0]
    assert item["payload"]["data"] == {"n": 1}
    assert item["attempts"] == []
    assert_error(alice_api.get(f"{URL}/{subscription.id}/deliveries", {"status": "lost"}), 400, "VALIDATION_ERROR")


def test_a_failed_delivery_can_be_retried_but_not_a_pending_one(alice_api, subscription, failed_delivery):
    url = f"{URL}/{subscription.id}/deliveries/{failed_delivery.id}/retry"

    first = alice_api.post(url)
    again = alice_api.post(url)

    assert first.status_code == 202, first.content
    assert first.json()["data"]["status"] == "pending"
    assert_error(again, 409, "CONFLICT")


def test_a_test_event_is_queued_for_that_webhook_only(alice_api, subscription, acme):
    services.create_subscription(acme.default_project, url="https://other.example.com", events=["form.submitted"])

    response = alice_api.post(f"{URL}/{subscription.id}/test")

    assert response.status_code == 202
    assert response.json()["data"]["event_type"] == "webhook.test"
    assert list(Delivery.objects.values_list("subscription_id", flat=True)) == [subscription.id]


def test_a_paused_webhook_cannot_send_a_test_event(alice_api, subscription):
    services.update_subscription(subscription, changes={"enabled": False})
    assert_error(alice_api.post(f"{URL}/{subscription.id}/test"), 409, "CONFLICT")


def test_viewers_read_but_cannot_change_webhooks(acme, bob_viewer, make_key, api_client_for, subscription):
    _, plaintext = make_key(acme, Role.VIEWER)
    viewer = api_client_for(plaintext)

    assert viewer.get(URL).status_code == 200
    assert_error(viewer.post(URL, NEW_WEBHOOK, format="json"), 403, "FORBIDDEN")
    assert_error(viewer.patch(f"{URL}/{subscription.id}", {"enabled": False}, format="json"), 403, "FORBIDDEN")


def test_a_session_user_needs_the_csrf_token_to_create(bob_editor, session_client_for):
    client = session_client_for(bob_editor)
    assert_error(client.post(URL, NEW_WEBHOOK, format="json"), 403, "FORBIDDEN")


def test_an_outsider_gets_404_for_every_webhook_endpoint(charlie_api, subscription, failed_delivery):
    base = f"{URL}/{subscription.id}"
    assert charlie_api.get(URL).json()["data"] == []
    assert_error(charlie_api.get(base), 404, "NOT_FOUND")
    assert_error(charlie_api.patch(base, {"enabled": False}, format="json"), 404, "NOT_FOUND")
    assert_error(charlie_api.delete(base), 404, "NOT_FOUND")
    assert_error(charlie_api.get(f"{base}/deliveries"), 404, "NOT_FOUND")
    assert_error(charlie_api.post(f"{base}/deliveries/{failed_delivery.id}/retry"), 404, "NOT_FOUND")
    assert_error(charlie_api.post(f"{base}/test"), 404, "NOT_FOUND")
    subscription.refresh_from_db()
    assert subscription.enabled is True
