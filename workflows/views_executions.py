"""Execution pages: the filtered list, and one run's timeline, Gantt chart and step data.

Cancel, Retry and Resume post here (session + CSRF) and call the same services as the API.
"""

from __future__ import annotations

import datetime as dt
import json

from django.conf import settings
from django.contrib import messages
from django.core.paginator import Paginator
from django.db.models import Max, Min
from django.http import JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.views.decorators.http import require_POST

from accounts.models import Role
from accounts.services import ConflictError
from accounts.views import with_membership
from workflows import services
from workflows.api.serializers import encode_step_cursor
from workflows.models import ERROR_MODE, Execution, ExecutionStatus, Workflow
from workflows.previews import preview_value, step_value_url
from workflows.run_health import HEALTH_FILTERS, health_q, run_health
from workflows.views import can_edit, current_project

PAGE_SIZE = 25
AXIS_TICKS = 4


def format_duration(ms: int | None) -> str:
    if ms is None:
        return "—"
    if ms < 1000:
        return f"{ms} ms"
    if ms < 60_000:
        return f"{ms / 1000:.1f} s"
    return f"{ms // 60_000} min {ms % 60_000 // 1000} s"


def pretty_json(value) -> str:
    return json.dumps(value, indent=2, ensure_ascii=False, default=str, sort_keys=True)


def parse_day(raw: str) -> dt.date | None:
    try:
        return dt.date.fromisoformat(raw) if raw else None
    except ValueError:
        return None


def filtered_executions(request, project):
    """The project's executions narrowed by the list's filters, and the filters as understood."""
    executions = Execution.objects.filter(project=project).select_related("workflow")
    filters = {
        "status": request.GET.get("status", ""),
        "workflow": request.GET.get("workflow", ""),
        "from": parse_day(request.GET.get("from", "")),
        "to": parse_day(request.GET.get("to", "")),
    }
    if filters["status"] in ExecutionStatus.values:
        executions = executions.filter(status=filters["status"])
    elif filters["status"] in HEALTH_FILTERS:
        executions = executions.filter(health_q(filters["status"], timezone.now()))
    if filters["workflow"]:
        executions = executions.filter(workflow_id=filters["workflow"])
    if filters["from"]:
        executions = executions.filter(created_at__date__gte=filters["from"])
    if filters["to"]:
        executions = executions.filter(created_at__date__lte=filters["to"])
    return executions, filters


@with_membership()
def execution_list_page(request, membership):
    project = current_project(request, membership)
    executions, filters = filtered_executions(request, project)
    page = Paginator(executions, PAGE_SIZE).get_page(request.GET.get("page"))
    now = timezone.now()
    for execution in page:
        execution.duration_label = format_duration(execution.duration_ms)
        execution.health = run_health(execution, now)
    query = request.GET.copy()
    query.pop("page", None)
    project_runs = Execution.objects.filter(project=project)
    context = {
        "page": page,
        "filters": filters,
        "statuses": [*ExecutionStatus.choices, *HEALTH_FILTERS.items()],
        # Counted apart from healthy runs, over the whole project (links filter the list to them).
        "unhealthy": {name: project_runs.filter(health_q(name, now)).count() for name in HEALTH_FILTERS},
        "workflows": Workflow.objects.filter(project=project).order_by("name").only("id", "name"),
        "query": query.urlencode(),
    }
    return render(request, "workflows/execution_list.html", context)


def project_execution(request, membership, execution_id: str) -> Execution:
    return get_object_or_404(
        Execution.objects.select_related("workflow"), pk=execution_id, project=current_project(request, membership)
    )


def shown_value(value, url: str) -> dict:
    """A step value for the page: pretty JSON, or its preview and a link when it is large."""
    shown = preview_value(value, url)
    if isinstance(shown, dict) and "$truncated" in shown:
        cut = shown["$truncated"]
        return {"text": cut["preview"] + "…", "truncated": True, "bytes": cut["bytes"], "url": cut["url"]}
    return {"text": pretty_json(value), "truncated": False}


RESULT_ROWS_SHOWN = 50


def _cell_text(row, index: int, name: str) -> str:
    """A cell of an object row (by column name) or an array row (by position), as text."""
    if isinstance(row, dict):
        found = row.get(name)
    else:
        found = row[index] if isinstance(row, list) and index < len(row) else None
    if found is None:
        return ""
    return found if isinstance(found, str) else json.dumps(found, ensure_ascii=False)


def result_table(value) -> dict | None:
    """A query's or Ask data's output (`columns`, `rows`, maybe `answer`) as a sentence and a table."""
    if not isinstance(value, dict) or not isinstance(value.get("rows"), list):
        return None
    columns = value.get("columns")
    named = isinstance(columns, list) and all(isinstance(c, dict) and isinstance(c.get("name"), str) for c in columns)
    if not named:
        return None
    names = [column["name"] for column in columns]
    shown = value["rows"][:RESULT_ROWS_SHOWN]
    rows = [[_cell_text(row, index, name) for index, name in enumerate(names)] for row in shown]
    answer = value.get("answer") if isinstance(value.get("answer"), str) else ""
    return {"answer": answer, "columns": names, "rows": rows, "more": len(value["rows"]) - len(rows)}


def timeline_span(execution: Execution, steps: list) -> tuple[dt.datetime, float]:
    """Where the chart starts and how long it spans, over every step (not only the page shown)."""
    now = timezone.now()
    bounds = execution.steps.aggregate(first=Min("started_at"), last=Max("finished_at"))
    running = any(step.started_at and not step.finished_at for step in steps)
    origin = execution.started_at or bounds["first"] or execution.created_at
    end = execution.completed_at or (now if running or not bounds["last"] else bounds["last"])
    return origin, max((end - origin).total_seconds() * 1000, 1.0)


def timeline_row(execution: Execution, step, names: dict, origin: dt.datetime, span_ms: float) -> dict:
    now = timezone.now()
    start = step.started_at or origin
    finish = step.finished_at or (now if not execution.is_terminal else start)
    offset_ms = max((start - origin).total_seconds() * 1000, 0.0)
    length_ms = max((finish - start).total_seconds() * 1000, 0.0)
    url = step_value_url(execution.id, step.step_key, step.attempt)
    return {
        "step": step,
        "name": names.get(step.node_id, step.node_id),
        "left": round(min(100 * offset_ms / span_ms, 99.4), 2),
        # A sub-millisecond step still gets a visible sliver.
        "width": round(max(100 * length_ms / span_ms, 0.6), 2),
        "duration": format_duration(step.duration_ms),
        "offset": format_duration(int(offset_ms)),
        "input": shown_value(step.input, url),
        "output": shown_value(step.output, url),
        "error": pretty_json(step.error) if step.error else "",
    }


def timeline(execution: Execution) -> dict:
    """The first FLOWBUILDER_INLINE_STEPS step attempts with their bars (left at the start offset,
    width the duration, in percent) and values (large ones as previews); the page loads the rest
    from GET /api/v1/executions/{id}/steps?cursor=, like the API's execution answer."""
    total = execution.steps.count()
    steps = list(execution.steps.order_by("id")[: settings.FLOWBUILDER_INLINE_STEPS])
    names = {node.get("id"): node.get("name") or node.get("id") for node in execution.definition.get("nodes", [])}
    origin, span_ms = timeline_span(execution, steps)
    rows = [timeline_row(execution, step, names, origin, span_ms) for step in steps]
    ticks = [
        {"left": 100 * index / AXIS_TICKS, "label": format_duration(int(span_ms * index / AXIS_TICKS))}
        for index in range(AXIS_TICKS + 1)
    ]
    more = total > len(steps)
    return {
        "rows": rows, "ticks": ticks, "span": format_duration(int(span_ms)), "total": total,
        "remaining": total - len(steps), "names": names,
        "next_cursor": encode_step_cursor(steps[-1].id) if more else None,
    }  # fmt: skip


@with_membership()
def execution_detail_page(request, membership, execution_id: str):
    execution = project_execution(request, membership, execution_id)
    context = {
        "execution": execution,
        "timeline": timeline(execution),
        "duration": format_duration(execution.duration_ms),
        "can_edit": can_edit(membership),
        "run_input": shown_value(execution.input, f"/api/v1/executions/{execution.id}"),
        "run_output": shown_value(execution.output, f"/api/v1/executions/{execution.id}"),
        "result": result_table(execution.output),
        "error_json": pretty_json(execution.error) if execution.error else "",
        "project": current_project(request, membership),
        "health": run_health(execution, timezone.now()),
        "failed_run_id": failed_run_of(execution),
    }
    return render(request, "workflows/execution_detail.html", context)


def failed_run_of(execution: Execution) -> str | None:
    """For an error workflow's run, the run whose failure started it."""
    if execution.mode != ERROR_MODE or not isinstance(execution.input, dict):
        return None
    failed = execution.input.get("execution")
    return failed.get("id") if isinstance(failed, dict) and isinstance(failed.get("id"), str) else None


def run_action(request, execution: Execution, action) -> None:
    """Call a service; a conflict (wrong state) becomes a message rather than an error page."""
    try:
        action()
    except ConflictError as error:
        messages.error(request, str(error))


@require_POST
@with_membership(Role.EDITOR)
def execution_cancel_page(request, membership, execution_id: str):
    execution = project_execution(request, membership, execution_id)
    run_action(request, execution, lambda: services.cancel_execution(execution, actor=request.user))
    return redirect("execution-page", execution_id=execution.id)


@require_POST
@with_membership(Role.EDITOR)
def execution_retry_page(request, membership, execution_id: str):
    execution = project_execution(request, membership, execution_id)
    run_action(request, execution, lambda: services.retry_execution(execution, actor=request.user))
    return redirect("execution-page", execution_id=execution.id)


@require_POST
@with_membership(Role.EDITOR)
def execution_resume_page(request, membership, execution_id: str):
    execution = project_execution(request, membership, execution_id)
    try:
        payload = json.loads(request.POST.get("payload") or "{}")
    except json.JSONDecodeError as error:
        messages.error(request, f"The payload is not valid JSON: {error.msg}.")
        return redirect("execution-page", execution_id=execution.id)
    run_action(request, execution, lambda: services.resume_execution(execution, payload=payload, actor=request.user))
    return redirect("execution-page", execution_id=execution.id)


@with_membership()
def execution_status(request, membership, execution_id: str):
    """What the page's poller compares: the status and how many step rows there are."""
    execution = project_execution(request, membership, execution_id)
    steps = execution.steps.values_list("status", flat=True)
    # The page reloads when this changes: a new step row, or a step that moved on.
    signature = f"{execution.status}:{len(steps)}:{','.join(steps)}"
    return JsonResponse({"status": execution.status, "terminal": execution.is_terminal, "signature": signature})
