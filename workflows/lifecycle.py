"""The life of one run, in the order it happens: claim → run → finish → after the end.

1. `claim_execution` takes the lease on a runnable execution under a row lock.
2. `advance_claimed` runs the engine on it while a heartbeat renews the lease
   (`workflows.leases`), every step journaled under that lease.
3. `finish_execution` writes the outcome, only while the lease still holds. A run that
   ends also tells the listeners inside that transaction (`workflows.terminal`, the
   outbox of webhook deliveries), and is announced once committed.
4. Whatever breaks outside a node ends the run through `fail_execution` (INTERNAL_ERROR).
5. `after_terminal` carries the end on: a parent run waiting on this sub-workflow resumes
   or fails; `start_child` starts the sub-workflow a parked parent asked for.

`workflows.jobs` is the RQ entry point around it; `workflows.recovery` puts runs whose
worker or job was lost back into step 1.
"""

from __future__ import annotations

import dataclasses
import logging
from collections.abc import Callable
from datetime import timedelta
from typing import Any

from django.conf import settings
from django.db import transaction
from django.utils import timezone

from workflows import services
from workflows.engine import RunOutcome, run_workflow
from workflows.events import RunEvents, publish_event
from workflows.leases import (
    WORKER_ID,
    CancelCheck,
    HandOff,
    LeasedJournal,
    LeaseHeartbeat,
    LeaseLost,
    deferrable,
)
from workflows.models import Execution, ExecutionStatus, Workflow
from workflows.nodes import get_registry
from workflows.redaction import Redactor
from workflows.resume_links import resume_links_for
from workflows.run_services import provided_services
from workflows.terminal import announce_parked, record_end
from workflows.waiting import announce_finished

logger = logging.getLogger(__name__)

INTERNAL_ERROR_MESSAGE = "The run stopped on an internal error; the server log has the details."


def is_stale_job(execution: Execution, resume: dict[str, Any] | None, now) -> bool:
    """A timer or resume job that no longer matches where the run is parked."""
    if execution.status != ExecutionStatus.WAITING and not (resume and execution.status == ExecutionStatus.PENDING):
        return False
    parked_key = (execution.waiting_for or {}).get("step_key")
    if resume and resume.get("step_key") and parked_key and resume["step_key"] != parked_key:
        return True
    # A timer that fires early (an old job for a wait that already passed) must not wake it.
    return (
        not resume
        and execution.status == ExecutionStatus.WAITING
        and bool(execution.resume_at and execution.resume_at > now + timedelta(seconds=1))
    )


def claim_execution(execution_id: str, resume: dict[str, Any] | None = None) -> Execution | None:
    """Take the lease on a runnable execution, in one transaction under a row lock."""
    now = timezone.now()
    with transaction.atomic():
        # The project comes along: the run's services and its end's listeners read it.
        locked = Execution.objects.select_for_update(of=("self",)).select_related("project")
        execution = locked.filter(pk=execution_id).first()
        if execution is None or execution.is_terminal or is_stale_job(execution, resume, now):
            return None
        held_by_other = (
            execution.status == ExecutionStatus.RUNNING
            and execution.lease_owner not in ("", WORKER_ID)
            and execution.lease_expires_at
            and execution.lease_expires_at > now
        )
        if held_by_other:
            return None
        if execution.cancel_requested:
            execution.status = ExecutionStatus.CANCELLED
            execution.completed_at = now
            execution.save()
            record_end(execution)
            transaction.on_commit(lambda: services.announce_cancelled(execution))
            return None
        first_start = execution.started_at is None
        # No step can exist before the first claim: the journal need not read any.
        execution.first_claim = first_start
        execution.status = ExecutionStatus.RUNNING
        execution.started_at = execution.started_at or now
        execution.lease_owner = WORKER_ID
        execution.lease_expires_at = now + timedelta(seconds=settings.FLOWBUILDER_LEASE_SECONDS)
        execution.resume_at = None
        execution.waiting_for = None
        execution.save()
    if first_start:  # sent with the run's first batch of events (run_events)
        run_events(execution).add("execution.started", {"status": "running", "started_at": execution.started_at})
    return execution


def adopt_fresh(execution: Execution) -> Execution:
    """A run stored already leased to this process (`start_execution(run_here=True)`): what the
    claim would have added, without its statements (no step, no cancel can precede the insert)."""
    execution.first_claim = True
    run_events(execution).add("execution.started", {"status": "running", "started_at": execution.started_at})
    return execution


def run_events(execution: Execution) -> RunEvents:
    """The claimed run's event batch (workflows.events.RunEvents), kept on the instance."""
    events = getattr(execution, "_run_events", None)
    if events is None:
        events = execution._run_events = RunEvents(execution)
    return events


def advance_claimed(
    execution: Execution,
    resume: dict[str, Any] | None,
    *,
    over_budget: Callable[[], bool] | None = None,
    park_retries_over: float | None = None,
) -> str | None:
    """Run the engine under a renewed lease and record the outcome, if the lease held.

    `over_budget` (runs in the web process, `workflows.inline`) is asked before each step
    starts: once true, the run is handed to a worker (`pending` again, a job at the front).
    """
    heartbeat = LeaseHeartbeat(execution.id)
    heartbeat.start()
    try:
        services = engine_services(execution)
        journal = leased_journal(execution, heartbeat, Redactor(services.get("revealed_secrets")), over_budget)
        outcome = run_claimed(execution, resume, journal, services, park_retries_over)
    except LeaseLost:
        logger.warning("lost the lease on %s; another worker continues it", execution.id)
        run_events(execution).flush()
        return None
    except HandOff:
        run_events(execution).flush()  # before the worker that takes over numbers its own
        return ExecutionStatus.PENDING if hand_off(execution, journal) else None
    except BaseException:
        run_events(execution).flush()  # what the run said before it broke still goes out
        raise
    finally:
        heartbeat.stop()
    if not finish_execution(execution, outcome, journal=journal):
        logger.warning("lost the lease on %s before finishing; its outcome was not written", execution.id)
        return None
    # The rows as committed, when this process wrote them all: an inline run's answer
    # (ExecutionSerializer) shows them without reading them back.
    execution.written_rows = journal.written()
    return outcome.status


def leased_journal(
    execution: Execution, heartbeat: LeaseHeartbeat, redactor: Redactor, over_budget: Callable[[], bool] | None = None
) -> LeasedJournal:
    """The run's journal: writes under the lease, pure steps' records batched (README, D19).

    Its events wait with its records: a durable write (nothing left pending) sends them.
    """
    events = run_events(execution)
    journal = LeasedJournal(
        execution,
        on_event=lambda kind, data: events.add(kind, data, urgent=not journal.pending),
        redactor=redactor,
        heartbeat=heartbeat,
        over_budget=over_budget,
        deferrable=deferrable,
        fresh=getattr(execution, "first_claim", False),
    )
    return journal


def run_claimed(
    execution: Execution,
    resume: dict[str, Any] | None,
    journal: LeasedJournal,
    services: dict[str, Any],
    park_retries_over: float | None = None,
) -> RunOutcome:
    outcome = run_workflow(
        execution.definition,
        registry=get_registry(),
        journal=journal,
        trigger_node_id=execution.trigger_node_id,
        trigger_payload=execution.input,
        execution={
            "id": execution.id,
            "workflow_id": execution.workflow_id,
            "project_id": execution.project_id,
            "version": execution.version,
            "mode": execution.mode,
            "started_at": execution.started_at,
            "resume_links": resume_links_for(execution),
        },
        services=services,
        cancel_check=CancelCheck(execution.id, checked_now=getattr(execution, "first_claim", False)),
        resume=resume,
        park_retries_over=(
            settings.FLOWBUILDER_RETRY_PARK_SECONDS if park_retries_over is None else park_retries_over
        ),
    )
    # The run's output and error are stored too: scrub them like every step.
    redactor = journal.redactor
    return dataclasses.replace(
        outcome,
        output=redactor.scrub(outcome.output),
        error=redactor.scrub(dict(outcome.error)) if outcome.error else None,
        waiting_for=redactor.scrub(dict(outcome.waiting_for)) if outcome.waiting_for else None,
    )


def engine_services(execution: Execution) -> dict[str, Any]:
    """What nodes may reach on the host: the HTTP allow-list, credentials, and so on."""
    # Imported here, not at the top: a broken import fails the run (INTERNAL_ERROR) loudly
    # instead of letting nodes run without their credentials.
    from flowbuilder.network import allow_list
    from functions_app.runtime import FunctionHost
    from integrations.runtime import services_for_execution
    from knowledge.grounding import KnowledgeAccess

    found: dict[str, Any] = {"http_allow_list": allow_list()}
    found.update(services_for_execution(execution))
    # ai.chat's knowledge_base option: the project's knowledge bases (D26b).
    found["knowledge"] = KnowledgeAccess(execution.project_id)
    # The project's functions, each at the version current when the run was created.
    found["functions"] = FunctionHost(found["credentials"], as_of=execution.created_at)
    found.update(provided_services(execution))  # apps built on workflows (chat's sender)
    return found


def finish_execution(execution: Execution, outcome: RunOutcome, *, journal: LeasedJournal | None = None) -> bool:
    """Record the outcome, release the lease, and schedule whatever comes next.

    Only while this worker still holds the lease: one that lost it writes nothing (False).
    The journal's records still waiting (pure steps since the last effect) are written in
    the same transaction, so the steps and the outcome commit together.
    """
    now = timezone.now()
    fields = {"status": outcome.status, "lease_owner": "", "lease_expires_at": None}
    if outcome.status == ExecutionStatus.WAITING:
        fields["resume_at"] = outcome.resume_at
        fields["waiting_for"] = dict(outcome.waiting_for) if outcome.waiting_for else None
    else:
        fields["output"] = outcome.output
        fields["error"] = dict(outcome.error) if outcome.error else None
        fields["completed_at"] = now
    with transaction.atomic():
        # One conditional UPDATE both checks the lease and writes the end (it locks the row
        # as SELECT … FOR UPDATE did, one statement and no row to build fewer: D19 addendum (3)).
        if not Execution.objects.filter(pk=execution.pk, lease_owner=WORKER_ID).update(**fields):
            run_events(execution).flush()  # what the run said still goes out; its end is not ours
            return False
        for name, value in fields.items():  # the caller's copy shows the end too (an inline run answers from it)
            setattr(execution, name, value)
        execution._state.fields_cache.pop("parent", None)  # after_terminal reads the parent afresh
        if journal is not None:
            journal.flush(lease_checked=True)
        if execution.is_terminal:
            record_end(execution, steps=journal.row_count() if journal is not None else None)
            transaction.on_commit(lambda: announce_finished(execution.id, execution.status))
            transaction.on_commit(lambda: after_terminal(execution))
        elif outcome.resume_at is not None:
            transaction.on_commit(lambda: schedule_wake(execution.id, outcome.resume_at))
        if execution.status == ExecutionStatus.WAITING and (execution.waiting_for or {}).get("kind") == "sub_workflow":
            transaction.on_commit(lambda: start_child(execution))
        if execution.status == ExecutionStatus.WAITING:
            transaction.on_commit(lambda: announce_parked(execution))
    kind = "execution.finished" if execution.is_terminal else "execution.waiting"
    events = run_events(execution)
    events.add(kind, outcome.to_dict())
    events.flush()
    return True


def hand_off(execution: Execution, journal: LeasedJournal) -> bool:
    """Write the journal, release the lease and queue the run for a worker (front of the queue)."""
    with transaction.atomic():
        execution = Execution.objects.select_for_update().get(pk=execution.pk)
        if execution.lease_owner != WORKER_ID:
            return False
        journal.flush(lease_checked=True)
        execution.status = ExecutionStatus.PENDING
        execution.lease_owner = ""
        execution.lease_expires_at = None
        execution.save(update_fields=["status", "lease_owner", "lease_expires_at"])
        transaction.on_commit(lambda: services.enqueue_execution(execution.id, at_front=True))
    return True


def schedule_wake(execution_id: str, resume_at) -> None:
    """RQ's scheduler wakes the wait on time; the scheduler's sweep promotes it if that one is down."""
    job_id = services.wake_job_id(execution_id, resume_at)
    services.enqueue_execution(execution_id, at=resume_at, job_id=job_id, at_front=True)


def fail_on_internal_error(execution: Execution) -> str | None:
    error = {"node_id": "", "code": "INTERNAL_ERROR", "message": INTERNAL_ERROR_MESSAGE}
    run_events(execution).flush()  # what the run said before it broke comes before its end
    try:
        return ExecutionStatus.FAILED if fail_execution(execution, error) else None
    except Exception:
        # The database itself is failing: the lease runs out and recovery takes over
        # (and ends the run with RECOVERY_LIMIT if this keeps happening).
        logger.exception("could not record the failure of %s", execution.id)
        return None


def fail_execution(execution: Execution, error: dict[str, Any], *, require_lease: bool = True) -> bool:
    """End a run `failed` with `error` and announce it; False if it ended already or is not ours."""
    with transaction.atomic():
        execution = Execution.objects.select_for_update().get(pk=execution.pk)
        if execution.is_terminal or (require_lease and execution.lease_owner != WORKER_ID):
            return False
        record_failure(execution, error)
    return True


def record_failure(execution: Execution, error: dict[str, Any]) -> None:
    """Write the failure on a row the caller locked; announce it once committed."""
    execution.status = ExecutionStatus.FAILED
    execution.error = error
    execution.completed_at = timezone.now()
    execution.lease_owner = ""
    execution.lease_expires_at = None
    execution.save()
    record_end(execution)
    transaction.on_commit(lambda: announce_failure(execution))


def announce_failure(execution: Execution) -> None:
    """Tell waiters, watchers and listeners (webhooks, a parent run) that the run failed."""
    announce_finished(execution.id, execution.status)
    event = {"status": execution.status, "output": None, "error": execution.error}
    publish_event(execution, "execution.finished", event)
    after_terminal(execution)


def fail_waiting_execution(execution: Execution, message: str) -> None:
    node_id = (execution.waiting_for or {}).get("node_id", "")
    error = {"node_id": node_id, "code": "SUB_WORKFLOW_FAILED", "message": message}
    fail_execution(execution, error, require_lease=False)


def after_terminal(execution: Execution) -> None:
    parent = execution.parent
    if parent is None or parent.status != ExecutionStatus.WAITING:
        return
    if execution.status == ExecutionStatus.COMPLETED:
        services.resume_execution(parent, payload=execution.output)
    else:
        fail_waiting_execution(parent, f"The sub-workflow run {execution.id} ended {execution.status}.")


def start_child(parent: Execution) -> None:
    """A `logic.sub_workflow` step parked: start the child run; its end resumes the parent."""
    waiting_for = parent.waiting_for or {}
    child_workflow = Workflow.objects.filter(pk=waiting_for.get("workflow_id"), project_id=parent.project_id).first()
    if child_workflow is None:
        fail_waiting_execution(parent, f"No workflow {waiting_for.get('workflow_id')} in this project.")
        return
    services.start_execution(
        child_workflow,
        input=waiting_for.get("input"),
        version=child_workflow.published_version,
        mode="sub_workflow",
        parent=parent,
    )
