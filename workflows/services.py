"""Workflow actions: each one writes in a transaction, audits, and enqueues after commit."""

from __future__ import annotations

import uuid
from datetime import timedelta
from functools import partial
from typing import Any

from django.conf import settings
from django.db import IntegrityError, transaction
from django.db.models import Max
from django.dispatch import Signal
from django.utils import timezone

from accounts.models import Project
from accounts.services import ConflictError, record_audit
from flowbuilder.redis import get_queue
from flowbuilder.revisions import locked_row
from workflows.definitions import DefinitionError, find_problems, find_project_problems
from workflows.engine.input_schema import InputProblem, input_problems, input_schema_of
from workflows.models import (
    Execution,
    ExecutionStatus,
    Workflow,
    WorkflowStatus,
    WorkflowVersion,
)
from workflows.terminal import record_end

# Other apps listen without workflows importing them (outbound webhooks, for one); a run's
# end is `workflows.terminal.execution_ended`, sent inside the transaction that ends it.
workflow_published = Signal()  # sender=Workflow, version=WorkflowVersion

EXECUTION_QUEUE = "executions"
JOB_POINTER_TTL_SECONDS = 30 * 86_400


class NameTakenError(ConflictError):
    pass


class UnknownTriggerError(ValueError):
    pass


class InvalidInput(ValueError):
    """The payload does not match the firing trigger's `input_schema`; nothing was stored."""

    def __init__(self, problems: list[InputProblem]) -> None:
        self.problems = problems
        first = problems[0]
        more = f" ({len(problems) - 1} more problem(s) in details)" if len(problems) > 1 else ""
        super().__init__(f"{first.path}: {first.message}{more}")

    @property
    def field(self) -> str:
        return self.problems[0].path


def check_input(definition: dict[str, Any], trigger_node_id: str, payload: Any, path: str) -> None:
    """Refuse a payload that fails the trigger's `input_schema` (no schema: anything goes)."""
    schema = input_schema_of(definition, trigger_node_id)
    if schema is None:
        return
    problems = input_problems(schema, payload, path)
    if problems:
        raise InvalidInput(problems)


def _audit(workflow: Workflow, action: str, *, actor=None, api_key=None, details=None, target=None) -> None:
    record_audit(
        workflow.project.organization,
        action,
        actor=actor,
        api_key=api_key,
        project=workflow.project,
        target=target or workflow,
        details=details,
    )


def require_runnable(definition: dict[str, Any]) -> None:
    problems = find_problems(definition)
    if problems:
        raise DefinitionError(problems)


def create_workflow(
    project: Project,
    *,
    name: str,
    definition: dict[str, Any],
    source_format: str = "nodes",
    description: str = "",
    channel: str = "",
    error_workflow_id: str | None = None,
    actor=None,
    api_key=None,
) -> Workflow:
    try:
        with transaction.atomic():
            workflow = Workflow.objects.create(
                project=project,
                name=name,
                description=description,
                channel=channel,
                definition=definition,
                source_format=source_format,
                error_workflow_id=error_workflow_id,
                created_by=actor,
            )
            _audit(workflow, "workflow.created", actor=actor, api_key=api_key, details={"name": name})
    except IntegrityError:
        raise NameTakenError(f"A workflow named “{name}” already exists in this project.") from None
    return workflow


def update_workflow(
    workflow: Workflow, *, changes: dict[str, Any], expected_revisions=None, actor=None, api_key=None
) -> Workflow:
    """Apply changed fields (name, description, channel, definition, source_format, error_workflow_id).

    Only the changed fields are written, on the row locked here; `expected_revisions` (from
    If-Match) makes the write conditional: StaleRevision when the row moved on.
    """
    try:
        with transaction.atomic():
            locked = locked_row(
                Workflow.objects.select_related("project__organization"), workflow.pk, expected_revisions
            )
            for field, value in changes.items():
                setattr(locked, field, value)
            locked.save(update_fields=[*changes, "updated_at"])
            _audit(locked, "workflow.updated", actor=actor, api_key=api_key, details={"fields": sorted(changes)})
    except IntegrityError:
        raise NameTakenError(f"A workflow named “{changes.get('name')}” already exists in this project.") from None
    return locked


def delete_workflow(workflow: Workflow, *, expected_revisions=None, actor=None, api_key=None) -> None:
    with transaction.atomic():
        workflow = locked_row(Workflow.objects.select_related("project__organization"), workflow.pk, expected_revisions)
        _audit(workflow, "workflow.deleted", actor=actor, api_key=api_key, details={"name": workflow.name})
        workflow.delete()


def publish_workflow(workflow: Workflow, *, note: str = "", actor=None, api_key=None) -> WorkflowVersion:
    """Freeze the draft as the next numbered version; triggers run it from now on."""
    require_runnable(workflow.definition)
    with transaction.atomic():
        workflow = Workflow.objects.select_for_update().get(pk=workflow.pk)
        number = (workflow.versions.aggregate(last=Max("number"))["last"] or 0) + 1
        version = WorkflowVersion.objects.create(
            workflow=workflow, number=number, definition=workflow.definition, note=note, created_by=actor
        )
        workflow.published_version = number
        workflow.save(update_fields=["published_version", "updated_at"])
        _audit(workflow, "workflow.published", actor=actor, api_key=api_key, details={"version": number, "note": note})
        transaction.on_commit(partial(workflow_published.send, sender=Workflow, workflow=workflow, version=version))
    return version


def restore_version(workflow: Workflow, version: WorkflowVersion, *, actor=None, api_key=None) -> Workflow:
    with transaction.atomic():
        workflow.definition = version.definition
        workflow.save(update_fields=["definition", "updated_at"])
        _audit(workflow, "workflow.version_restored", actor=actor, api_key=api_key, details={"version": version.number})
    return workflow


def set_workflow_active(workflow: Workflow, active: bool, *, actor=None, api_key=None) -> Workflow:
    """Activate (publishing the draft first if nothing was ever published) or deactivate."""
    if active and workflow.published_version is None:
        publish_workflow(workflow, note="Published on activation", actor=actor, api_key=api_key)
        workflow.refresh_from_db()
    elif active:
        require_runnable(workflow.versions.get(number=workflow.published_version).definition)
    from workflows.schedules import forget_schedule_state

    forget_schedule_state(workflow.id)
    with transaction.atomic():
        workflow.status = WorkflowStatus.ACTIVE if active else WorkflowStatus.INACTIVE
        workflow.save(update_fields=["status", "updated_at"])
        action = "workflow.activated" if active else "workflow.deactivated"
        _audit(workflow, action, actor=actor, api_key=api_key)
    return workflow


def pick_trigger(definition: dict[str, Any], trigger_node_id: str | None, prefer: str = "trigger.manual") -> str:
    """The trigger that fires: the one asked for, else one of type `prefer`, else the first."""
    triggers = [node for node in definition.get("nodes", []) if str(node.get("type", "")).startswith("trigger.")]
    if trigger_node_id:
        if not any(node["id"] == trigger_node_id for node in triggers):
            raise UnknownTriggerError(f"The workflow has no trigger node “{trigger_node_id}”.")
        return trigger_node_id
    preferred = [node for node in triggers if node.get("type") == prefer]
    return (preferred or triggers)[0]["id"]


def start_execution(
    workflow: Workflow,
    *,
    input: Any,
    version: int | None,
    mode: str = "manual",
    trigger_node_id: str | None = None,
    actor=None,
    parent: Execution | None = None,
    checked_payload: tuple[str, Any] | None = None,
    enqueue: bool = True,
    run_here: bool = False,
    definition: dict[str, Any] | None = None,
    customer_id: str = "",
    channel: str = "",
) -> Execution:
    """Store a pending execution and enqueue it once the row is committed.

    `checked_payload` = (path, value): check that value against the trigger's `input_schema`
    first, naming failures from `path` (`("input", input)` for execute, `("body", body)` for hooks).
    `enqueue=False`: no job; the caller runs it itself once committed (`workflows.inline`);
    if it never does, the sweep gives the pending run a job after the lease time (D9).
    `run_here` (with `enqueue=False`, the inline path): the row is stored already running
    under this process's lease, the claim riding with the insert (D19 addendum (2)); if the
    caller never runs it, the lease runs out and the recovery sweep queues it.
    `definition`: the version's definition when the caller already read it.
    `customer_id`, `channel`: who started a chat run, and on which channel (the chat app).
    """
    if definition is None:
        definition = workflow.definition if version is None else workflow.versions.get(number=version).definition
    version_key = None if version is None else (workflow.id, version)
    problems = find_project_problems(workflow.project_id, definition, version_key=version_key)
    if problems:  # a missing function is reported before the run, not as its first step's failure
        raise DefinitionError(problems)
    trigger = pick_trigger(definition, trigger_node_id)
    if checked_payload is not None:
        check_input(definition, trigger, checked_payload[1], checked_payload[0])
    leased = leased_to_this_process() if run_here and not enqueue else {}
    if "project" in workflow._state.fields_cache:  # the run's services read it: no second query
        leased["project"] = workflow.project
    with transaction.atomic():
        execution = Execution.objects.create(
            workflow=workflow,
            project_id=workflow.project_id,
            version=version,
            definition=definition,
            mode=mode,
            trigger_node_id=trigger,
            input=input if input is not None else {},
            created_by=actor,
            parent=parent,
            customer_id=customer_id,
            channel=channel,
            **leased,
        )
        if enqueue:
            transaction.on_commit(partial(enqueue_execution, execution.id))
    return execution


def leased_to_this_process() -> dict[str, Any]:
    """The fields of a run claimed by this process at once (what `lifecycle.claim_execution` sets)."""
    from workflows.leases import WORKER_ID

    now = timezone.now()
    lease_expires_at = now + timedelta(seconds=settings.FLOWBUILDER_LEASE_SECONDS)
    return {"status": ExecutionStatus.RUNNING, "started_at": now, "lease_owner": WORKER_ID,
            "lease_expires_at": lease_expires_at}  # fmt: skip


def execution_job_key(execution_id: str) -> str:
    return f"flowbuilder:execution-job:{execution_id}"


def wake_job_id(execution_id: str, resume_at) -> str:
    """The one job that wakes a wait: the same id whoever schedules or promotes it."""
    return f"run-{execution_id}-wake-{int(resume_at.timestamp() * 1000)}"


def enqueue_execution(
    execution_id: str,
    *,
    resume: dict[str, Any] | None = None,
    at=None,
    job_id: str | None = None,
    at_front: bool = False,
) -> str:
    """Queue (or schedule `at`) a run of the execution; returns the job id.

    The execution's latest job id is kept in Redis, so the scheduler's sweep can tell a
    pending run whose job is queued or running from one whose job was lost. Runs already
    under way (a wait that fell due, a recovered run) go `at_front`, ahead of new runs.
    """
    queue = get_queue(EXECUTION_QUEUE)
    job_id = job_id or f"run-{execution_id}-{uuid.uuid4().hex[:12]}"
    kwargs = {"resume": resume} if resume else {}
    options = {"job_timeout": 3600, "result_ttl": 600, "failure_ttl": 86_400, "job_id": job_id, "at_front": at_front}
    queue.connection.set(execution_job_key(execution_id), job_id, ex=JOB_POINTER_TTL_SECONDS)
    if at is not None:
        queue.enqueue_at(at, "workflows.jobs.run_execution", execution_id, **kwargs, **options)
    else:
        queue.enqueue("workflows.jobs.run_execution", execution_id, **kwargs, **options)
    return job_id


def cancel_execution(execution: Execution, *, actor=None, api_key=None) -> Execution:
    """Stop a run: at once if it is not on a worker, else at its next step."""
    with transaction.atomic():
        execution = Execution.objects.select_for_update().get(pk=execution.pk)
        if execution.is_terminal:
            raise ConflictError(f"The execution already ended ({execution.status}).")
        execution.cancel_requested = True
        # A running execution stops at its next step; one whose worker died (lease expired)
        # has nobody to notice, so it ends now.
        lease_alive = execution.lease_expires_at is not None and execution.lease_expires_at > timezone.now()
        if execution.status != ExecutionStatus.RUNNING or not lease_alive:
            execution.status = ExecutionStatus.CANCELLED
            execution.completed_at = timezone.now()
            transaction.on_commit(partial(announce_cancelled, execution))
        execution.save()
        if execution.is_terminal:
            record_end(execution)
        _audit(execution.workflow, "execution.cancelled", actor=actor, api_key=api_key, target=execution)
    return execution


def announce_cancelled(execution: Execution) -> None:
    """A run cancelled before a worker saw it ends here: tell waiters and watchers.

    Webhook listeners already wrote their deliveries in the cancelling transaction.
    """
    from workflows.events import publish_event
    from workflows.waiting import announce_finished

    announce_finished(execution.id, execution.status)
    publish_event(execution, "execution.finished", {"status": execution.status, "output": None, "error": None})


def retry_execution(execution: Execution, *, actor=None, api_key=None) -> Execution:
    """Run a failed execution again from its failed step; completed steps are reused."""
    with transaction.atomic():
        execution = Execution.objects.select_for_update().get(pk=execution.pk)
        if execution.status != ExecutionStatus.FAILED:
            raise ConflictError(f"Only a failed execution can be retried; this one is {execution.status}.")
        execution.status = ExecutionStatus.PENDING
        execution.error = None
        execution.completed_at = None
        execution.save()
        _audit(execution.workflow, "execution.retried", actor=actor, api_key=api_key, target=execution)
        transaction.on_commit(partial(enqueue_execution, execution.id))
    return execution


def resume_execution(
    execution: Execution, *, payload: Any, node_id: str | None = None, actor=None, api_key=None
) -> Execution:
    """Feed a waiting step (an approval, a reply) and let the run continue."""
    with transaction.atomic():
        execution = Execution.objects.select_for_update().get(pk=execution.pk)
        if execution.status != ExecutionStatus.WAITING:
            raise ConflictError(f"Only a waiting execution can be resumed; this one is {execution.status}.")
        waiting_for = execution.waiting_for or {}
        resume = {"payload": payload}
        if node_id:
            resume["node_id"] = node_id
        elif waiting_for.get("step_key"):
            resume["step_key"] = waiting_for["step_key"]
        execution.status = ExecutionStatus.PENDING
        execution.save(update_fields=["status"])
        _audit(execution.workflow, "execution.resumed", actor=actor, api_key=api_key, target=execution)
        transaction.on_commit(partial(enqueue_execution, execution.id, resume=resume))
    return execution
