"""Webhook pages: the secret shown once, pause/resume, test event, retry; outsiders get 404."""

from __future__ import annotations

import pytest
from django.test import Client

from webhooks import services
from webhooks.models import Delivery, DeliveryStatus, WebhookSubscription


@pytest.fixture
def signed_in():
    def sign_in(user) -> Client:
        client = Client()
        client.force_login(user)
        return client

    return sign_in


@pytest.fixture
def subscription(acme):
    return services.create_subscription(
        acme.default_project, url="https://receiver.example.com/in", events=["form.submitted"]
    ).subscription


def test_creating_a_webhook_shows_the_secret_once(signed_in, bob_editor):
    client = signed_in(bob_editor)
    created = client.post("/webhooks/", {"url": "https://r.example.com/x", "events": ["form.submitted"]})

    subscription = WebhookSubscription.objects.get()
    assert subscription.signing_secret in created.content.decode()
    assert subscription.signing_secret not in client.get("/webhooks/").content.decode()
    assert subscription.signing_secret not in client.get(f"/webhooks/{subscription.id}/").content.decode()


def test_pausing_resuming_testing_and_retrying_from_the_page(signed_in, alice, subscription):
    client = signed_in(alice)
    base = f"/webhooks/{subscription.id}"

    client.post(f"{base}/toggle/")
    subscription.refresh_from_db()
    assert subscription.enabled is False
    client.post(f"{base}/toggle/")
    client.post(f"{base}/test/")
    delivery = Delivery.objects.get(subscription=subscription)
    assert delivery.event_type == "webhook.test"
    Delivery.objects.filter(pk=delivery.pk).update(status=DeliveryStatus.FAILED)
    client.post(f"{base}/deliveries/{delivery.id}/retry/")
    delivery.refresh_from_db()
    assert delivery.status == DeliveryStatus.PENDING
    assert "webhook.test" in client.get(f"{base}/").content.decode()


def test_a_viewer_cannot_change_a_webhook(signed_in, bob_viewer, subscription):
    assert signed_in(bob_viewer).post(f"/webhooks/{subscription.id}/toggle/").status_code == 403
    subscription.refresh_from_db()
    assert subscription.enabled is True


def test_an_outsider_gets_404_on_every_webhook_page(signed_in, charlie, subscription):
    client = signed_in(charlie)
    base = f"/webhooks/{subscription.id}"
    assert client.get(f"{base}/").status_code == 404
    for action in ("toggle", "test", "delete"):
        assert client.post(f"{base}/{action}/").status_code == 404
    assert "receiver.example.com" not in client.get("/webhooks/").content.decode()
    assert WebhookSubscription.objects.filter(pk=subscription.id, enabled=True).exists()
