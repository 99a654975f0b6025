"""Workflow metrics: totals, success rate, durations and a per-bucket series."""

from __future__ import annotations

import datetime as dt

from django.db.models import Count
from django.utils import timezone
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import serializers
from rest_framework.exceptions import ValidationError
from rest_framework.response import Response
from rest_framework.views import APIView

from workflows.api.helpers import get_workflow
from workflows.metrics import BUCKETS, collect_metrics


def parse_moment(request, *names: str) -> dt.datetime | None:
    for name in names:
        raw = request.query_params.get(name)
        if raw is None:
            continue
        try:
            moment = dt.datetime.fromisoformat(raw.replace("Z", "+00:00")) if raw else None
        except ValueError:
            moment = None
        if moment is None:
            raise ValidationError({name: [f"{name} must be an ISO 8601 date or time."]}) from None
        return moment if moment.tzinfo else moment.replace(tzinfo=dt.UTC)
    return None


class BucketSerializer(serializers.Serializer):
    bucket = serializers.DateTimeField()
    total = serializers.IntegerField()
    successful = serializers.IntegerField()
    failed = serializers.IntegerField()
    stuck = serializers.IntegerField(
        help_text="Unfinished runs nobody advances: running with an expired lease, or pending over a minute."
    )
    recovering = serializers.IntegerField(
        help_text="Unfinished runs given back to the queue after losing their worker (not stuck now)."
    )
    success_rate = serializers.FloatField(allow_null=True)
    average_duration_ms = serializers.FloatField(allow_null=True)
    p95_duration_ms = serializers.FloatField(allow_null=True)


class MetricsSerializer(BucketSerializer):
    """Documents the answer of GET /workflows/{id}/metrics."""

    bucket = None
    workflow_id = serializers.CharField()
    start_date = serializers.DateTimeField()
    end_date = serializers.DateTimeField()
    granularity = serializers.ChoiceField(choices=list(BUCKETS))
    series = BucketSerializer(many=True, help_text="Buckets with runs only.")
    channels = serializers.DictField(child=serializers.IntegerField())
    modes = serializers.DictField(child=serializers.IntegerField())


MOMENT = {"anyOf": [{"type": "string", "format": "date"}, {"type": "string", "format": "date-time"}]}


class WorkflowMetricsView(APIView):
    @extend_schema(
        parameters=[
            OpenApiParameter("start_date", MOMENT, description="Default: 30 days before end_date."),
            OpenApiParameter("end_date", MOMENT, description="Default: now."),
            OpenApiParameter("granularity", str, enum=list(BUCKETS), description="Default day."),
        ],
        responses=MetricsSerializer,
    )
    def get(self, request, workflow_id: str):
        workflow = get_workflow(request, workflow_id)
        granularity = request.query_params.get("granularity", "day")
        if granularity not in BUCKETS:
            raise ValidationError({"granularity": [f"granularity must be one of {', '.join(BUCKETS)}."]})
        end = parse_moment(request, "end_date") or timezone.now()
        start = parse_moment(request, "start_date") or end - dt.timedelta(days=30)
        metrics = collect_metrics(workflow, start=start, end=end, granularity=granularity)
        modes = (
            workflow.executions.filter(created_at__gte=start, created_at__lte=end)
            .values("mode")
            .annotate(total=Count("id"))
            .order_by("mode")
        )
        return Response(
            {
                "workflow_id": workflow.id,
                "start_date": start,
                "end_date": end,
                "granularity": granularity,
                "total": metrics["total"],
                "successful": metrics["succeeded"],
                "failed": metrics["failed"],
                "stuck": metrics["stuck"],
                "recovering": metrics["recovering"],
                "success_rate": metrics["success_rate"],
                "average_duration_ms": metrics["average_ms"],
                "p95_duration_ms": metrics["p95_ms"],
                # Buckets with runs only (the page draws the empty ones too).
                "series": [
                    {
                        "bucket": row["bucket"],
                        "total": row["total"],
                        "successful": row["succeeded"],
                        "failed": row["failed"],
                        "stuck": row["stuck"],
                        "recovering": row["recovering"],
                        "success_rate": row["success_rate"],
                        "average_duration_ms": row["average_ms"],
                        "p95_duration_ms": row["p95_ms"],
                    }
                    for row in metrics["series"]
                    if row["total"]
                ],
                "channels": {workflow.channel or "default": metrics["total"]},
                "modes": {row["mode"]: row["total"] for row in modes},
            }
        )
