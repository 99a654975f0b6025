"""Finding and restarting runs that no worker is advancing.

A worker keeps renewing a lease on the execution it runs (workflows.leases). When a worker
is killed, its lease expires; the reaper (run by the scheduler loop, once per interval,
in every scheduler process — the row locks make that safe) hands the execution to the
queue again, and the next worker replays the journal: completed steps are reused, the
step that was in flight runs again as a new attempt with the same idempotency key.

The sweep covers what has no lease yet: a pending run whose job was lost, a wait whose
time has come. The database says what must run; Redis is only asked whether its job lives.
"""

from __future__ import annotations

import logging
from datetime import timedelta

from django.conf import settings
from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from rq.job import Job, JobStatus

from accounts.services import ConflictError, record_audit
from flowbuilder.redis import get_queue, get_redis
from workflows.events import publish_event
from workflows.lifecycle import record_failure
from workflows.models import Execution, ExecutionStatus
from workflows.services import EXECUTION_QUEUE, enqueue_execution, execution_job_key, wake_job_id

logger = logging.getLogger(__name__)


def abandoned_executions():
    """Running executions whose worker stopped renewing the lease."""
    return Execution.objects.filter(status=ExecutionStatus.RUNNING).filter(
        Q(lease_expires_at__lt=timezone.now()) | Q(lease_expires_at=None)
    )


def reap_abandoned_executions(limit: int = 100) -> list[str]:
    """Put every abandoned execution back on the queue; returns their ids.

    A run that keeps killing its workers (or keeps losing them) is not recovered forever:
    past FLOWBUILDER_MAX_RECOVERIES it ends failed with RECOVERY_LIMIT.
    """
    recovered = []
    with transaction.atomic():
        rows = abandoned_executions().select_for_update(skip_locked=True)[:limit]
        for execution in rows:
            if execution.recovered_count >= settings.FLOWBUILDER_MAX_RECOVERIES:
                logger.error("execution %s was recovered %s times; failing it", execution.id, execution.recovered_count)
                record_failure(execution, recovery_limit_error(execution))
                continue
            mark_recovered(execution)
            recovered.append(execution.id)
            transaction.on_commit(lambda execution_id=execution.id: enqueue_execution(execution_id, at_front=True))
    for execution_id in recovered:
        logger.warning("execution %s was abandoned by its worker; re-enqueued", execution_id)
    return recovered


def recovery_limit_error(execution: Execution) -> dict[str, str]:
    message = (
        f"The run lost its worker {execution.recovered_count + 1} times (the limit is "
        f"{settings.FLOWBUILDER_MAX_RECOVERIES} recoveries); it is not started again."
    )
    return {"node_id": "", "code": "RECOVERY_LIMIT", "message": message}


def mark_recovered(execution: Execution) -> None:
    execution.status = ExecutionStatus.PENDING
    execution.lease_owner = ""
    execution.lease_expires_at = None
    execution.recovered_count += 1
    execution.save(update_fields=["status", "lease_owner", "lease_expires_at", "recovered_count"])
    publish_event(execution, "execution.recovered", {"recovered_count": execution.recovered_count})


def sweep_runs(limit: int = 100) -> dict[str, list[str]]:
    """The database says what must run next: give each such run a live job, once."""
    return {"pending": enqueue_jobless_pending(limit), "due_waits": wake_due_waits(limit)}


def enqueue_jobless_pending(limit: int = 100) -> list[str]:
    """Pending runs whose job is gone (taken by a worker that died before claiming, a failed claim)."""
    redis = get_redis()
    settled = timezone.now() - sweep_grace()  # younger runs are still being enqueued by their creator
    pending = Execution.objects.filter(status=ExecutionStatus.PENDING, created_at__lt=settled)
    swept = []
    for execution_id in pending.order_by("created_at").values_list("id", flat=True)[:limit]:
        job_id = redis.get(execution_job_key(execution_id))
        job_id = job_id.decode() if isinstance(job_id, bytes) else job_id or f"run-{execution_id}"
        if ensure_live_job(execution_id, job_id):
            swept.append(execution_id)
    for execution_id in swept:
        logger.warning("pending execution %s had no live job; re-enqueued", execution_id)
    return swept


def wake_due_waits(limit: int = 100) -> list[str]:
    """Waits whose time has come: their wake-up job is queued now, whether or not RQ's scheduler runs."""
    due = Execution.objects.filter(status=ExecutionStatus.WAITING, resume_at__lte=timezone.now())
    woken = []
    for execution_id, resume_at in due.order_by("resume_at").values_list("id", "resume_at")[:limit]:
        if ensure_live_job(execution_id, wake_job_id(execution_id, resume_at)):
            woken.append(execution_id)
    return woken


def ensure_live_job(execution_id: str, job_id: str) -> bool:
    """Queue `job_id` unless it is queued or running already; True if this call queued it.

    Re-enqueueing keeps the job id (and its resume payload), so the next pass sees it queued;
    a Redis `SET NX` marker lets one of several schedulers do it, once per grace period.
    """
    queue = get_queue(EXECUTION_QUEUE)
    job = queue.fetch_job(job_id)
    if job is not None and job_is_live(job):
        return False
    if not queue.connection.set(f"flowbuilder:requeued:{job_id}", "1", nx=True, ex=sweep_grace()):
        return False
    if job is not None and job.get_status() == JobStatus.SCHEDULED:
        # Due, and RQ's scheduler has not promoted it (its lock may be held by a dead worker).
        if not queue.scheduled_job_registry.remove(job):
            return False  # it just did
        queue.enqueue_job(job, at_front=True)
        return True
    resume = job.kwargs.get("resume") if job is not None else None
    if job is not None:
        job.delete()
    enqueue_execution(execution_id, resume=resume, job_id=job_id, at_front=True)
    return True


def job_is_live(job: Job) -> bool:
    """Queued, or taken by a worker (or ended) too recently to call it lost."""
    status = job.get_status()
    recent = timezone.now() - sweep_grace()
    if status in (JobStatus.QUEUED, JobStatus.DEFERRED):
        return True
    if status == JobStatus.STARTED:
        return job.started_at is not None and job.started_at > recent
    if status == JobStatus.SCHEDULED:
        return False  # the sweep only asks about jobs that should be running by now
    # Just ended: the run's row may be between states (a resume committed, its job not yet queued).
    return job.ended_at is not None and job.ended_at > recent


def sweep_grace() -> timedelta:
    """How long a job may look lost before it is replaced: a claim takes milliseconds."""
    return timedelta(seconds=settings.FLOWBUILDER_LEASE_SECONDS)


def requeue_execution(execution: Execution, *, actor=None, api_key=None) -> Execution:
    """An admin's manual recovery of a stuck run (pending, running or waiting)."""
    with transaction.atomic():
        execution = Execution.objects.select_for_update().get(pk=execution.pk)
        if execution.is_terminal:
            raise ConflictError(f"The execution already ended ({execution.status}).")
        if execution.status == ExecutionStatus.RUNNING:
            mark_recovered(execution)
        record_audit(
            execution.project.organization,
            "execution.requeued",
            actor=actor,
            api_key=api_key,
            project=execution.project,
            target=execution,
        )
        transaction.on_commit(lambda: enqueue_execution(execution.id))
    return execution
