"""The issue's acceptance flow through the API on a real `rqworker` process."""

from __future__ import annotations

import pytest

from tests.workflows.conftest import full_flow, full_flow_as_states
from tests.workflows.processes import start_worker, wait_until

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.slow]


def run_through_the_api(client, body: dict) -> dict:
    created = client.post("/api/v1/workflows", body, format="json")
    assert created.status_code == 201, created.content
    workflow_id = created.json()["data"]["id"]
    started = client.post(
        f"/api/v1/workflows/{workflow_id}/execute", {"input": {"amount": 250}, "version": "draft"}, format="json"
    )
    assert started.status_code == 202
    execution_id = started.json()["data"]["execution_id"]

    def finished():
        execution = client.get(f"/api/v1/executions/{execution_id}").json()["data"]
        return execution if execution["status"] in ("completed", "failed") else None

    return wait_until(finished, timeout=60, what="the run on the worker")


def test_the_flow_runs_on_a_real_worker_and_every_step_is_visible(alice_api, http_server):
    worker = start_worker()
    try:
        by_nodes = run_through_the_api(alice_api, {"name": "Nodes", "definition": full_flow(http_server.url)})
        by_states = run_through_the_api(
            alice_api, {"name": "States", "definition": full_flow_as_states(http_server.url)}
        )
    finally:
        worker.stop()
    for execution in (by_nodes, by_states):
        assert execution["status"] == "completed", execution["error"]
        assert execution["output"] == {"status": 200, "echo": 250}
        succeeded = {step["node_id"] for step in execution["steps"] if step["status"] == "succeeded"}
        assert {"check", "vip", "tag", "notify", "done"} <= succeeded
        assert all(
            step["started_at"] and step["completed_at"] for step in execution["steps"] if step["status"] == "succeeded"
        )
    assert len(http_server.received) == 2
    usage = alice_api.get("/api/v1/usage").json()["data"]["totals"]
    assert usage["executions"] == 2 and usage["steps"] >= 14
