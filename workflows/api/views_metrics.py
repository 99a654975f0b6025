"""Workflow metrics: totals, success rate, durations and a per-bucket series."""

from __future__ import annotations

import datetime as dt

from django.db.models import Count, Q
from django.db.models.functions import TruncDay, TruncHour, TruncMonth, TruncWeek
from django.utils import timezone
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework.exceptions import ValidationError
from rest_framework.response import Response
from rest_framework.views import APIView

from workflows.api.helpers import get_workflow
from workflows.api.views_executions import parse_moment
from workflows.models import ExecutionStatus

BUCKETS = {"hour": TruncHour, "day": TruncDay, "week": TruncWeek, "month": TruncMonth}


def percentile(sorted_values: list[int], fraction: float) -> int | None:
    if not sorted_values:
        return None
    index = min(len(sorted_values) - 1, max(0, round(fraction * (len(sorted_values) - 1))))
    return sorted_values[index]


class WorkflowMetricsView(APIView):
    @extend_schema(
        parameters=[
            OpenApiParameter("start_date", str), OpenApiParameter("end_date", str),
            OpenApiParameter("granularity", str, enum=list(BUCKETS)),
        ]
    )  # fmt: skip
    def get(self, request, workflow_id: str):
        workflow = get_workflow(request, workflow_id)
        granularity = request.query_params.get("granularity", "day")
        if granularity not in BUCKETS:
            raise ValidationError({"granularity": [f"granularity must be one of {', '.join(BUCKETS)}."]})
        end = parse_moment(request, "end_date") or timezone.now()
        start = parse_moment(request, "start_date") or end - dt.timedelta(days=30)
        executions = workflow.executions.filter(created_at__gte=start, created_at__lte=end)
        completed = Q(status=ExecutionStatus.COMPLETED)
        failed = Q(status=ExecutionStatus.FAILED)
        totals = executions.aggregate(total=Count("id"), successful=Count("id", filter=completed),
                                      failed=Count("id", filter=failed))  # fmt: skip
        durations = sorted(
            int((finished - started).total_seconds() * 1000)
            for started, finished in executions.exclude(completed_at=None)
            .exclude(started_at=None)
            .values_list("started_at", "completed_at")
        )
        series = (
            executions.annotate(bucket=BUCKETS[granularity]("created_at"))
            .values("bucket")
            .annotate(total=Count("id"), successful=Count("id", filter=completed), failed=Count("id", filter=failed))
            .order_by("bucket")
        )
        modes = executions.values("mode").annotate(total=Count("id")).order_by("mode")
        finished = totals["successful"] + totals["failed"]
        return Response(
            {
                "workflow_id": workflow.id,
                "start_date": start,
                "end_date": end,
                "granularity": granularity,
                **totals,
                "success_rate": round(100 * totals["successful"] / finished, 1) if finished else None,
                "average_duration_ms": round(sum(durations) / len(durations)) if durations else None,
                "p95_duration_ms": percentile(durations, 0.95),
                "series": list(series),
                "channels": {workflow.channel or "default": totals["total"]},
                "modes": {row["mode"]: row["total"] for row in modes},
            }
        )
