"""Input the API would once ignore: refused with a pointer, or used (issue 15, item 3)."""

import base64

import pytest

from tests.api.test_authentication import assert_error
from tests.workflows.conftest import simple_flow
from webhooks.models import WebhookSubscription


@pytest.fixture
def workflow_id(alice_api):
    response = alice_api.post("/api/v1/workflows", {"name": "W", "definition": simple_flow()}, format="json")
    return response.json()["data"]["id"]


@pytest.mark.parametrize("status", ["published", "active", "draft"])
def test_patching_status_is_refused_with_a_pointer_to_publish(alice_api, workflow_id, status):
    response = alice_api.patch(f"/api/v1/workflows/{workflow_id}", {"status": status}, format="json")
    assert_error(response, 400, "VALIDATION_ERROR")
    error = response.json()["error"]
    assert error["field"] == "status" and "/publish" in error["message"]
    assert alice_api.get(f"/api/v1/workflows/{workflow_id}").json()["data"]["status"] == "draft"


@pytest.mark.parametrize("given", ["not-an-object", ["a"], 3, None])
def test_execute_refuses_an_input_that_is_not_an_object(alice_api, workflow_id, given):
    response = alice_api.post(f"/api/v1/workflows/{workflow_id}/execute", {"input": given}, format="json")
    assert_error(response, 400, "VALIDATION_ERROR")
    assert response.json()["error"]["field"] == "input"


HOOK = {"url": "https://example.com/h", "events": ["form.submitted"]}


def test_a_given_webhook_secret_is_used(alice_api):
    secret = "whsec_" + base64.b64encode(b"k" * 32).decode()
    response = alice_api.post("/api/v1/webhooks", {**HOOK, "secret": secret}, format="json")
    assert response.status_code == 201, response.content
    assert response.json()["data"]["secret"] == secret
    assert WebhookSubscription.objects.get(pk=response.json()["data"]["id"]).unseal()["secret"] == secret


@pytest.mark.parametrize(
    "secret", ["short", "whsec_" + base64.b64encode(b"k" * 8).decode(), "whsec_not base64!", "x" * 50]
)
def test_an_unfit_webhook_secret_is_refused(alice_api, secret):
    response = alice_api.post("/api/v1/webhooks", {**HOOK, "secret": secret}, format="json")
    assert_error(response, 400, "VALIDATION_ERROR")
    assert response.json()["error"]["field"] == "secret"


def test_a_webhook_secret_cannot_be_patched_silently(alice_api):
    hook_id = alice_api.post("/api/v1/webhooks", HOOK, format="json").json()["data"]["id"]
    secret = "whsec_" + base64.b64encode(b"k" * 32).decode()
    response = alice_api.patch(f"/api/v1/webhooks/{hook_id}", {"secret": secret}, format="json")
    assert_error(response, 400, "VALIDATION_ERROR")
    assert response.json()["error"]["field"] == "secret"


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({"name": "k", "type": "api_key", "secret": {}}, "secret.key"),
        ({"name": "k", "type": "api_key", "secret": {"key": 5}}, "secret.key"),
        ({"name": "b", "type": "basic", "secret": {"password": "p"}}, "metadata.username"),
    ],
)
def test_credential_errors_name_the_request_path(alice_api, body, field):
    response = alice_api.post("/api/v1/credentials", body, format="json")
    assert response.status_code == 400, response.content
    assert response.json()["error"]["field"] == field
