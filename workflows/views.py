"""Pages for workflows: the list, "new from a template", the editor; and the dashboard's figures.

Every page acts in one project, like the API: the one the session chose if it belongs to
the member's organization, else the organization's default project. Objects of any other
project answer 404.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict

from django.contrib import messages
from django.db.models import Count, Q
from django.db.models.functions import TruncDate
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone

from accounts.models import Project, Role
from accounts.views import with_membership
from workflows import services
from workflows.api.helpers import workflows_with_stats
from workflows.models import TEST_MODE, Execution, ExecutionStatus, Workflow, WorkflowStatus
from workflows.run_health import stuck_q
from workflows.status import FILTER_CHOICES, filter_by_label
from workflows.templates_catalog import TEMPLATES, get_template

SPARK_DAYS = 14
SPARK_BAR, SPARK_GAP, SPARK_HEIGHT = 6, 2, 28
CHART_BAR, CHART_GAP, CHART_HEIGHT = 30, 10, 120
BLANK_DEFINITION = {"nodes": [], "edges": [], "variables": {}, "settings": {}}


def current_project(request, membership) -> Project:
    project_id = request.session.get("project_id")
    if project_id:
        chosen = Project.objects.filter(pk=project_id, organization=membership.organization).first()
        if chosen is not None:
            return chosen
    return membership.organization.default_project


def can_edit(membership) -> bool:
    return Role.rank(membership.role) >= Role.rank(Role.EDITOR)


def success_rate(completed: int, finished: int) -> int | None:
    """Percent of finished runs that completed; None before anything finished."""
    return round(100 * completed / finished) if finished else None


def daily_runs(project: Project, days: int = SPARK_DAYS) -> dict[str, dict[dt.date, dict[str, int]]]:
    """Runs per workflow per day over the last `days` days, split into ok and failed."""
    since = timezone.localdate() - dt.timedelta(days=days - 1)
    rows = (
        Execution.objects.filter(project=project, created_at__date__gte=since)
        .exclude(mode=TEST_MODE)
        .annotate(day=TruncDate("created_at"))
        .values("workflow_id", "day")
        .annotate(
            ok=Count("id", filter=Q(status=ExecutionStatus.COMPLETED)),
            failed=Count("id", filter=Q(status__in=[ExecutionStatus.FAILED, ExecutionStatus.CANCELLED])),
            total=Count("id"),
        )
    )
    found: dict[str, dict[dt.date, dict[str, int]]] = defaultdict(dict)
    for row in rows:
        found[row["workflow_id"]][row["day"]] = row
    return found


def bar_chart(by_day: dict[dt.date, dict[str, int]], *, bar: int, gap: int, height: int, days: int = SPARK_DAYS):
    """Geometry of a stacked bar chart (green ok under red failed), one bar per day, for inline SVG."""
    today = timezone.localdate()
    dates = [today - dt.timedelta(days=offset) for offset in range(days - 1, -1, -1)]
    peak = max([by_day.get(day, {}).get("total", 0) for day in dates] + [1])
    bars, total, failed = [], 0, 0
    for index, day in enumerate(dates):
        counts = by_day.get(day, {})
        ok, bad, runs = counts.get("ok", 0), counts.get("failed", 0), counts.get("total", 0)
        total, failed = total + runs, failed + bad
        ok_h = round(height * ok / peak, 1)
        bad_h = round(height * bad / peak, 1)
        # Runs still going are neither ok nor failed: drawn grey so the bar's height stays honest.
        other_h = round(height * (runs - ok - bad) / peak, 1)
        bars.append(
            {
                "x": index * (bar + gap),
                "ok_y": height - ok_h,
                "ok_h": ok_h,
                "bad_y": height - ok_h - bad_h,
                "bad_h": bad_h,
                "other_y": height - ok_h - bad_h - other_h,
                "other_h": other_h,
                "day": day,
                "runs": runs,
                "failed": bad,
            }
        )
    return {
        "bars": bars,
        "width": days * (bar + gap) - gap,
        "height": height,
        "bar": bar,
        "total": total,
        "failed": failed,
    }


def sparkline(by_day):
    return bar_chart(by_day, bar=SPARK_BAR, gap=SPARK_GAP, height=SPARK_HEIGHT)


def with_sparklines(workflows, project: Project) -> list[Workflow]:
    runs = daily_runs(project)
    listed = list(workflows)
    for workflow in listed:
        workflow.spark = sparkline(runs.get(workflow.id, {}))
        workflow.success_rate = success_rate(workflow.completed_count, workflow.finished_count)
    return listed


def dashboard_context(request, membership) -> dict:
    """The dashboard's workflows with sparklines, totals over 14 days, and recent runs."""
    project = current_project(request, membership)
    ranked = workflows_with_stats(project, without_tests=True).order_by("-last_run_at", "name")
    workflows = with_sparklines(ranked, project)
    everything: dict[dt.date, dict[str, int]] = defaultdict(lambda: {"ok": 0, "failed": 0, "total": 0})
    for by_day in daily_runs(project).values():
        for day, counts in by_day.items():
            for key in ("ok", "failed", "total"):
                everything[day][key] += counts[key]
    chart = bar_chart(everything, bar=CHART_BAR, gap=CHART_GAP, height=CHART_HEIGHT)
    ok_runs = chart["total"] - chart["failed"]
    since = timezone.localdate() - dt.timedelta(days=SPARK_DAYS - 1)
    recent = Execution.objects.filter(project=project).select_related("workflow")[:8]
    return {
        "project": project,
        "workflows": workflows,
        "chart": chart,
        "totals": {
            "workflows": len(workflows),
            "active": sum(1 for workflow in workflows if workflow.status == WorkflowStatus.ACTIVE),
            "runs": chart["total"],
            "failed": chart["failed"],
            "success_rate": success_rate(ok_runs, chart["total"]),
            "test_runs": Execution.objects.filter(
                project=project, mode=TEST_MODE, created_at__date__gte=since
            ).count(),
            "in_flight": Execution.objects.filter(
                project=project, status__in=[ExecutionStatus.PENDING, ExecutionStatus.RUNNING, ExecutionStatus.WAITING]
            ).count(),
            # In flight, but nobody advances them (workflows.run_health): not shown as healthy.
            "stuck": Execution.objects.filter(project=project).filter(stuck_q(timezone.now())).count(),
        },
        "recent_executions": recent,
        "can_edit": can_edit(membership),
    }


@with_membership()
def workflow_list_page(request, membership):
    project = current_project(request, membership)
    query = request.GET.get("q", "").strip()
    status = request.GET.get("status", "")
    workflows = workflows_with_stats(project, without_tests=True).order_by("name")
    if query:
        workflows = workflows.filter(Q(name__icontains=query) | Q(description__icontains=query))
    if status in dict(FILTER_CHOICES):
        workflows = filter_by_label(workflows, status)
    context = {
        "workflows": with_sparklines(workflows, project),
        "query": query,
        "status": status,
        "statuses": FILTER_CHOICES,
        "can_edit": can_edit(membership),
    }
    return render(request, "workflows/workflow_list.html", context)


def unused_name(project: Project, wanted: str) -> str:
    """`wanted`, or `wanted (2)`, `(3)`…: starting from a template twice should just work."""
    taken = set(Workflow.objects.filter(project=project, name__startswith=wanted).values_list("name", flat=True))
    name, number = wanted, 2
    while name in taken:
        name, number = f"{wanted} ({number})", number + 1
    return name


@with_membership(Role.EDITOR)
def workflow_new_page(request, membership):
    project = current_project(request, membership)
    if request.method == "POST":
        slug = request.POST.get("template", "blank")
        template = get_template(slug)
        if template is None and slug != "blank":
            messages.error(request, "Choose a template or the blank canvas.")
            return redirect("workflow-new")
        name = request.POST.get("name", "").strip() or (template.name if template else "Untitled workflow")
        workflow = services.create_workflow(
            project,
            name=unused_name(project, name[:200]),
            description=template.summary if template else "",
            definition=template.fresh_definition() if template else dict(BLANK_DEFINITION),
            actor=request.user,
        )
        if template and template.to_fill:
            settings_to_fill = "; ".join(f"{item.node_id} → {item.field} ({item.hint})" for item in template.to_fill)
            messages.info(request, f"Fill in before running: {settings_to_fill}.")
        return redirect("workflow-edit", workflow_id=workflow.id)
    return render(request, "workflows/workflow_new.html", {"templates": TEMPLATES})


@with_membership()
def workflow_edit_page(request, membership, workflow_id: str):
    workflow = get_object_or_404(Workflow, pk=workflow_id, project=current_project(request, membership))
    return render(request, "workflows/editor.html", {"workflow": workflow, "can_edit": can_edit(membership)})
