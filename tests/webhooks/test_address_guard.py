"""Webhook targets go through the network guard twice: when stored and when delivered.

Nothing here may connect anywhere but loopback: the guard must refuse first, and the
transport below fails the test if a connection is attempted anyway.
"""

from __future__ import annotations

import httpx
import pytest

from tests.api.test_authentication import assert_error
from webhooks import delivery as delivery_module
from webhooks import services
from webhooks.models import DeliveryStatus, EventType
from workflows.engine.http_client import GuardedHttpClient

URL = "/api/v1/webhooks"

HOSTILE_TARGETS = {
    "http://127.0.0.1:8000/hook": "loopback",
    "http://localhost/hook": "loopback",
    "http://192.0.0.192/opc/v2/instance/": "cloud metadata (192.0.0.192",
    "http://169.254.169.254/latest/meta-data/": "cloud metadata (169.254.169.254",
    "http://[::ffff:169.254.169.254]/": "cloud metadata (169.254.169.254",
    "http://[fd00:ec2::254]/": "cloud metadata (fd00:ec2::254",
    "http://10.0.0.5/hook": "private",
    "http://100.64.0.1/hook": "carrier-grade NAT",
    "http://198.18.0.1/hook": "benchmarking",
    "http://0177.0.0.1/hook": "non-canonical",
    "http://2130706433/hook": "non-canonical",
    "http://0x7f.1/hook": "non-canonical",
    "http://127.000.000.001/hook": "non-canonical",
}


class _NoConnection(httpx.BaseTransport):
    def handle_request(self, request):
        raise AssertionError(f"a connection was attempted to {request.url}")


@pytest.fixture
def no_allow_list(settings):
    settings.FLOWBUILDER_HTTP_ALLOW_LIST = []
    settings.FLOWBUILDER_NETWORK_ALLOW_LIST = []


@pytest.mark.parametrize(("url", "named_class"), HOSTILE_TARGETS.items())
def test_a_webhook_to_a_blocked_address_is_refused_at_creation(alice_api, no_allow_list, url, named_class):
    answer = alice_api.post(URL, {"url": url, "events": ["form.submitted"]}, format="json")
    error = assert_error(answer, 400, "VALIDATION_ERROR")
    assert error["field"] == "url"
    text = str(error)
    assert named_class in text
    assert "FLOWBUILDER_NETWORK_ALLOW_LIST" in text


@pytest.mark.parametrize("url", ["http://[abc/hook", "https://[::1/x", "http://[fe80::1%25eth0/", "http://h:99999999999/"])
def test_a_receiver_url_that_does_not_parse_is_a_400_not_a_500(alice_api, url):
    # Found by schemathesis: urlsplit raises ValueError ("Invalid IPv6 URL") on an unclosed "[".
    answer = alice_api.post(URL, {"url": url, "events": ["form.submitted"]}, format="json")
    error = assert_error(answer, 400, "VALIDATION_ERROR")
    assert error["field"] == "url"


def test_changing_a_webhook_to_the_metadata_address_is_refused(alice_api, acme, no_allow_list):
    subscription = services.create_subscription(
        acme.default_project, url="https://receiver.example.com/hook", events=[EventType.FORM_SUBMITTED]
    ).subscription
    answer = alice_api.patch(f"{URL}/{subscription.id}", {"url": "http://192.0.0.192/"}, format="json")
    assert_error(answer, 400, "VALIDATION_ERROR")
    subscription.refresh_from_db()
    assert subscription.url == "https://receiver.example.com/hook"


def test_an_allow_listed_loopback_receiver_may_be_stored(alice_api, settings):
    settings.FLOWBUILDER_HTTP_ALLOW_LIST = []
    settings.FLOWBUILDER_NETWORK_ALLOW_LIST = ["127.0.0.1"]
    answer = alice_api.post(URL, {"url": "http://127.0.0.1:9/hook", "events": ["form.submitted"]}, format="json")
    assert answer.status_code == 201, answer.content


@pytest.mark.django_db(transaction=True)
@pytest.mark.parametrize(
    "url", ["http://192.0.0.192/opc/v2/instance/", "http://0177.0.0.1/", "http://100.100.100.200/"]
)
def test_a_stored_webhook_to_a_blocked_address_fails_at_delivery_without_connecting(
    acme, no_allow_list, make_subscription, run_worker, release_scheduled, monkeypatch, url
):
    class _Unconnected(GuardedHttpClient):
        def __init__(self, **kwargs):
            super().__init__(transport=_NoConnection(), **kwargs)

    monkeypatch.setattr(delivery_module, "GuardedHttpClient", _Unconnected)
    make_subscription(url)  # stored before the check existed, or by another path
    [delivery] = services.emit_event(acme.default_project, EventType.FORM_SUBMITTED, {"n": 1})
    run_worker()

    delivery.refresh_from_db()
    assert delivery.status == DeliveryStatus.FAILED
    error = delivery.attempts.get().error
    assert "refused" in error and "FLOWBUILDER_NETWORK_ALLOW_LIST" in error
    assert release_scheduled() == []
