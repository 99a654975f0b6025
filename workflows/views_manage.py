"""Rename, duplicate and delete a workflow from the pages (the API has PATCH/DELETE; these are the
same services behind plain forms, so a non-technical user never needs the API for them)."""

from __future__ import annotations

from django.contrib import messages
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_POST

from accounts.models import Role
from accounts.views import with_membership
from workflows import services
from workflows.models import Workflow
from workflows.views import current_project, unused_name

NAME_MAX = Workflow._meta.get_field("name").max_length


def _workflow(request, membership, workflow_id: str) -> Workflow:
    return get_object_or_404(Workflow, pk=workflow_id, project=current_project(request, membership))


def _back(request):
    """Back to the page the form came from when it is one of ours, else the list."""
    target = request.POST.get("next", "")
    return redirect(target if target.startswith("/") and not target.startswith("//") else "workflows")


@with_membership(Role.EDITOR)
def workflow_rename_page(request, membership, workflow_id: str):
    workflow = _workflow(request, membership, workflow_id)
    error = ""
    name = workflow.name
    if request.method == "POST":
        name = request.POST.get("name", "").strip()
        if not name:
            error = "Give the workflow a name."
        elif len(name) > NAME_MAX:
            error = f"A name has at most {NAME_MAX} characters."
        else:
            old = workflow.name
            try:
                services.update_workflow(workflow, changes={"name": name}, actor=request.user)
            except services.NameTakenError as taken:
                error = str(taken)
            else:
                messages.success(request, f"“{old}” renamed to “{name}”.")
                return _back(request)
    context = {"workflow": workflow, "name": name, "error": error, "next": request.GET.get("next", "")}
    return render(request, "workflows/workflow_rename.html", context, status=400 if error else 200)


@require_POST
@with_membership(Role.EDITOR)
def workflow_duplicate_page(request, membership, workflow_id: str):
    """A copy of the draft (not its versions, runs or activation), named “<name> (copy)”."""
    workflow = _workflow(request, membership, workflow_id)
    copy = services.create_workflow(
        workflow.project,
        name=unused_name(workflow.project, f"{workflow.name[: NAME_MAX - 12]} (copy)"),
        description=workflow.description,
        channel=workflow.channel,
        definition=workflow.definition,
        source_format=workflow.source_format,
        actor=request.user,
    )
    messages.success(request, f"Duplicated as “{copy.name}” (a draft).")
    return redirect("workflows")


@with_membership(Role.EDITOR)
def workflow_delete_page(request, membership, workflow_id: str):
    """GET asks for confirmation; POST deletes the workflow with its versions and runs."""
    workflow = _workflow(request, membership, workflow_id)
    if request.method == "POST":
        name = workflow.name
        services.delete_workflow(workflow, actor=request.user)
        messages.success(request, f"“{name}” deleted.")
        return redirect("workflows")
    context = {"workflow": workflow, "run_count": workflow.executions.count()}
    return render(request, "workflows/workflow_delete.html", context)
