"""Every run ends, and only the lease holder writes: failures outside a node, recoveries, stolen leases."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.utils import timezone

from flowbuilder.redis import get_queue
from tests.workflows.conftest import edge, node
from workflows import events, leases, lifecycle, services, terminal
from workflows.engine import RunOutcome
from workflows.journal import OrmJournal
from workflows.models import Execution, ExecutionStatus
from workflows.recovery import reap_abandoned_executions

pytestmark = pytest.mark.django_db


@pytest.fixture
def announced(monkeypatch):
    """Every (execution id, status) a waiter was woken with, and every event kind published."""
    seen = {"finished": [], "events": []}
    monkeypatch.setattr(lifecycle, "announce_finished", lambda execution_id, status: seen["finished"].append(status))
    monkeypatch.setattr(lifecycle, "publish_event", lambda execution, kind, data: seen["events"].append(kind))
    # A run's own events leave in batches (events.RunEvents), through one call.
    logged = lambda execution, batch: seen["events"].extend(event["event"] for event in batch)  # noqa: E731
    monkeypatch.setattr(events, "_log_and_send", logged)
    return seen


def two_steps() -> dict:
    return {
        "nodes": [
            node("start", "trigger.manual"),
            node("one", "data.set", {"fields": {"a": 1}}),
            node("two", "data.set", {"fields": {"b": 2}}),
        ],
        "edges": [edge("start", "one"), edge("one", "two")],
    }


def test_an_exception_outside_a_node_ends_the_run_failed_with_internal_error(
    make_workflow, run_now, monkeypatch, announced, caplog, django_capture_on_commit_callbacks
):
    execution = services.start_execution(make_workflow(), input={}, version=None)

    def broken_journal(self, record):
        raise RuntimeError("the journal broke: secret detail")

    monkeypatch.setattr(OrmJournal, "step_finished", broken_journal)
    with django_capture_on_commit_callbacks(execute=True):
        assert run_now(execution.id) == ExecutionStatus.FAILED
    execution.refresh_from_db()
    assert execution.status == ExecutionStatus.FAILED
    assert execution.error["code"] == "INTERNAL_ERROR"
    assert "secret detail" not in str(execution.error) and "Traceback" not in str(execution.error)
    assert execution.completed_at is not None and execution.lease_owner == ""
    assert announced["finished"] == [ExecutionStatus.FAILED]
    assert "execution.finished" in announced["events"]
    assert "secret detail" in caplog.text  # the traceback is in the server log


def test_a_failing_finish_still_ends_the_run(make_workflow, run_now, monkeypatch, announced):
    execution = services.start_execution(make_workflow(), input={}, version=None)
    monkeypatch.setattr(terminal, "record_usage", lambda *args, **kwargs: None)

    def broken_finish(execution, outcome, **kwargs):
        raise RuntimeError("finish broke")

    monkeypatch.setattr(lifecycle, "finish_execution", broken_finish)
    run_now(execution.id)
    execution.refresh_from_db()
    assert execution.status == ExecutionStatus.FAILED and execution.error["code"] == "INTERNAL_ERROR"


def test_a_broken_integrations_import_fails_the_run_instead_of_running_without_credentials(
    make_workflow, run_now, monkeypatch, announced
):
    import builtins

    real_import = builtins.__import__

    def refuse_runtime(name, *args, **kwargs):
        if name == "integrations.runtime":
            raise ImportError("integrations.runtime is broken")
        return real_import(name, *args, **kwargs)

    execution = services.start_execution(make_workflow(), input={}, version=None)
    monkeypatch.setattr(builtins, "__import__", refuse_runtime)
    run_now(execution.id)
    monkeypatch.setattr(builtins, "__import__", real_import)
    execution.refresh_from_db()
    assert execution.status == ExecutionStatus.FAILED and execution.error["code"] == "INTERNAL_ERROR"
    assert not execution.steps.exists()


def abandoned(workflow, recovered_count: int) -> Execution:
    execution = services.start_execution(workflow, input={}, version=None)
    Execution.objects.filter(pk=execution.pk).update(
        status=ExecutionStatus.RUNNING,
        lease_owner="dead-worker:1:abc",
        lease_expires_at=timezone.now() - timedelta(seconds=5),
        started_at=timezone.now() - timedelta(minutes=1),
        recovered_count=recovered_count,
    )
    get_queue(services.EXECUTION_QUEUE).empty()
    return execution


def test_a_run_recovered_too_often_fails_with_recovery_limit(
    make_workflow, settings, announced, django_capture_on_commit_callbacks
):
    settings.FLOWBUILDER_MAX_RECOVERIES = 3
    workflow = make_workflow()
    again, worn_out = abandoned(workflow, recovered_count=2), abandoned(workflow, recovered_count=3)
    with django_capture_on_commit_callbacks(execute=True):
        reap_abandoned_executions()
    again.refresh_from_db()
    worn_out.refresh_from_db()
    assert again.status == ExecutionStatus.PENDING and again.recovered_count == 3
    assert worn_out.status == ExecutionStatus.FAILED and worn_out.error["code"] == "RECOVERY_LIMIT"
    assert worn_out.recovered_count == 3 and worn_out.completed_at is not None
    queued = get_queue(services.EXECUTION_QUEUE).jobs
    assert [job.args[0] for job in queued] == [again.id]
    assert announced["finished"] == [ExecutionStatus.FAILED]


def test_a_worker_that_lost_its_lease_writes_nothing_at_finish(make_workflow, announced):
    execution = services.start_execution(make_workflow(), input={}, version=None)
    claimed = lifecycle.claim_execution(execution.id)
    stolen_until = timezone.now() + timedelta(seconds=60)
    Execution.objects.filter(pk=execution.pk).update(lease_owner="other-worker:2:def", lease_expires_at=stolen_until)
    lifecycle.finish_execution(claimed, RunOutcome(status=ExecutionStatus.COMPLETED, output={"mine": True}))
    execution.refresh_from_db()
    assert execution.status == ExecutionStatus.RUNNING
    assert execution.output is None and execution.completed_at is None
    assert execution.lease_owner == "other-worker:2:def" and execution.lease_expires_at == stolen_until
    assert announced == {"finished": [], "events": ["execution.started"]}


def test_a_lost_heartbeat_stops_the_run_at_the_next_step(make_workflow, run_now, monkeypatch, announced):
    execution = services.start_execution(make_workflow(definition=two_steps()), input={}, version=None)
    real_save = leases.LeasedJournal._save

    def lose_after_first_step(self, record):
        real_save(self, record)
        if record.node_id == "start" and record.status == "succeeded":
            self.heartbeat.lost.set()  # the heartbeat thread saw the lease go

    monkeypatch.setattr(leases.LeasedJournal, "_save", lose_after_first_step)
    assert run_now(execution.id) is None
    execution.refresh_from_db()
    assert execution.status == ExecutionStatus.RUNNING and execution.output is None
    # Only pure steps ran: their records were waiting for the finish, which never came.
    assert not execution.steps.exists()
