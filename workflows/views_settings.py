"""A workflow's settings page: what runs when it fails (its error workflow, D23)."""

from __future__ import annotations

from django.contrib import messages
from django.shortcuts import redirect, render

from accounts.models import Role
from accounts.views import with_membership
from workflows import services
from workflows.error_workflows import error_triggers, error_workflow_problem, runnable_definition
from workflows.models import Workflow
from workflows.views_manage import _workflow


def error_workflow_choices(workflow: Workflow) -> list[Workflow]:
    """The project's other workflows that start with an “Another workflow failed” trigger."""
    others = Workflow.objects.filter(project_id=workflow.project_id).exclude(pk=workflow.pk).order_by("name")
    return [other for other in others if error_triggers(runnable_definition(other)[1])]


@with_membership(Role.EDITOR)
def workflow_settings_page(request, membership, workflow_id: str):
    workflow = _workflow(request, membership, workflow_id)
    chosen, error = workflow.error_workflow_id or "", ""
    if request.method == "POST":
        chosen = request.POST.get("error_workflow", "").strip()
        error = error_workflow_problem(workflow, workflow.project_id, chosen or None) or ""
        if not error:
            services.update_workflow(workflow, changes={"error_workflow_id": chosen or None}, actor=request.user)
            messages.success(request, f"Settings of “{workflow.name}” saved.")
            return redirect("workflow-settings", workflow_id=workflow.id)
    context = {"workflow": workflow, "choices": error_workflow_choices(workflow), "chosen": chosen, "error": error}
    return render(request, "workflows/workflow_settings.html", context, status=400 if error else 200)
