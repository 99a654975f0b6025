"""`/hooks/<token>`: who gets in, what the run receives as `trigger`, and every refusal in JSON."""

from __future__ import annotations

import json

import pytest
from django.test import Client

from integrations.services import create_credential
from tests.webhooks.inbound_support import live_hook, signature
from webhooks.inbound import ensure_hooks
from workflows import services
from workflows.models import Execution

pytestmark = pytest.mark.django_db


@pytest.fixture
def caller():
    return Client()


@pytest.fixture
def hooked(acme, alice):
    return live_hook(acme.default_project, alice)


def only_execution(workflow) -> Execution:
    [execution] = Execution.objects.filter(workflow=workflow)
    return execution


def test_a_json_post_starts_the_published_version_with_the_request_as_trigger(caller, hooked):
    workflow, token = hooked
    answer = caller.post(
        f"/hooks/{token}?source=crm&tag=a&tag=b",
        data=json.dumps({"lead": {"name": "Ada", "amount": 250}}),
        content_type="application/json",
        headers={"X-Request-Id": "r-1", "Authorization": "Bearer secret", "Cookie": "sessionid=x"},
    )

    assert answer.status_code == 202, answer.content
    execution = only_execution(workflow)
    assert answer.json() == {"execution_id": execution.id, "status": "pending"}
    assert answer["X-Execution-Id"] == execution.id
    assert (execution.mode, execution.version, execution.trigger_node_id) == ("webhook", 1, "hook")
    trigger = execution.input
    assert trigger["method"] == "POST"
    assert trigger["path"] == f"/hooks/{token}"
    assert trigger["query"] == {"source": "crm", "tag": ["a", "b"]}
    assert trigger["body"] == {"lead": {"name": "Ada", "amount": 250}}
    assert json.loads(trigger["raw_body"]) == trigger["body"]
    assert trigger["headers"]["x-request-id"] == "r-1"
    assert trigger["headers"]["content-type"] == "application/json"
    assert "authorization" not in trigger["headers"] and "cookie" not in trigger["headers"]


def test_a_form_encoded_body_becomes_fields_with_repeated_keys_as_lists(caller, hooked):
    workflow, token = hooked
    body = "name=Ada+Lovelace&topic=math&topic=engines&empty="
    answer = caller.post(f"/hooks/{token}", data=body, content_type="application/x-www-form-urlencoded")

    assert answer.status_code == 202, answer.content
    trigger = only_execution(workflow).input
    assert trigger["body"] == {"name": "Ada Lovelace", "topic": ["math", "engines"], "empty": ""}
    assert trigger["raw_body"] == body


def test_a_raw_body_is_kept_as_the_text_received(caller, hooked):
    workflow, token = hooked
    text = "<ping at='now'>  two  spaces\n</ping>"
    answer = caller.post(f"/hooks/{token}", data=text, content_type="application/xml")

    assert answer.status_code == 202, answer.content
    trigger = only_execution(workflow).input
    assert trigger["body"] == text
    assert trigger["headers"]["content-type"] == "application/xml"


def test_broken_json_is_refused_with_a_json_error_and_starts_nothing(caller, hooked):
    workflow, token = hooked
    answer = caller.post(f"/hooks/{token}", data="{not json", content_type="application/json")

    assert answer.status_code == 400
    assert answer.json()["error"]["code"] == "INVALID_BODY"
    assert not Execution.objects.filter(workflow=workflow).exists()


def test_a_method_the_node_does_not_accept_is_405_with_the_allowed_ones(caller, hooked):
    workflow, token = hooked
    answer = caller.get(f"/hooks/{token}")

    assert answer.status_code == 405
    assert answer["Allow"] == "POST"
    assert answer.json()["error"]["code"] == "METHOD_NOT_ALLOWED"
    assert not Execution.objects.filter(workflow=workflow).exists()


def test_a_get_is_accepted_when_the_node_lists_it(caller, acme, alice):
    workflow, token = live_hook(acme.default_project, alice, config={"methods": ["GET", "POST"]})
    answer = caller.get(f"/hooks/{token}?q=1")

    assert answer.status_code == 202, answer.content
    trigger = only_execution(workflow).input
    assert (trigger["method"], trigger["query"], trigger["body"]) == ("GET", {"q": "1"}, None)


def test_a_body_over_the_limit_is_413_and_one_at_the_limit_gets_in(caller, hooked, settings):
    settings.FLOWBUILDER_WEBHOOK_MAX_BODY_BYTES = 64
    workflow, token = hooked

    too_big = caller.post(f"/hooks/{token}", data="x" * 65, content_type="text/plain")
    at_limit = caller.post(f"/hooks/{token}", data="x" * 64, content_type="text/plain")

    assert too_big.status_code == 413
    assert too_big.json()["error"]["code"] == "PAYLOAD_TOO_LARGE"
    assert at_limit.status_code == 202
    assert only_execution(workflow).input["body"] == "x" * 64


def test_unknown_inactive_and_unpublished_tokens_all_get_the_same_404(caller, acme, alice, hooked):
    inactive, inactive_token = live_hook(acme.default_project, alice, name="Switched off")
    services.set_workflow_active(inactive, False, actor=alice)
    draft_only = services.create_workflow(
        acme.default_project, name="Never published", definition=inactive.definition, actor=alice
    )
    draft_token = ensure_hooks(draft_only)["hook"].token

    answers = [caller.post(f"/hooks/{token}", data="{}", content_type="application/json")
               for token in ("no-such-token", inactive_token, draft_token)]  # fmt: skip

    assert [answer.status_code for answer in answers] == [404, 404, 404]
    assert answers[0].content == answers[1].content == answers[2].content
    assert answers[0].json()["error"]["code"] == "NOT_FOUND"
    assert not Execution.objects.exists()


def test_a_signed_hook_takes_a_good_signature_and_refuses_bad_or_missing_ones(caller, acme, alice):
    """The deprecated body-only scheme still works (Standard Webhooks: test_inbound_replay.py)."""
    credential = create_credential(
        acme.default_project, name="Shared", type="hmac_secret", fields={"secret": "inline-shared-secret"}
    )
    config = {"methods": ["POST"], "hmac_secret": credential.id}
    workflow, token = live_hook(acme.default_project, alice, config=config)
    body = b'{"event":"push","n":1}'

    def send(**headers):
        return caller.post(f"/hooks/{token}", data=body, content_type="application/json", headers=headers)

    good = send(**{"X-Hub-Signature-256": signature("inline-shared-secret", body)})
    wrong_secret = send(**{"X-Hub-Signature-256": signature("another-secret", body)})
    other_body = send(**{"X-Hub-Signature-256": signature("inline-shared-secret", body + b" ")})
    missing = send()

    assert good.status_code == 202, good.content
    for refused in (wrong_secret, other_body, missing):
        assert refused.status_code == 401
        assert refused.json()["error"]["code"] == "INVALID_SIGNATURE"
    assert Execution.objects.filter(workflow=workflow).count() == 1


def test_the_signing_secret_can_come_from_a_vault_credential(caller, acme, alice):
    credential = create_credential(
        acme.default_project, name="GitHub hook", type="api_key", fields={"key": "vaulted", "name": "X-Key"}
    )
    _, token = live_hook(acme.default_project, alice, config={"hmac_secret": credential.id})
    body = b"ping"

    good = caller.post(
        f"/hooks/{token}",
        data=body,
        content_type="text/plain",
        headers={"X-Hub-Signature-256": signature("vaulted", body)},
    )
    bad = caller.post(
        f"/hooks/{token}",
        data=body,
        content_type="text/plain",
        headers={"X-Hub-Signature-256": signature(credential.id, body)},
    )

    assert (good.status_code, bad.status_code) == (202, 401)


def test_a_missing_signing_credential_is_reported_as_misconfigured_not_as_the_callers_fault(caller, acme, alice):
    _, token = live_hook(acme.default_project, alice, config={"hmac_secret": "cred_GONE"})
    answer = caller.post(f"/hooks/{token}", data="{}", content_type="application/json")

    assert answer.status_code == 503
    assert answer.json()["error"]["code"] == "HOOK_MISCONFIGURED"


def test_last_node_mode_falls_back_to_202_when_the_run_does_not_end_in_time(caller, acme, alice, settings):
    settings.FLOWBUILDER_WEBHOOK_SYNC_TIMEOUT_SECONDS = 0.1
    settings.FLOWBUILDER_INLINE_RUN_SECONDS = 0  # queued, as when the web process may not run it
    workflow, token = live_hook(acme.default_project, alice, config={"response_mode": "last_node"})
    # No worker runs in this test, so the run stays pending past the timeout.
    answer = caller.post(f"/hooks/{token}", data="{}", content_type="application/json")

    assert answer.status_code == 202
    assert answer.json() == {"execution_id": only_execution(workflow).id, "status": "pending"}


def test_a_node_names_its_signature_header_and_an_hmac_secret_credential_signs(caller, acme, alice):
    credential = create_credential(
        acme.default_project, name="Stripe-like", type="hmac_secret", fields={"secret": "whsec-like-value"}
    )
    config = {"hmac_secret": credential.id, "signature_header": "X-Shop-Signature"}
    _, token = live_hook(acme.default_project, alice, config=config)
    body = b'{"order": 7}'

    def send(header: str):
        return caller.post(
            f"/hooks/{token}",
            data=body,
            content_type="application/json",
            headers={header: signature("whsec-like-value", body)},
        )

    refused = send("X-Hub-Signature-256")  # the right signature in another header does not count
    assert refused.status_code == 401 and "X-Shop-Signature" in refused.json()["error"]["message"]
    assert send("X-Shop-Signature").status_code == 202


def test_cancelling_a_pending_hook_run_announces_the_end(caller, hooked, acme, alice):
    from workflows.waiting import wait_for_end

    response = caller.post(f"/hooks/{hooked[1]}", data=b"{}", content_type="application/json")
    execution = Execution.objects.get(pk=response.json()["execution_id"])
    services.cancel_execution(execution, actor=alice)
    assert wait_for_end(execution, timeout=5).status == "cancelled"
