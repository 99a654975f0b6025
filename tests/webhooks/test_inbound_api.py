"""`/api/v1/workflows/{id}/hooks`: the URL each webhook node shows in its settings, and regenerating it."""

from __future__ import annotations

import pytest
from django.test import Client

from accounts.models import AuditEvent, Role
from tests.api.test_authentication import assert_error
from tests.webhooks.inbound_support import hook_flow, live_hook
from workflows import services

pytestmark = pytest.mark.django_db


def hooks_url(workflow) -> str:
    return f"/api/v1/workflows/{workflow.id}/hooks"


def test_each_webhook_node_is_listed_with_a_stable_url(alice_api, acme, alice):
    workflow, token = live_hook(acme.default_project, alice, config={"methods": ["PUT"], "response_mode": "last_node"})

    first = alice_api.get(hooks_url(workflow))
    again = alice_api.get(hooks_url(workflow))

    assert first.status_code == 200, first.content
    [hook] = first.json()["data"]
    assert hook == {
        "node_id": "hook",
        "token": token,
        "url": f"http://testserver/hooks/{token}",
        "methods": ["PUT"],
        "response_mode": "last_node",
        "signed": False,
        "live": True,
    }
    assert len(token) >= 32
    assert again.json()["data"] == first.json()["data"]


def test_a_draft_node_gets_its_url_before_it_is_published(alice_api, acme, alice):
    workflow = services.create_workflow(acme.default_project, name="Draft", definition=hook_flow(), actor=alice)

    [hook] = alice_api.get(hooks_url(workflow)).json()["data"]

    assert hook["node_id"] == "hook"
    assert hook["live"] is False
    assert Client().post(f"/hooks/{hook['token']}", data="{}", content_type="application/json").status_code == 404


def test_regenerating_a_token_retires_the_old_url(alice_api, acme, alice):
    workflow, old_token = live_hook(acme.default_project, alice)

    answer = alice_api.post(f"{hooks_url(workflow)}/hook/regenerate")

    assert answer.status_code == 200, answer.content
    new_token = answer.json()["data"]["token"]
    assert new_token != old_token
    caller = Client()
    assert caller.post(f"/hooks/{old_token}", data="{}", content_type="application/json").status_code == 404
    assert caller.post(f"/hooks/{new_token}", data="{}", content_type="application/json").status_code == 202
    assert AuditEvent.objects.filter(organization=acme, action="workflow.hook_regenerated").exists()


def test_a_viewer_sees_the_hooks_but_cannot_regenerate_them(acme, alice, make_key, api_client_for):
    workflow, token = live_hook(acme.default_project, alice)
    _, plaintext = make_key(acme, Role.VIEWER)
    viewer = api_client_for(plaintext)

    assert viewer.get(hooks_url(workflow)).json()["data"][0]["token"] == token
    assert_error(viewer.post(f"{hooks_url(workflow)}/hook/regenerate"), 403, "FORBIDDEN")


def test_a_node_that_is_not_a_webhook_trigger_cannot_be_regenerated(alice_api, acme, alice):
    workflow, _ = live_hook(acme.default_project, alice)

    assert_error(alice_api.post(f"{hooks_url(workflow)}/reply/regenerate"), 404, "NOT_FOUND")


def test_an_outsider_gets_404_for_the_hooks_of_another_organization(charlie_api, acme, alice):
    workflow, token = live_hook(acme.default_project, alice)

    assert_error(charlie_api.get(hooks_url(workflow)), 404, "WORKFLOW_NOT_FOUND")
    assert_error(charlie_api.post(f"{hooks_url(workflow)}/hook/regenerate"), 404, "WORKFLOW_NOT_FOUND")
    assert token not in charlie_api.get(hooks_url(workflow)).content.decode()
