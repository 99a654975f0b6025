"""Form submissions start workflows: every active workflow whose published version listens.

Forms send `form_submitted` after the submission is committed; this app connects the
receiver in its `ready()`, so workflows never import forms.
"""

from __future__ import annotations

import logging
from typing import Any

from django.db.models import F

from workflows.models import Execution, WorkflowStatus, WorkflowVersion
from workflows.services import start_execution

logger = logging.getLogger(__name__)

FORM_TRIGGER = "trigger.form"


def form_trigger_nodes(definition: dict[str, Any], form) -> list[str]:
    """Ids of the definition's `trigger.form` nodes naming this form (by id or by slug)."""
    names = {form.id, form.slug}
    return [
        node["id"]
        for node in definition.get("nodes") or []
        if node.get("type") == FORM_TRIGGER and (node.get("config") or {}).get("form_id") in names
    ]


def start_form_workflows(sender, *, form, submission, **kwargs) -> list[Execution]:
    """Start every active workflow whose published version listens to this form.

    One broken workflow is logged and must not keep the others from starting.
    """
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
            except Exception:
                logger.exception("could not start %s for submission %s", version.workflow_id, submission.id)
    return started
