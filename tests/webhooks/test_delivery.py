"""Signed deliveries to a loopback receiver, through the real queue and a real RQ worker."""

from __future__ import annotations

import hashlib
import hmac
import json

import pytest
from standardwebhooks import Webhook

from webhooks import services
from webhooks.delivery import KEPT_RESPONSE_BYTES, MAX_ATTEMPTS, RETRY_DELAYS
from webhooks.models import Delivery, DeliveryStatus, EventType

pytestmark = pytest.mark.django_db(transaction=True)


def emit(acme, payload=None):
    return services.emit_event(acme.default_project, EventType.FORM_SUBMITTED, payload or {"answer": 42})


def test_the_receiver_gets_a_body_signed_byte_for_byte(acme, receiver, make_subscription, run_worker):
    created = make_subscription(receiver.url)
    [delivery] = emit(acme, {"name": "Zoë", "amount": 12.5})
    run_worker()

    [request] = receiver.requests
    timestamp, signature = request.headers["X-WorkFlows-Signature"].split(",")
    assert timestamp.startswith("t=") and signature.startswith("v1=")
    signed = timestamp[2:].encode() + b"." + request.body
    expected = hmac.new(created.secret.encode(), signed, hashlib.sha256).hexdigest()
    assert hmac.compare_digest(signature[3:], expected)
    assert request.headers["X-WorkFlows-Event"] == "form.submitted"
    assert request.headers["X-WorkFlows-Delivery"] == delivery.id
    assert request.headers["Content-Type"] == "application/json"
    body = json.loads(request.body)
    assert body["type"] == "form.submitted"
    assert body["data"] == {"name": "Zoë", "amount": 12.5}


def test_the_standard_webhooks_library_verifies_the_same_delivery(acme, receiver, make_subscription, run_worker):
    created = make_subscription(receiver.url)
    [delivery] = emit(acme)
    run_worker()

    [request] = receiver.requests
    assert created.secret.startswith("whsec_")
    verified = Webhook(created.secret).verify(request.body, request.headers)
    assert verified["id"] == delivery.id
    assert request.headers["webhook-id"] == delivery.id
    assert request.headers["webhook-timestamp"] == request.headers["X-WorkFlows-Signature"][2:12]


def test_a_tampered_body_fails_standard_webhooks_verification(acme, receiver, make_subscription, run_worker):
    created = make_subscription(receiver.url)
    emit(acme)
    run_worker()

    [request] = receiver.requests
    with pytest.raises(Exception, match="(?i)signature"):
        Webhook(created.secret).verify(request.body.replace(b"42", b"43"), request.headers)


def test_a_receiver_failing_once_gets_exactly_two_attempts(
    acme, receiver, make_subscription, run_worker, release_scheduled
):
    receiver.statuses = [500]
    make_subscription(receiver.url)
    [delivery] = emit(acme)

    run_worker()
    delivery.refresh_from_db()
    assert delivery.status == DeliveryStatus.PENDING
    assert delivery.next_attempt_at is not None
    assert len(release_scheduled()) == 1
    run_worker()

    delivery.refresh_from_db()
    assert delivery.status == DeliveryStatus.SUCCEEDED
    assert delivery.attempt_count == 2
    first, second = delivery.attempts.all()
    assert (first.response_code, first.succeeded) == (500, False)
    assert len(first.response_body) == KEPT_RESPONSE_BYTES
    assert first.error == "The receiver answered HTTP 500."
    assert (second.response_code, second.succeeded) == (200, True)
    assert second.response_body == '{"received": true}'
    assert len(receiver.requests) == 2
    assert receiver.requests[0].body == receiver.requests[1].body
    assert {r.headers["webhook-id"] for r in receiver.requests} == {delivery.id}


def test_a_receiver_always_failing_gets_five_attempts_at_the_scheduled_offsets(
    acme, receiver, make_subscription, run_worker, release_scheduled
):
    receiver.statuses = [503] * 10
    make_subscription(receiver.url)
    [delivery] = emit(acme)

    run_worker()
    for delay in RETRY_DELAYS:
        delivery.refresh_from_db()
        last_attempt = delivery.attempts.order_by("-number").first()
        assert delivery.next_attempt_at - last_attempt.finished_at == delay
        [due] = release_scheduled()
        # RQ keeps scheduled times to the second.
        assert due == delivery.next_attempt_at.replace(microsecond=0)
        run_worker()

    delivery.refresh_from_db()
    assert delivery.status == DeliveryStatus.FAILED
    assert delivery.attempt_count == MAX_ATTEMPTS == 5
    assert [a.number for a in delivery.attempts.all()] == [1, 2, 3, 4, 5]
    assert delivery.next_attempt_at is None
    assert release_scheduled() == []
    assert len(receiver.requests) == 5


def test_an_unreachable_receiver_is_retried_with_the_error_recorded(
    acme, make_subscription, run_worker, release_scheduled
):
    make_subscription("http://127.0.0.1:9/closed-port")
    [delivery] = emit(acme)
    run_worker()

    delivery.refresh_from_db()
    [attempt] = delivery.attempts.all()
    assert attempt.response_code is None
    assert "could not reach" in attempt.error
    assert delivery.status == DeliveryStatus.PENDING
    assert len(release_scheduled()) == 1


def test_a_private_address_is_refused_without_retries_unless_allow_listed(
    acme, settings, receiver, make_subscription, run_worker, release_scheduled
):
    settings.FLOWBUILDER_HTTP_ALLOW_LIST = []
    make_subscription(receiver.url)
    [delivery] = emit(acme)
    run_worker()

    delivery.refresh_from_db()
    assert delivery.status == DeliveryStatus.FAILED
    assert "not allowed" in delivery.attempts.get().error
    assert release_scheduled() == []
    assert receiver.requests == []


def test_a_manual_retry_sends_a_failed_delivery_again(acme, receiver, make_subscription, run_worker, release_scheduled):
    receiver.statuses = [500] * MAX_ATTEMPTS
    make_subscription(receiver.url)
    [delivery] = emit(acme)
    run_worker()
    for _ in RETRY_DELAYS:
        release_scheduled()
        run_worker()
    delivery.refresh_from_db()
    assert delivery.status == DeliveryStatus.FAILED

    services.retry_delivery(delivery)
    run_worker()

    delivery.refresh_from_db()
    assert delivery.status == DeliveryStatus.SUCCEEDED
    assert delivery.attempt_count == 6
    assert delivery.attempts.last().response_code == 200
    assert release_scheduled() == []


def test_a_paused_subscription_sends_nothing_and_resuming_replays_nothing(
    acme, receiver, make_subscription, run_worker
):
    created = make_subscription(receiver.url)
    services.update_subscription(created.subscription, changes={"enabled": False})
    assert emit(acme) == []
    run_worker()
    services.update_subscription(created.subscription, changes={"enabled": True})
    run_worker()

    assert receiver.requests == []
    assert not Delivery.objects.exists()


def test_pausing_gives_up_a_delivery_waiting_for_its_retry(
    acme, receiver, make_subscription, run_worker, release_scheduled
):
    receiver.statuses = [500]
    created = make_subscription(receiver.url)
    [delivery] = emit(acme)
    run_worker()

    services.update_subscription(created.subscription, changes={"enabled": False})
    services.update_subscription(created.subscription, changes={"enabled": True})
    release_scheduled()
    run_worker()

    delivery.refresh_from_db()
    assert delivery.status == DeliveryStatus.FAILED
    assert "paused" in delivery.last_error
    assert len(receiver.requests) == 1


def test_only_subscriptions_listening_to_the_event_get_a_delivery(acme, globex, make_subscription):
    listening = make_subscription("https://example.com/a", events=[EventType.FORM_SUBMITTED])
    make_subscription("https://example.com/b", events=[EventType.EXECUTION_FAILED])
    make_subscription("https://example.com/c", project=globex.default_project)

    deliveries = emit(acme)

    assert [d.subscription_id for d in deliveries] == [listening.subscription.id]
