"""A trigger's input_schema at the API: refused when broken, checked at execute and at hooks, shown on the workflow."""

from __future__ import annotations

import json

import pytest
from django.test import Client

from flowbuilder.redis import get_queue
from tests.api.test_authentication import assert_error
from tests.webhooks.inbound_support import live_hook
from tests.workflows.conftest import edge, node
from workflows import services
from workflows.models import Execution, IdempotencyKey

pytestmark = pytest.mark.django_db

ORDER = {
    "type": "object",
    "required": ["amount"],
    "properties": {"amount": {"type": "number"}, "lines": {"type": "array", "items": {"type": "object",
                   "properties": {"qty": {"type": "integer"}}}}},
}  # fmt: skip


def order_flow(schema: dict | None = ORDER) -> dict:
    config = {"input_schema": schema} if schema is not None else {}
    return {
        "nodes": [
            node("start", "trigger.manual", config),
            node("echo", "data.set", {"fields": {"got": "{{ input }}"}}),
        ],
        "edges": [edge("start", "echo")],
    }


def execute(client, workflow_id, **body):
    return client.post(f"/api/v1/workflows/{workflow_id}/execute", body, format="json")


def nothing_started() -> bool:
    return not Execution.objects.exists() and get_queue("executions").count == 0


def test_a_broken_schema_is_refused_at_save_with_its_path(alice_api):
    definition = order_flow({"type": "object", "properties": {"amount": {"type": "money"}}})
    refused = alice_api.post("/api/v1/workflows", {"name": "Orders", "definition": definition}, format="json")
    error = assert_error(refused, 422, "INVALID_NODE_CONFIG")
    assert error["field"] == "nodes[0].config.input_schema.properties.amount.type"


def test_validate_reports_a_remote_reference(alice_api, make_workflow):
    workflow = make_workflow(definition=order_flow())
    remote = order_flow({"$ref": "https://example.com/order.json"})
    answer = alice_api.post(f"/api/v1/workflows/{workflow.id}/validate", {"definition": remote}, format="json")
    data = answer.json()["data"]
    assert data["valid"] is False
    assert data["problems"][0]["path"] == "nodes[0].config.input_schema.$ref"


def test_execute_refuses_input_that_fails_the_schema_and_stores_nothing(alice_api, make_workflow):
    workflow = make_workflow(definition=order_flow())

    wrong = execute(alice_api, workflow.id, input={"amount": "a lot"}, version="draft")
    error = assert_error(wrong, 400, "INVALID_INPUT")
    assert error["field"] == "input.amount"
    assert error["message"].startswith("input.amount: ")
    assert error["details"]["problems"] == [{"path": "input.amount", "message": "'a lot' is not of type 'number'"}]

    missing = assert_error(execute(alice_api, workflow.id, input={}, version="draft"), 400, "INVALID_INPUT")
    assert missing["field"] == "input.amount"
    nested = execute(alice_api, workflow.id, input={"amount": 1, "lines": [{"qty": 1.5}]}, version="draft")
    assert assert_error(nested, 400, "INVALID_INPUT")["field"] == "input.lines[0].qty"
    assert nothing_started()


def test_an_idempotent_execute_with_bad_input_keeps_no_key(alice_api, make_workflow):
    workflow = make_workflow(definition=order_flow())
    headers = {"HTTP_IDEMPOTENCY_KEY": "order-1"}
    url = f"/api/v1/workflows/{workflow.id}/execute"
    refused = alice_api.post(url, {"input": {}, "version": "draft"}, format="json", **headers)
    assert_error(refused, 400, "INVALID_INPUT")
    assert not IdempotencyKey.objects.exists() and nothing_started()
    started = alice_api.post(url, {"input": {"amount": 5}, "version": "draft"}, format="json", **headers)
    assert started.status_code == 202


def test_matching_input_runs(alice_api, make_workflow, run_now):
    workflow = make_workflow(definition=order_flow())
    started = execute(alice_api, workflow.id, input={"amount": 12.5, "lines": [{"qty": 2}]}, version="draft")
    assert started.status_code == 202, started.content
    assert run_now(started.json()["data"]["execution_id"]) == "completed"


def test_the_schema_of_the_version_that_runs_is_checked(alice_api, make_workflow):
    workflow = make_workflow(definition=order_flow(None))
    alice_api.post(f"/api/v1/workflows/{workflow.id}/publish", {}, format="json")
    workflow.refresh_from_db()
    services.update_workflow(workflow, changes={"definition": order_flow()})

    assert execute(alice_api, workflow.id, input={}).status_code == 202  # published: no schema
    assert_error(execute(alice_api, workflow.id, input={}, version="draft"), 400, "INVALID_INPUT")


def test_the_workflow_detail_shows_the_input_schema_execute_applies(alice_api, make_workflow):
    workflow = make_workflow(definition=order_flow())
    assert alice_api.get(f"/api/v1/workflows/{workflow.id}").json()["data"]["input_schema"] == ORDER

    alice_api.post(f"/api/v1/workflows/{workflow.id}/publish", {}, format="json")
    workflow.refresh_from_db()
    services.update_workflow(workflow, changes={"definition": order_flow(None)})
    detail = alice_api.get(f"/api/v1/workflows/{workflow.id}").json()["data"]
    assert detail["input_schema"] == ORDER  # the published version is what execute runs
    assert detail["definition"]["nodes"][0]["config"] == {}

    other = make_workflow(name="Plain", definition=order_flow(None))
    assert alice_api.get(f"/api/v1/workflows/{other.id}").json()["data"]["input_schema"] is None


def test_node_types_offer_input_schema_on_manual_and_webhook_triggers(alice_api):
    types = {t["type"]: t for t in alice_api.get("/api/v1/node-types").json()["data"]}
    for name in ("trigger.manual", "trigger.webhook"):
        assert types[name]["config_schema"]["properties"]["input_schema"]["type"] == "object"
    assert "input_schema" not in types["trigger.schedule"]["config_schema"]["properties"]


def test_an_inbound_hook_checks_the_body_and_starts_nothing_when_it_fails(acme, alice):
    workflow, token = live_hook(acme.default_project, alice, config={"methods": ["POST"], "input_schema": ORDER})
    caller = Client()

    refused = caller.post(f"/hooks/{token}", data=json.dumps({"amount": "x"}), content_type="application/json")
    assert refused.status_code == 400
    body = refused.json()
    assert body["success"] is False
    assert body["error"]["code"] == "INVALID_INPUT"
    assert body["error"]["field"] == "body.amount"
    assert body["error"]["details"]["problems"][0]["path"] == "body.amount"
    not_json = caller.post(f"/hooks/{token}", data="amount=3", content_type="application/x-www-form-urlencoded")
    assert not_json.json()["error"]["field"] == "body.amount"  # form fields are text
    assert nothing_started()

    accepted = caller.post(f"/hooks/{token}", data=json.dumps({"amount": 3}), content_type="application/json")
    assert accepted.status_code == 202
    assert Execution.objects.filter(workflow=workflow).count() == 1
