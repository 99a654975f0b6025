"""Workflow events that go out as webhooks: a published version and the end of every run.

Workflows send signals and never import webhooks; this app connects the receivers in its
`ready()`. The end of a run is written in the transaction that ends it (see
`workflows.terminal`), so a stored end never loses its `workflow.executed` delivery.
"""

from __future__ import annotations

import logging
from typing import Any

from django.db import transaction

from webhooks.inbound import ensure_hooks
from webhooks.models import EventType
from webhooks.services import emit_event
from workflows.models import Execution, ExecutionStatus, Workflow, WorkflowVersion

logger = logging.getLogger(__name__)


def announce_published(sender, *, workflow: Workflow, version: WorkflowVersion, **kwargs) -> None:
    """Give new webhook nodes their URL and tell subscribers about the new version.

    Runs after the publish committed, where raising would only break an unrelated caller:
    a failure is logged instead.
    """
    try:
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
    except Exception:
        logger.exception("could not announce version %s of %s", version.number, workflow.id)


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


def write_end_deliveries(sender, *, execution: Execution, **kwargs) -> None:
    """`workflow.executed` for every run that ended, and `execution.failed` too for a failure.

    Called inside the transaction that ends the run: the deliveries commit with it and are
    queued once it commits; the sweep (webhooks.outbox) sends any whose job never ran.
    """
    payload = execution_payload(execution)
    emit_event(execution.project, EventType.WORKFLOW_EXECUTED, payload)
    if execution.status == ExecutionStatus.FAILED:
        emit_event(execution.project, EventType.EXECUTION_FAILED, payload)
