import datetime as dt

import pytest
from django.utils import timezone

from tests.api.test_authentication import assert_error
from tests.workflows.conftest import edge, full_flow, full_flow_as_states, node, simple_flow
from workflows.models import Execution, ExecutionStep


def execute(client, workflow_id, **body):
    return client.post(f"/api/v1/workflows/{workflow_id}/execute", body, format="json")


def test_execute_answers_202_and_the_worker_records_every_step(alice_api, make_workflow, run_now, http_server):
    workflow = make_workflow(definition=full_flow(http_server.url))
    response = execute(alice_api, workflow.id, input={"amount": 250}, version="draft")
    assert response.status_code == 202
    started = response.json()["data"]
    assert started["status"] == "pending" and started["execution_id"].startswith("exec_")

    assert run_now(started["execution_id"]) == "completed"
    execution = alice_api.get(f"/api/v1/executions/{started['execution_id']}").json()["data"]
    assert execution["status"] == "completed"
    assert execution["output"] == {"status": 200, "echo": 250}
    ran = {step["node_id"]: step for step in execution["steps"] if step["status"] == "succeeded"}
    assert set(ran) == {"start", "check", "vip", "tag", "join", "notify", "done"}
    assert ran["check"]["output_port"] == "true"
    assert ran["join"]["output"] == {"vip": {"tier": "vip"}, "tag": {"tagged": True}}
    assert ran["notify"]["duration_ms"] is not None and ran["notify"]["started_at"]
    assert [step["status"] for step in execution["steps"] if step["node_id"] == "regular"] == ["skipped"]
    assert execution["current_state"] == "done"
    assert [state["state"] for state in execution["state_history"]][:2] == ["start", "check"]
    assert http_server.received[0]["headers"]["Idempotency-Key"] == f"{execution['id']}:notify"


def test_the_same_flow_in_the_states_form_runs_the_same_way(alice_api, run_now, http_server):
    states = full_flow_as_states(http_server.url)
    created = alice_api.post("/api/v1/workflows", {"name": "States", "definition": states}, format="json")
    assert created.status_code == 201, created.content
    started = execute(alice_api, created.json()["data"]["id"], input={"amount": 250}, version="draft").json()["data"]
    run_now(started["execution_id"])
    execution = alice_api.get(f"/api/v1/executions/{started['execution_id']}").json()["data"]
    assert execution["status"] == "completed"
    assert execution["output"] == {"status": 200, "echo": 250}


def test_the_false_branch_ends_the_run_with_its_output(alice_api, make_workflow, run_now, http_server):
    workflow = make_workflow(definition=full_flow(http_server.url))
    started = execute(alice_api, workflow.id, input={"amount": 5}, version="draft").json()["data"]
    run_now(started["execution_id"])
    execution = Execution.objects.get(pk=started["execution_id"])
    assert execution.output == {"tier": "regular"}
    assert http_server.received == []


def test_execute_runs_the_published_version_by_default(alice_api, make_workflow, run_now):
    workflow = make_workflow()
    alice_api.post(f"/api/v1/workflows/{workflow.id}/publish", {}, format="json")
    changed = simple_flow()
    changed["nodes"][1]["config"]["fields"] = {"hello": "draft"}
    alice_api.patch(f"/api/v1/workflows/{workflow.id}", {"definition": changed}, format="json")
    published = execute(alice_api, workflow.id, input={"name": "Ada"}).json()["data"]
    draft = execute(alice_api, workflow.id, input={"name": "Ada"}, version="draft").json()["data"]
    run_now(published["execution_id"])
    run_now(draft["execution_id"])
    assert Execution.objects.get(pk=published["execution_id"]).output == {"hello": "Ada"}
    assert Execution.objects.get(pk=published["execution_id"]).version == 1
    assert Execution.objects.get(pk=draft["execution_id"]).output == {"hello": "draft"}
    assert_error(execute(alice_api, workflow.id, version=7), 400, "VALIDATION_ERROR")


def test_a_failing_node_fails_the_run_with_node_code_and_message(alice_api, make_workflow, run_now, http_server):
    flow = simple_flow()
    flow["nodes"].append(node("call", "http.request", {"method": "GET", "url": http_server.url}))
    flow["edges"].append(edge("greet", "call"))
    http_server.statuses = [500]
    workflow = make_workflow(definition=flow)
    started = execute(alice_api, workflow.id, version="draft").json()["data"]
    assert run_now(started["execution_id"]) == "failed"
    execution = alice_api.get(f"/api/v1/executions/{started['execution_id']}").json()["data"]
    assert execution["error"]["node_id"] == "call" and execution["error"]["code"] == "HTTP_ERROR"
    assert execution["current_state"] == "call"

    # Retry from the failed step: the completed steps are reused, not run again.
    retried = alice_api.post(f"/api/v1/executions/{execution['id']}/retry").json()["data"]
    assert retried["status"] == "pending"
    assert run_now(execution["id"]) == "completed"
    assert ExecutionStep.objects.filter(execution_id=execution["id"], node_id="greet").count() == 1
    attempts = ExecutionStep.objects.filter(execution_id=execution["id"], node_id="call").order_by("attempt")
    assert [(step.attempt, step.status) for step in attempts] == [(1, "failed"), (2, "succeeded")]
    assert_error(alice_api.post(f"/api/v1/executions/{execution['id']}/retry"), 409, "CONFLICT")


def approval_flow() -> dict:
    return {
        "nodes": [
            node("start", "trigger.manual"),
            node("approve", "logic.wait_for_event", {"event": "approval", "timeout_seconds": 3600}),
            node("ok", "data.set", {"fields": {"approved_by": "{{ input.by }}"}}),
            node("late", "logic.fail", {"code": "TOO_LATE", "message": "nobody answered"}),
        ],
        "edges": [edge("start", "approve"), edge("approve", "ok"), edge("approve", "late", "timeout")],
    }


def test_a_waiting_run_resumes_with_the_payload(alice_api, make_workflow, run_now):
    workflow = make_workflow(definition=approval_flow())
    started = execute(alice_api, workflow.id, version="draft").json()["data"]
    assert run_now(started["execution_id"]) == "waiting"
    waiting = alice_api.get(f"/api/v1/executions/{started['execution_id']}").json()["data"]
    assert waiting["status"] == "waiting" and waiting["current_state"] == "approve"
    assert waiting["waiting_for"]["kind"] == "event" or waiting["waiting_for"].get("event") == "approval"

    resumed = alice_api.post(
        f"/api/v1/executions/{started['execution_id']}/resume", {"payload": {"by": "Grace"}}, format="json"
    )
    assert resumed.status_code == 200 and resumed.json()["data"]["status"] == "pending"
    pending = Execution.objects.get(pk=started["execution_id"])
    waiting_key = waiting["waiting_for"]["step_key"]
    assert run_now(pending.id, resume={"step_key": waiting_key, "payload": {"by": "Grace"}}) == "completed"
    assert Execution.objects.get(pk=pending.id).output == {"approved_by": "Grace"}
    assert_error(alice_api.post(f"/api/v1/executions/{pending.id}/resume", {}, format="json"), 409, "CONFLICT")


def test_cancel_stops_a_pending_run_and_refuses_an_ended_one(alice_api, make_workflow, run_now):
    workflow = make_workflow()
    started = execute(alice_api, workflow.id, version="draft").json()["data"]
    cancelled = alice_api.post(f"/api/v1/executions/{started['execution_id']}/cancel").json()["data"]
    assert cancelled["status"] == "cancelled"
    assert run_now(started["execution_id"]) is None  # the worker leaves it alone
    assert_error(alice_api.post(f"/api/v1/executions/{started['execution_id']}/cancel"), 409, "CONFLICT")


@pytest.fixture
def history(alice_api, make_workflow, run_now):
    workflow = make_workflow()
    ids = []
    for index in range(5):
        started = execute(alice_api, workflow.id, input={"name": str(index)}, version="draft").json()["data"]
        ids.append(started["execution_id"])
    for execution_id in ids[:3]:
        run_now(execution_id)
    old = Execution.objects.get(pk=ids[0])
    old.created_at = timezone.now() - dt.timedelta(days=10)
    old.save()
    return workflow, ids


def test_executions_filter_by_status_and_dates(alice_api, history):
    workflow, ids = history
    def listed(query):
        return [
            e["id"] for e in alice_api.get(f"/api/v1/workflows/{workflow.id}/executions?{query}").json()["data"]
        ]  # noqa: E731,E501
    assert set(listed("status=success")) == set(ids[:3])
    assert set(listed("status=pending")) == set(ids[3:])
    since = (timezone.now() - dt.timedelta(days=1)).date().isoformat()
    assert ids[0] not in listed(f"from={since}")
    assert listed(f"end_date={(timezone.now() - dt.timedelta(days=5)).date().isoformat()}") == [ids[0]]
    assert_error(alice_api.get(f"/api/v1/workflows/{workflow.id}/executions?status=sleeping"), 400, "VALIDATION_ERROR")
    assert_error(alice_api.get("/api/v1/executions?from=yesterday"), 400, "VALIDATION_ERROR")


def test_execution_history_pages_with_a_cursor(alice_api, history):
    _, ids = history
    first = alice_api.get("/api/v1/executions?limit=2").json()
    assert first["meta"]["has_more"] is True and first["meta"]["total"] == 5
    seen = [e["id"] for e in first["data"]]
    cursor = first["meta"]["next_cursor"]
    while cursor:
        page = alice_api.get(f"/api/v1/executions?limit=2&cursor={cursor}").json()
        seen += [e["id"] for e in page["data"]]
        cursor = page["meta"]["next_cursor"]
    assert len(seen) == 5 and set(seen) == set(ids)
    assert_error(alice_api.get("/api/v1/executions?cursor=garbage!"), 400, "VALIDATION_ERROR")


def test_metrics_count_and_time_the_runs(alice_api, history):
    workflow, _ = history
    start = (timezone.now() - dt.timedelta(days=30)).isoformat()
    query = {"start_date": start, "granularity": "day"}
    metrics = alice_api.get(f"/api/v1/workflows/{workflow.id}/metrics", query).json()["data"]
    assert metrics["total"] == 5 and metrics["successful"] == 3 and metrics["failed"] == 0
    assert metrics["success_rate"] == 100.0
    assert metrics["average_duration_ms"] is not None and metrics["p95_duration_ms"] is not None
    assert sum(bucket["total"] for bucket in metrics["series"]) == 5
    assert_error(alice_api.get(f"/api/v1/workflows/{workflow.id}/metrics?granularity=minute"), 400, "VALIDATION_ERROR")


def test_an_outsider_cannot_see_or_touch_executions(alice_api, charlie_api, make_workflow):
    workflow = make_workflow()
    started = execute(alice_api, workflow.id, version="draft").json()["data"]
    for method, path in [("get", ""), ("post", "/cancel"), ("post", "/retry"), ("post", "/resume")]:
        response = getattr(charlie_api, method)(
            f"/api/v1/executions/{started['execution_id']}{path}", {}, format="json"
        )
        assert_error(response, 404, "NOT_FOUND")
    assert charlie_api.get("/api/v1/executions").json()["data"] == []


def test_a_viewer_cannot_run_or_cancel(acme, make_key, api_client_for, make_workflow):
    workflow = make_workflow()
    _, plaintext = make_key(acme, "viewer")
    assert_error(execute(api_client_for(plaintext), workflow.id), 403, "FORBIDDEN")


def test_cancelling_a_run_whose_worker_died_ends_it_at_once(alice_api, make_workflow):
    workflow = make_workflow()
    started = execute(alice_api, workflow.id, version="draft").json()["data"]
    Execution.objects.filter(pk=started["execution_id"]).update(
        status="running", lease_owner="dead-worker", lease_expires_at=timezone.now() - dt.timedelta(minutes=1)
    )
    cancelled = alice_api.post(f"/api/v1/executions/{started['execution_id']}/cancel").json()["data"]
    assert cancelled["status"] == "cancelled"


def test_cancelling_a_run_on_a_live_worker_asks_it_to_stop(alice_api, make_workflow):
    workflow = make_workflow()
    started = execute(alice_api, workflow.id, version="draft").json()["data"]
    Execution.objects.filter(pk=started["execution_id"]).update(
        status="running", lease_owner="live-worker", lease_expires_at=timezone.now() + dt.timedelta(minutes=1)
    )
    cancelled = alice_api.post(f"/api/v1/executions/{started['execution_id']}/cancel").json()["data"]
    assert cancelled["status"] == "running"
    assert Execution.objects.get(pk=started["execution_id"]).cancel_requested is True
