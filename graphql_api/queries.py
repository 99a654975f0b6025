"""Queries: the same lookups, FilterSets and cursors as the REST lists (one code path)."""

from __future__ import annotations

import base64
import datetime as dt
from typing import Annotated

import strawberry
from django.http import QueryDict
from django.utils import timezone
from django_filters.utils import translate_validation
from rest_framework.exceptions import ValidationError
from strawberry.types import Info

from accounts.api.views import usage_report
from flowbuilder.api.exceptions import ApiError
from flowbuilder.api.pagination import MAX_LIMIT
from graphql_api import types
from workflows.api.filters import ExecutionFilter, WorkflowFilter
from workflows.api.helpers import get_execution, get_workflow, workflows_with_stats
from workflows.api.views_executions import NODE_CATEGORIES, encode_cursor, rows_after
from workflows.models import Execution
from workflows.nodes import get_registry

First = Annotated[int, strawberry.argument(description=f"Page size, 1 to {MAX_LIMIT}.")]
After = Annotated[str | None, strawberry.argument(description="endCursor of the previous page.")]


def filtered(filterset_class, queryset, request, **params):
    """The REST list's FilterSet applied to the arguments given (a bad value: 400 VALIDATION_ERROR naming it)."""
    data = QueryDict(mutable=True)
    for name, value in params.items():
        if value is not None:
            data[name] = value
    filterset = filterset_class(data=data, queryset=queryset, request=request)
    if not filterset.is_valid():
        raise translate_validation(filterset.errors)
    return filterset.qs


def page_size(first: int) -> int:
    if not 1 <= first <= MAX_LIMIT:
        raise ValidationError({"first": [f"first must be between 1 and {MAX_LIMIT}."]})
    return first


def page_info(rows, cursor_of, *, has_next: bool, after: str | None) -> types.PageInfo:
    return types.PageInfo(
        has_next_page=has_next,
        has_previous_page=after is not None,
        start_cursor=cursor_of(rows[0]) if rows else None,
        end_cursor=cursor_of(rows[-1]) if rows else None,
    )


def execution_page(info: Info, queryset, first: int, after: str | None, order: str | None) -> types.ExecutionConnection:
    limit = page_size(first)
    total = None if after else queryset.count()
    if after:
        try:
            queryset = rows_after(queryset, after, ascending=order == "asc")
        except ValidationError:
            raise ValidationError({"after": ["after is not a cursor this API gave out."]}) from None
    rows = list(queryset[: limit + 1])
    has_next, rows = len(rows) > limit, rows[:limit]
    for loader in (info.context.loaders.steps, info.context.loaders.log_lines):
        loader.want(row.id for row in rows)
    info.context.loaders.list_workflows(row.workflow_id for row in rows)  # for `workflow { versions … }`
    edges = [types.ExecutionEdge(cursor=encode_cursor(row), node=types.Execution(row=row)) for row in rows]
    return types.ExecutionConnection(
        edges=edges, page_info=page_info(rows, encode_cursor, has_next=has_next, after=after), total_count=total
    )


def offset_cursor(offset: int) -> str:
    return base64.urlsafe_b64encode(f"offset:{offset}".encode()).decode().rstrip("=")


def decode_offset(cursor: str) -> int:
    try:
        prefix, _, number = base64.urlsafe_b64decode(cursor + "=" * (-len(cursor) % 4)).decode().partition(":")
    except (ValueError, UnicodeDecodeError):
        prefix = number = ""
    if prefix != "offset" or not number.isdigit() or len(number) > 10:
        raise ValidationError({"after": ["after is not a cursor this API gave out."]})
    return int(number)


@strawberry.type
class Query:
    @strawberry.field(description="Workflows of the project (filters as GET /workflows).")
    def workflows(
        self, info: Info, first: First = 20, after: After = None, status: str | None = None,
        channel: str | None = None, search: str | None = None, sort: str | None = None, order: str | None = None,
    ) -> types.WorkflowConnection | None:  # fmt: skip
        request = info.context.request
        queryset = filtered(
            WorkflowFilter, workflows_with_stats(request.access.project), request,
            status=status, channel=channel, search=search, sort=sort, order=order,
        )  # fmt: skip
        start = decode_offset(after) + 1 if after else 0
        limit = page_size(first)
        rows = list(queryset[start : start + limit + 1])
        has_next, rows = len(rows) > limit, rows[:limit]
        info.context.loaders.list_workflows(row.id for row in rows)
        cursors = {row.id: offset_cursor(start + index) for index, row in enumerate(rows)}
        return types.WorkflowConnection(
            edges=[types.WorkflowEdge(cursor=cursors[row.id], node=types.Workflow(row=row)) for row in rows],
            page_info=page_info(rows, lambda row: cursors[row.id], has_next=has_next, after=after),
            total_count=queryset.count(),
        )

    @strawberry.field(description="One workflow (WORKFLOW_NOT_FOUND when it is not in this project).")
    def workflow(self, info: Info, id: strawberry.ID) -> types.Workflow | None:
        return types.Workflow(row=get_workflow(info.context.request, id, with_stats=True))

    @strawberry.field(description="Executions of the project, newest first (filters as GET /executions).")
    def executions(
        self, info: Info, first: First = 20, after: After = None, workflow_id: strawberry.ID | None = None,
        status: str | None = None, from_: Annotated[str | None, strawberry.argument(name="from")] = None,
        to: str | None = None, start_date: str | None = None, end_date: str | None = None, order: str | None = None,
    ) -> types.ExecutionConnection | None:  # fmt: skip
        request = info.context.request
        queryset = Execution.objects.filter(project=request.access.project).select_related("workflow")
        if workflow_id is not None:
            queryset = queryset.filter(workflow=get_workflow(request, workflow_id))
        queryset = filtered(
            ExecutionFilter, queryset.order_by("-created_at", "-id"), request,
            status=status, to=to, start_date=start_date, end_date=end_date, order=order, **{"from": from_},
        )  # fmt: skip
        return execution_page(info, queryset, first, after, order)

    @strawberry.field(description="One execution with its steps, logs and failing node.")
    def execution(self, info: Info, id: strawberry.ID) -> types.Execution | None:
        return types.Execution(row=get_execution(info.context.request, id))

    @strawberry.field(description="Every node type (or those of one category).")
    def node_types(self, category: str | None = None) -> list[types.NodeType] | None:
        if category is not None and category not in NODE_CATEGORIES:
            raise ApiError(400, "VALIDATION_ERROR", f"category must be one of {', '.join(NODE_CATEGORIES)}.",
                           field="category")  # fmt: skip
        fields = {field for field in types.NodeType.__annotations__}
        return [
            types.NodeType(**{key: value for key, value in described.items() if key in fields})
            for described in get_registry().describe()
            if category is None or described["category"] == category
        ]

    @strawberry.field(description="Usage per day and in total (default: this month so far), as GET /usage.")
    def usage(
        self, info: Info, start_date: dt.date | None = None, end_date: dt.date | None = None
    ) -> types.Usage | None:
        end = end_date or timezone.now().date()
        start = start_date or end.replace(day=1)
        if start > end:
            raise ValidationError({"start_date": ["start_date must not be after end_date."]})
        report = usage_report(info.context.request.access.organization, start, end)
        fields = [field for field in types.UsageDay.__annotations__]
        return types.Usage(
            organization_id=report["organization_id"], plan=report["plan"],
            start_date=start, end_date=end, totals=types.UsageTotals(**report["totals"]),
            limits=types.RateLimits(**report["limits"]),
            days=[types.UsageDay(**{field: getattr(day, field) for field in fields}) for day in report["days"]],
            ai_tokens_by_model=[types.ModelTokens(**{field: row[field] for field in types.ModelTokens.__annotations__})
                                for row in report["ai_tokens_by_model"]],
        )  # fmt: skip
