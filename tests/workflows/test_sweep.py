"""The database says what must run next: lost jobs of pending runs and due waits are queued again, once."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.db import OperationalError
from django.utils import timezone
from rq import SimpleWorker

from flowbuilder.redis import get_queue, get_redis
from tests.workflows.conftest import wait_flow
from tests.workflows.processes import start_scheduler, start_worker, wait_until
from workflows import jobs, services
from workflows.models import Execution, ExecutionStatus
from workflows.scheduler import run_scheduler_once

pytestmark = pytest.mark.django_db(transaction=True)


def queued_execution_ids() -> list[str]:
    return [job.args[0] for job in get_queue(services.EXECUTION_QUEUE).jobs]


def run_queued_jobs() -> None:
    SimpleWorker([get_queue(services.EXECUTION_QUEUE)], connection=get_redis()).work(burst=True)


def test_a_job_lost_while_pending_is_queued_again_exactly_once(make_workflow, settings):
    settings.FLOWBUILDER_LEASE_SECONDS = 1  # how long a pending run may look jobless
    execution = services.start_execution(make_workflow(), input={}, version=None)
    get_queue(services.EXECUTION_QUEUE).empty()  # a worker took the job and died before claiming

    wait_until(lambda: run_scheduler_once() and queued_execution_ids(), timeout=20, what="the sweep to requeue it")
    for _ in range(30):
        run_scheduler_once()
    assert queued_execution_ids() == [execution.id]
    run_queued_jobs()
    execution.refresh_from_db()
    assert execution.status == ExecutionStatus.COMPLETED, execution.error


def test_a_claim_that_failed_leaves_the_run_to_the_sweep(make_workflow, settings, monkeypatch):
    settings.FLOWBUILDER_LEASE_SECONDS = 1
    execution = services.start_execution(make_workflow(), input={}, version=None)
    def locked(*args, **kwargs):
        raise OperationalError("database is locked")

    with monkeypatch.context() as patched:
        patched.setattr(jobs, "claim_execution", locked)
        run_queued_jobs()  # the job fails; the run stays pending
    assert Execution.objects.get(pk=execution.pk).status == ExecutionStatus.PENDING

    wait_until(lambda: run_scheduler_once() and queued_execution_ids(), timeout=20, what="the sweep to requeue it")
    run_queued_jobs()
    assert Execution.objects.get(pk=execution.pk).status == ExecutionStatus.COMPLETED


def all_completed(workflow) -> bool:
    return set(Execution.objects.filter(workflow=workflow).values_list("status", flat=True)) == {"completed"}


def test_twenty_overdue_waits_with_workers_down_queue_at_most_twenty_jobs(make_workflow, settings):
    settings.FLOWBUILDER_LEASE_SECONDS = 1
    workflow = make_workflow(definition=wait_flow(1))
    parked = [services.start_execution(workflow, input={}, version=None) for _ in range(20)]
    run_queued_jobs()  # each run parks on its wait
    assert set(Execution.objects.filter(workflow=workflow).values_list("status", flat=True)) == {"waiting"}
    # The workers (and RQ's scheduler in them) were down while the waits fell due.
    Execution.objects.filter(workflow=workflow).update(resume_at=timezone.now() - timedelta(minutes=5))
    for _ in range(60):  # several grace periods of scheduler passes
        run_scheduler_once()
    queued = queued_execution_ids()
    assert len(queued) <= 20
    assert sorted(queued) == sorted(execution.id for execution in parked)
    # Workers are back: every run ends.
    wait_until(
        lambda: run_scheduler_once() and (run_queued_jobs() or True) and all_completed(workflow),
        timeout=30,
        what="every wait to end",
    )


@pytest.mark.slow
def test_a_due_wait_resumes_without_rqs_scheduler(make_workflow):
    """Workers without RQ's scheduler (or whose scheduler lock is held by a dead worker)."""
    execution = services.start_execution(make_workflow(definition=wait_flow(1)), input={}, version=None)
    worker, scheduler = start_worker(with_scheduler=False), start_scheduler()
    try:
        wait_until(lambda: Execution.objects.get(pk=execution.pk).is_terminal, timeout=20, what="the wait to end")
    finally:
        worker.stop()
        scheduler.stop()
    execution.refresh_from_db()
    assert execution.status == ExecutionStatus.COMPLETED and execution.output == {"waited": True}
