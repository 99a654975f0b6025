"""Where workflows meet forms and outbound webhooks, through signals only.

Forms do not know which workflows they start and workflows do not know who listens to
their runs: each side sends a signal and these receivers wire them together. Every
receiver runs after a commit (on_commit or a worker's finished run), where an exception
would surface in an unrelated request or job, so each one logs its failure instead.
"""

from __future__ import annotations

import functools
import logging
from typing import Any

from django.db import transaction
from django.db.models import F

from forms_app.signals import form_submitted
from webhooks.inbound import ensure_hooks
from webhooks.models import EventType
from webhooks.services import emit_event
from workflows.models import Execution, ExecutionStatus, Workflow, WorkflowStatus, WorkflowVersion
from workflows.services import execution_finished, start_execution, workflow_published

logger = logging.getLogger(__name__)

FORM_TRIGGER = "trigger.form"


def logged(receiver):
    """Log instead of raise: the event that fired already happened and must stay done."""

    @functools.wraps(receiver)
    def wrapper(*args, **kwargs):
        try:
            return receiver(*args, **kwargs)
        except Exception:
            logger.exception("%s failed", receiver.__name__)
            return None

    return wrapper


def form_trigger_nodes(definition: dict[str, Any], form) -> list[str]:
    """Ids of the definition's `trigger.form` nodes naming this form (by id or by slug)."""
    names = {form.id, form.slug}
    return [
        node["id"]
        for node in definition.get("nodes") or []
        if node.get("type") == FORM_TRIGGER and (node.get("config") or {}).get("form_id") in names
    ]


@logged
def start_form_workflows(sender, *, form, submission, **kwargs) -> list[Execution]:
    """Start every active workflow whose published version listens to this form."""
    published = WorkflowVersion.objects.filter(
        workflow__project_id=form.project_id,
        workflow__status=WorkflowStatus.ACTIVE,
        number=F("workflow__published_version"),
    ).select_related("workflow")
    payload = {
        "form_id": form.id,
        "submission_id": submission.id,
        "data": submission.data,
        "submitted_at": submission.created_at.isoformat(),
    }
    started = []
    for version in published:
        for node_id in form_trigger_nodes(version.definition, form):
            try:
                started.append(
                    start_execution(
                        version.workflow, input=payload, version=version.number, mode="form", trigger_node_id=node_id
                    )
                )
            except Exception:  # one broken workflow must not keep the others from starting
                logger.exception("could not start %s for submission %s", version.workflow_id, submission.id)
    return started


@logged
def announce_published(sender, *, workflow: Workflow, version: WorkflowVersion, **kwargs) -> None:
    """Give new webhook nodes their URL and tell subscribers about the new version."""
    with transaction.atomic():
        ensure_hooks(workflow)
        emit_event(
            workflow.project,
            EventType.WORKFLOW_PUBLISHED,
            {
                "workflow_id": workflow.id,
                "name": workflow.name,
                "version": version.number,
                "note": version.note,
                "published_at": version.created_at.isoformat(),
            },
        )


def execution_payload(execution: Execution) -> dict[str, Any]:
    return {
        "execution_id": execution.id,
        "workflow_id": execution.workflow_id,
        "status": execution.status,
        "output": execution.output,
        "error": execution.error,
        "started_at": execution.started_at.isoformat() if execution.started_at else None,
        "completed_at": execution.completed_at.isoformat() if execution.completed_at else None,
        "duration_ms": execution.duration_ms,
    }


@logged
def announce_finished(sender, *, execution: Execution, **kwargs) -> None:
    """`workflow.executed` for every run that ended, and `execution.failed` too for a failure."""
    payload = execution_payload(execution)
    with transaction.atomic():
        emit_event(execution.project, EventType.WORKFLOW_EXECUTED, payload)
        if execution.status == ExecutionStatus.FAILED:
            emit_event(execution.project, EventType.EXECUTION_FAILED, payload)


form_submitted.connect(start_form_workflows, dispatch_uid="workflows.start_form_workflows")
workflow_published.connect(announce_published, sender=Workflow, dispatch_uid="workflows.announce_published")
execution_finished.connect(announce_finished, sender=Execution, dispatch_uid="workflows.announce_finished")
