"""`logs` on an execution: the run's story from the journal, as {timestamp, level, node_id, message}."""

from __future__ import annotations

import pytest
from django.test import Client
from django.utils.dateparse import parse_datetime

from tests.workflows.conftest import edge, node
from workflows.models import Execution, ExecutionLog

pytestmark = pytest.mark.django_db


def branching_flow() -> dict:
    return {
        "nodes": [
            node("start", "trigger.manual"),
            node("check", "logic.if", {"condition": "{{ input.amount > 100 }}"}),
            node("big", "logic.fail", {"code": "TOO_BIG", "message": "over the limit"}),
            node("small", "data.set", {"fields": {"ok": True}}),
        ],
        "edges": [edge("start", "check"), edge("check", "big", "true"), edge("check", "small", "false")],
    }


def run(alice_api, make_workflow, run_now, amount: int) -> dict:
    workflow = make_workflow(definition=branching_flow())
    started = alice_api.post(
        f"/api/v1/workflows/{workflow.id}/execute", {"input": {"amount": amount}, "version": "draft"}, format="json"
    ).json()["data"]
    run_now(started["execution_id"])
    return alice_api.get(f"/api/v1/executions/{started['execution_id']}").json()["data"]


def test_a_completed_run_logs_its_start_each_step_and_its_end_in_order(alice_api, make_workflow, run_now):
    execution = run(alice_api, make_workflow, run_now, amount=5)
    logs = execution["logs"]

    assert all(set(line) == {"timestamp", "level", "node_id", "message"} for line in logs)
    times = [parse_datetime(line["timestamp"]) for line in logs]
    assert times == sorted(times)
    assert logs[0]["node_id"] is None and logs[0]["message"].startswith("Run created (api, trigger start, the draft)")
    assert logs[1] == {**logs[1], "node_id": None, "message": "Run started."}
    assert logs[-1]["node_id"] is None and logs[-1]["message"].startswith("Run completed in ")
    by_node = [(line["node_id"], line["message"].split(" ")[1]) for line in logs if line["node_id"]]
    assert by_node == [
        ("start", "started"), ("start", "succeeded"),
        ("check", "started"), ("check", "succeeded"),
        ("big", "skipped"),
        ("small", "started"), ("small", "succeeded"),
    ]  # fmt: skip
    check = next(line for line in logs if line["node_id"] == "check" and "succeeded" in line["message"])
    assert "(port false)" in check["message"]
    assert {line["level"] for line in logs} == {"info"}
    assert len(execution["steps"]) == 4  # the steps stay, logs come beside them


def test_a_failed_run_logs_the_failing_step_and_the_run_failure_as_errors(alice_api, make_workflow, run_now):
    execution = run(alice_api, make_workflow, run_now, amount=500)
    errors = [line for line in execution["logs"] if line["level"] == "error"]

    assert [line["node_id"] for line in errors] == ["big", None]
    assert "TOO_BIG: over the limit" in errors[0]["message"]
    assert errors[1]["message"] == f"Run failed: {execution['error']['code']}: {execution['error']['message']}."
    assert execution["logs"][-1] == errors[1]


def test_lines_written_by_nodes_are_part_of_the_log(alice_api, make_workflow, run_now):
    execution = run(alice_api, make_workflow, run_now, amount=5)
    ExecutionLog.objects.create(
        execution=Execution.objects.get(pk=execution["id"]), node_id="small", level="warning", message="low stock"
    )
    logs = alice_api.get(f"/api/v1/executions/{execution['id']}").json()["data"]["logs"]
    assert {"node_id": "small", "level": "warning", "message": "low stock"}.items() <= logs[-1].items()


def test_a_pending_run_logs_only_its_creation(alice_api, make_workflow):
    workflow = make_workflow(definition=branching_flow())
    started = alice_api.post(f"/api/v1/workflows/{workflow.id}/execute", {"version": "draft"}, format="json")
    logs = alice_api.get(f"/api/v1/executions/{started.json()['data']['execution_id']}").json()["data"]["logs"]
    assert [line["message"] for line in logs] == ["Run created (api, trigger start, the draft)."]


def test_the_schema_documents_logs_beside_steps(db):
    schema = Client().get("/api/v1/schema/", HTTP_ACCEPT="application/vnd.oai.openapi+json").json()
    components = schema["components"]["schemas"]
    execution = components["Execution"]["properties"]
    assert execution["steps"]["items"]["$ref"].endswith("/Step")
    entry = components[execution["logs"]["items"]["$ref"].rsplit("/", 1)[-1]]
    assert set(entry["properties"]) == {"timestamp", "level", "node_id", "message"}
    assert entry["properties"]["node_id"]["nullable"] is True
