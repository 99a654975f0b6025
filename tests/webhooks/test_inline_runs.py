"""Short synchronous runs in the web process (D19): no queue hop, same lease and journal.

A `last_node` hook (and `execute` with `wait`) stores its execution, then runs it where the
request is, handing it to a worker when it parks or passes the time budget at a step
boundary; a process that dies mid-run is recovered like a dead worker.
"""

from __future__ import annotations

import itertools
import json
from datetime import timedelta

import pytest
from django.test import Client
from django.utils import timezone

from flowbuilder.redis import get_queue
from tests.webhooks.inbound_support import live_hook
from workflows import inline, lifecycle, services
from workflows.jobs import run_execution
from workflows.models import Execution, ExecutionStatus
from workflows.recovery import reap_abandoned_executions

pytestmark = pytest.mark.django_db(transaction=True)


def post_json(token: str, payload) -> object:
    return Client().post(f"/hooks/{token}", data=json.dumps(payload), content_type="application/json")


def queued_jobs() -> list:
    return get_queue(services.EXECUTION_QUEUE).jobs


def steps(execution) -> list[tuple[str, int, str]]:
    return [(row.node_id, row.attempt, row.status) for row in execution.steps.order_by("id")]


def test_a_last_node_hook_runs_in_the_web_process_without_a_job(acme, alice, settings):
    settings.FLOWBUILDER_WEBHOOK_SYNC_TIMEOUT_SECONDS = 5  # no worker here: the old path timed out
    workflow, token = live_hook(acme.default_project, alice, config={"response_mode": "last_node"})

    answer = post_json(token, {"order": 42})

    assert answer.status_code == 200, answer.content
    assert answer.json() == {"got": {"order": 42}, "ok": True}
    execution = Execution.objects.get(workflow=workflow)
    assert execution.status == ExecutionStatus.COMPLETED and execution.lease_owner == ""
    assert steps(execution) == [("hook", 1, "succeeded"), ("reply", 1, "succeeded"), ("stop", 1, "succeeded")]
    assert queued_jobs() == []


def test_a_failed_inline_run_answers_500_with_its_error(acme, alice):
    workflow, token = live_hook(acme.default_project, alice, config={"response_mode": "last_node"}, fail=True)

    answer = post_json(token, {"order": 43})

    assert answer.status_code == 500, answer.content
    assert answer.json()["error"]["code"] == "REJECTED"
    assert Execution.objects.get(workflow=workflow).status == ExecutionStatus.FAILED


def test_execute_with_wait_runs_inline_and_answers_the_finished_execution(alice_api, acme, alice):
    workflow, _ = live_hook(acme.default_project, alice, name="Executed")

    body = {"input": {"body": {"a": 1}}, "wait": 5}
    answer = alice_api.post(f"/api/v1/workflows/{workflow.id}/execute", body, format="json")

    assert answer.status_code == 200, answer.content
    assert answer.json()["data"]["status"] == ExecutionStatus.COMPLETED, answer.json()
    assert answer.json()["data"]["output"] == {"got": {"a": 1}, "ok": True}
    assert queued_jobs() == []


@pytest.fixture
def stepping_clock(monkeypatch):
    """The budget's clock advances one second each time it is read: deterministic hand-offs."""
    ticks = itertools.count()
    monkeypatch.setattr(inline, "clock", lambda: float(next(ticks)))


def test_a_run_past_its_budget_is_handed_to_a_worker_at_a_step_boundary(acme, alice, stepping_clock):
    workflow, _ = live_hook(acme.default_project, alice)
    execution = services.start_execution(workflow, input={"body": {"n": 1}}, version=1, enqueue=False)

    # Read at the start (0) and at each step's start: hook (1), reply (2) is past a 1.5 s budget.
    assert inline.run_here(execution.id, budget=1.5) == ExecutionStatus.PENDING

    execution.refresh_from_db()
    assert execution.status == ExecutionStatus.PENDING and execution.lease_owner == ""
    assert steps(execution) == [("hook", 1, "succeeded")]  # written before the hand-off
    [job] = queued_jobs()
    assert job.args == (execution.id,)
    # The worker replays the journal and carries on.
    assert run_execution(execution.id) == ExecutionStatus.COMPLETED
    execution.refresh_from_db()
    assert steps(execution) == [("hook", 1, "succeeded"), ("reply", 1, "succeeded"), ("stop", 1, "succeeded")]
    assert execution.output == {"got": {"n": 1}, "ok": True}


def wait_flow() -> dict:
    return {
        "nodes": [
            {"id": "hook", "type": "trigger.webhook", "config": {"response_mode": "last_node"}},
            {"id": "pause", "type": "logic.wait", "config": {"seconds": 3600}},
            {"id": "stop", "type": "logic.succeed", "config": {}},
        ],
        "edges": [
            {"id": "e1", "source": "hook", "source_port": "out", "target": "pause"},
            {"id": "e2", "source": "pause", "source_port": "out", "target": "stop"},
        ],
    }


def test_a_run_that_parks_inline_is_left_to_the_scheduled_wake_up(acme, alice):
    workflow = services.create_workflow(acme.default_project, name="Parks", definition=wait_flow(), actor=alice)
    execution = services.start_execution(workflow, input={}, version=None, enqueue=False)

    assert inline.run_here(execution.id, budget=5) == ExecutionStatus.WAITING

    execution.refresh_from_db()
    assert execution.status == ExecutionStatus.WAITING and execution.lease_owner == ""
    assert steps(execution) == [("hook", 1, "succeeded"), ("pause", 1, "waiting")]
    scheduled = get_queue(services.EXECUTION_QUEUE).scheduled_job_registry.get_job_ids()
    assert scheduled == [services.wake_job_id(execution.id, execution.resume_at)]


class Killed(BaseException):
    """The web process dies mid-run (SIGKILL): nothing after this point runs."""


def test_a_web_process_dying_mid_run_is_recovered_like_a_dead_worker(acme, alice, monkeypatch):
    workflow, _ = live_hook(acme.default_project, alice)
    execution = services.start_execution(workflow, input={"body": {"n": 2}}, version=1, enqueue=False)
    real_finish = lifecycle.finish_execution

    def killed(*args, **kwargs):
        raise Killed

    monkeypatch.setattr(lifecycle, "finish_execution", killed)
    with pytest.raises(Killed):
        inline.run_here(execution.id, budget=5)
    monkeypatch.setattr(lifecycle, "finish_execution", real_finish)
    # Committed before the run started: the row is there, running, under the dead lease.
    Execution.objects.filter(pk=execution.pk).update(lease_expires_at=timezone.now() - timedelta(seconds=1))
    assert reap_abandoned_executions() == [execution.id]
    assert run_execution(execution.id) == ExecutionStatus.COMPLETED
    execution.refresh_from_db()
    assert execution.output == {"got": {"n": 2}, "ok": True} and execution.recovered_count == 1
