"""A long retry backoff parks the run as a delayed job on the real job function, holding no worker."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.utils import timezone

from tests.workflows.conftest import edge, node
from workflows import services
from workflows.models import Execution, ExecutionStep

pytestmark = pytest.mark.django_db


def flaky_call_flow(url: str) -> dict:
    retry = {"max_attempts": 2, "backoff_seconds": 30}
    return {
        "nodes": [
            node("start", "trigger.manual"),
            node("call", "http.request", {"method": "POST", "url": url, "body": {"n": 1}}, retry=retry),
        ],
        "edges": [edge("start", "call")],
    }


@pytest.fixture
def enqueued(monkeypatch):
    calls: list[tuple[str, dict]] = []
    monkeypatch.setattr(services, "enqueue_execution", lambda execution_id, **kw: calls.append((execution_id, kw)))
    return calls


def test_a_long_backoff_parks_the_run_and_a_delayed_job_continues_it(
    make_workflow, run_now, http_server, enqueued, django_capture_on_commit_callbacks
):
    http_server.statuses = [503, 200]
    execution = services.start_execution(
        make_workflow(definition=flaky_call_flow(http_server.url)), input={}, version=None
    )
    with django_capture_on_commit_callbacks(execute=True):
        # "waiting", not "completed": the worker did not sleep 30 s and retry in place.
        assert run_now(execution.id) == "waiting"
    execution.refresh_from_db()
    assert execution.waiting_for["kind"] == "retry"
    assert execution.lease_owner == ""
    step = ExecutionStep.objects.get(execution=execution, node_id="call")
    assert (step.attempt, step.status, step.resume_at) == (1, "retrying", execution.resume_at)
    # Measured from the failed attempt's end, not from now: a busy machine does not move it.
    assert timedelta(seconds=29) < execution.resume_at - step.finished_at <= timedelta(seconds=30)
    [(enqueued_id, options)] = enqueued
    assert (enqueued_id, options["at"]) == (execution.id, execution.resume_at)

    # An early wake-up (a stray job) is refused; when due, the delayed job runs attempt 2.
    assert run_now(execution.id) is None
    assert len(http_server.received) == 1
    due = timezone.now() - timedelta(seconds=1)
    Execution.objects.filter(pk=execution.pk).update(resume_at=due)
    ExecutionStep.objects.filter(pk=step.pk).update(resume_at=due)
    assert run_now(execution.id) == "completed"
    assert len(http_server.received) == 2
    statuses = list(ExecutionStep.objects.filter(execution=execution, node_id="call").order_by("attempt"))
    assert [(s.attempt, s.status) for s in statuses] == [(1, "retrying"), (2, "succeeded")]
