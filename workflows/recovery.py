"""Finding and restarting runs that no worker is advancing.

A worker keeps renewing a lease on the execution it runs (workflows.jobs). When a worker
is killed, its lease expires; the reaper (run by the scheduler loop, once per interval,
in every scheduler process — the row locks make that safe) hands the execution to the
queue again, and the next worker replays the journal: completed steps are reused, the
step that was in flight runs again as a new attempt with the same idempotency key.
"""

from __future__ import annotations

import logging
from datetime import timedelta

from django.conf import settings
from django.db import transaction
from django.db.models import Q
from django.utils import timezone

from accounts.services import ConflictError, record_audit
from workflows.events import publish_event
from workflows.jobs import record_failure
from workflows.models import Execution, ExecutionStatus
from workflows.services import enqueue_execution

logger = logging.getLogger(__name__)

# A wait whose timer should have fired this long ago has lost its job (a flushed Redis).
OVERDUE_WAIT_GRACE = timedelta(seconds=30)


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
            transaction.on_commit(lambda execution_id=execution.id: enqueue_execution(execution_id))
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


def requeue_overdue_waits(limit: int = 100) -> list[str]:
    """Waiting executions whose timer is long overdue: their scheduled job was lost."""
    due = timezone.now() - OVERDUE_WAIT_GRACE
    ids = list(
        Execution.objects.filter(status=ExecutionStatus.WAITING, resume_at__lt=due).values_list("id", flat=True)[
            :limit
        ]
    )
    for execution_id in ids:
        enqueue_execution(execution_id)
    return ids


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
