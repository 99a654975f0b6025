"""Error workflows: "when this workflow fails, run that one" (n8n's Error Workflow).

A workflow may name another workflow of its project (`Workflow.error_workflow`) that starts
with a `trigger.error` node. When one of its runs ends `failed`, the error workflow's run is
created in the same transaction that wrote the failure (a listener of
`workflows.terminal.execution_ended`) and queued once that commits: every way a run fails
(a node, the catch-all, a failed wait, recovery's RECOVERY_LIMIT) starts it exactly once,
and a rolled-back failure starts nothing.

Never started: for test runs from the editor (their failure is on the screen already) and
for runs of an error workflow itself (`mode == "error"`), so a failing error workflow cannot
start itself or another one in a loop.
"""

from __future__ import annotations

import logging
from typing import Any

from django.conf import settings
from django.urls import reverse

from workflows.definitions import DefinitionError
from workflows.models import ERROR_MODE, TEST_MODE, Execution, ExecutionStatus, Workflow

logger = logging.getLogger(__name__)

ERROR_TRIGGER = "trigger.error"


def error_triggers(definition: dict[str, Any]) -> list[str]:
    return [node["id"] for node in definition.get("nodes") or [] if node.get("type") == ERROR_TRIGGER]


def runnable_definition(workflow: Workflow) -> tuple[int | None, dict[str, Any]]:
    """The version an error run follows: the published one, else the draft."""
    if workflow.published_version is None:
        return None, workflow.definition
    version = workflow.versions.filter(number=workflow.published_version).only("definition").first()
    return workflow.published_version, version.definition if version else workflow.definition


def error_workflow_problem(workflow: Workflow | None, project_id: str, target_id: str | None) -> str | None:
    """Why `target_id` cannot be the error workflow of `workflow` (None: it can, or none is set)."""
    if not target_id:
        return None
    target = Workflow.objects.filter(pk=target_id, project_id=project_id).first()
    if target is None:
        return f"No workflow {target_id} in this project."
    if workflow is not None and target.pk == workflow.pk:
        return "A workflow cannot be its own error workflow."
    if not error_triggers(runnable_definition(target)[1]):
        return f"“{target.name}” has no “Another workflow failed” trigger (trigger.error) to start from."
    return None


def failed_run_payload(execution: Execution) -> dict[str, Any]:
    """What the error workflow's trigger receives: which run failed, where, why, and a link to it."""
    error = dict(execution.error or {})
    node_id = error.get("node_id") or ""
    node = next((n for n in execution.definition.get("nodes") or [] if n.get("id") == node_id), None)
    return {
        "workflow": {"id": execution.workflow_id, "name": execution.workflow.name},
        "execution": {
            "id": execution.id,
            "url": settings.FLOWBUILDER_BASE_URL.rstrip("/") + reverse("execution-page", args=[execution.id]),
            "mode": execution.mode,
            "status": execution.status,
            "started_at": execution.started_at.isoformat() if execution.started_at else None,
            "completed_at": execution.completed_at.isoformat() if execution.completed_at else None,
            "recovered_count": execution.recovered_count,
        },
        "error": {"code": error.get("code", ""), "message": error.get("message", ""), "node_id": node_id},
        "node": {"id": node_id, "name": node.get("name") or node_id, "type": node.get("type")} if node else None,
    }


def start_error_workflow(sender, execution: Execution, **kwargs) -> Execution | None:
    """Listener of `execution_ended`: start the failed run's error workflow, in its transaction."""
    if execution.status != ExecutionStatus.FAILED or execution.mode in (ERROR_MODE, TEST_MODE):
        return None
    target_id = Workflow.objects.filter(pk=execution.workflow_id).values_list("error_workflow_id", flat=True).first()
    target = Workflow.objects.filter(pk=target_id, project_id=execution.project_id).first() if target_id else None
    if target is None:
        return None
    from workflows.services import start_execution  # services imports terminal, which sends to us

    version, definition = runnable_definition(target)
    triggers = error_triggers(definition)
    if not triggers:
        logger.warning("error workflow %s of %s has no trigger.error; not started", target.id, execution.id)
        return None
    try:
        return start_execution(
            target,
            input=failed_run_payload(execution),
            version=version,
            definition=definition,
            mode=ERROR_MODE,
            trigger_node_id=triggers[0],
        )
    except DefinitionError:
        logger.warning("error workflow %s of %s cannot run as it is; not started", target.id, execution.id)
        return None
