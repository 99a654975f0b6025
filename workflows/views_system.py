"""The admins' queue page, and its Cancel and Re-enqueue buttons.

The buttons post here (session + CSRF) and call the same services as the API. The routes
sit beside the views so `flowbuilder/urls.py` mounts them with one include.
"""

from __future__ import annotations

from django.contrib import messages
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import path
from django.views.decorators.http import require_POST

from accounts.models import Role
from accounts.services import ConflictError
from accounts.views import with_membership
from workflows import recovery, services, system
from workflows.models import Execution


@with_membership(Role.ADMIN)
def queue_page(request, membership):
    overview = system.queue_overview(membership.organization)
    runs = overview["executions"]
    stuck_runs = [run for run in runs["running"] if run["stuck"]] + runs["stuck_pending"]
    context = {
        "overview": overview,
        # The bar chart scales to the deepest queue; 1 keeps empty queues from dividing by zero.
        "max_depth": max([queue["depth"] for queue in overview["queues"]] + [1]),
        "stuck_runs": stuck_runs,
        # Stuck first: they are why an admin opens this page.
        "active_runs": stuck_runs + [run for run in runs["running"] if not run["stuck"]],
    }
    return render(request, "workflows/system_queue.html", context)


def organization_execution(membership, execution_id: str) -> Execution:
    return get_object_or_404(
        Execution.objects.select_related("workflow", "project__organization"),
        pk=execution_id,
        project__organization=membership.organization,
    )


@require_POST
@with_membership(Role.ADMIN)
def requeue_page(request, membership, execution_id: str):
    execution = organization_execution(membership, execution_id)
    try:
        recovery.requeue_execution(execution, actor=request.user)
        messages.success(request, f"{execution.id} ({execution.workflow.name}) is back on the queue.")
    except ConflictError as error:
        messages.error(request, str(error))
    return redirect("system-queue")


@require_POST
@with_membership(Role.ADMIN)
def cancel_page(request, membership, execution_id: str):
    execution = organization_execution(membership, execution_id)
    try:
        execution = services.cancel_execution(execution, actor=request.user)
        # A run on a live worker stops at its next step; say so rather than claim it ended.
        state = "cancelled" if execution.is_terminal else "asked to stop at its next step"
        messages.success(request, f"{execution.id} ({execution.workflow.name}) {state}.")
    except ConflictError as error:
        messages.error(request, str(error))
    return redirect("system-queue")


urlpatterns = [
    path("", queue_page, name="system-queue"),
    path("executions/<str:execution_id>/requeue/", requeue_page, name="system-queue-requeue"),
    path("executions/<str:execution_id>/cancel/", cancel_page, name="system-queue-cancel"),
]
