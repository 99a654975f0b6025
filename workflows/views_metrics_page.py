"""One workflow's metrics page: runs per bucket, success rate and durations, drawn with Chart.js.

The figures are computed here and handed to the page as a JSON blob (`json_script`) rather
than fetched from `GET /api/v1/workflows/<id>/metrics`: that endpoint gives durations for the
whole range only, and the page charts p95 and average per bucket. Bucketing and the
percentile are the API's own (`BUCKETS`, `percentile`), so both answer the same for a range.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict

from django.db.models import Count, Q
from django.shortcuts import get_object_or_404, render
from django.utils import timezone

from accounts.views import with_membership
from workflows.api.views_metrics import BUCKETS, percentile
from workflows.models import ExecutionStatus, Workflow
from workflows.views import current_project
from workflows.views_executions import format_duration

RANGES = (7, 30, 90)
DEFAULT_RANGE, DEFAULT_GRANULARITY = 30, "day"
# Hourly buckets over 30 or 90 days would be 720–2160 bars: unreadable, so hours cover a week at most.
MAX_HOURLY_DAYS = 7
LABEL_FORMATS = {"hour": "%b %d %H:00", "day": "%b %d", "week": "week of %b %d", "month": "%b %Y"}


def bucket_start(moment: dt.datetime, granularity: str) -> dt.datetime:
    """The bucket a moment falls in, truncated the way the database's Trunc* functions do."""
    moment = timezone.localtime(moment).replace(minute=0, second=0, microsecond=0)
    if granularity == "hour":
        return moment
    moment = moment.replace(hour=0)
    if granularity == "week":
        return moment - dt.timedelta(days=moment.weekday())
    if granularity == "month":
        return moment.replace(day=1)
    return moment


def next_bucket(moment: dt.datetime, granularity: str) -> dt.datetime:
    if granularity == "month":
        return moment.replace(year=moment.year + moment.month // 12, month=moment.month % 12 + 1)
    step = {"hour": dt.timedelta(hours=1), "day": dt.timedelta(days=1), "week": dt.timedelta(weeks=1)}
    return moment + step[granularity]


def every_bucket(start: dt.datetime, end: dt.datetime, granularity: str) -> list[dt.datetime]:
    """All buckets of the range, the empty ones included, so a quiet day shows as zero, not a gap."""
    buckets, moment = [], bucket_start(start, granularity)
    while moment <= end:
        buckets.append(moment)
        moment = next_bucket(moment, granularity)
    return buckets


def durations_by_bucket(executions, granularity: str) -> dict[dt.datetime, list[int]]:
    finished = executions.exclude(started_at=None).exclude(completed_at=None)
    found: dict[dt.datetime, list[int]] = defaultdict(list)
    rows = finished.annotate(bucket=BUCKETS[granularity]("created_at")).values_list(
        "bucket", "started_at", "completed_at"
    )
    for bucket, started, completed in rows:
        found[bucket].append(int((completed - started).total_seconds() * 1000))
    return found


def rate(succeeded: int, failed: int) -> float | None:
    """Percent of the finished runs that succeeded, as the API counts it (cancelled runs aside)."""
    return round(100 * succeeded / (succeeded + failed), 1) if succeeded + failed else None


def average(values: list[int]) -> int | None:
    return round(sum(values) / len(values)) if values else None


def collect_metrics(workflow: Workflow, *, start: dt.datetime, end: dt.datetime, granularity: str) -> dict:
    """Totals and one row per bucket: runs split by outcome, success rate, average and p95 duration."""
    executions = workflow.executions.filter(created_at__gte=start, created_at__lte=end)
    counts = {
        row["bucket"]: row
        for row in executions.annotate(bucket=BUCKETS[granularity]("created_at"))
        .values("bucket")
        .annotate(
            total=Count("id"),
            succeeded=Count("id", filter=Q(status=ExecutionStatus.COMPLETED)),
            failed=Count("id", filter=Q(status=ExecutionStatus.FAILED)),
        )
    }
    durations = durations_by_bucket(executions, granularity)
    series = []
    for bucket in every_bucket(start, end, granularity):
        row = counts.get(bucket, {"total": 0, "succeeded": 0, "failed": 0})
        spent = sorted(durations.get(bucket, []))
        series.append(
            {
                "bucket": bucket.isoformat(),
                "label": bucket.strftime(LABEL_FORMATS[granularity]),
                "total": row["total"],
                "succeeded": row["succeeded"],
                "failed": row["failed"],
                # Cancelled and still-running runs: counted in the bar's height, in neither outcome.
                "other": row["total"] - row["succeeded"] - row["failed"],
                "success_rate": rate(row["succeeded"], row["failed"]),
                "average_ms": average(spent),
                "p95_ms": percentile(spent, 0.95),
            }
        )
    every_duration = sorted(value for values in durations.values() for value in values)
    succeeded, failed = sum(row["succeeded"] for row in series), sum(row["failed"] for row in series)
    return {
        "total": sum(row["total"] for row in series),
        "succeeded": succeeded,
        "failed": failed,
        "success_rate": rate(succeeded, failed),
        "average_ms": average(every_duration),
        "p95_ms": percentile(every_duration, 0.95),
        "series": series,
    }


def chosen_range(request) -> tuple[int, str]:
    """The range in days and the granularity asked for, or the defaults when absent or unknown."""
    try:
        days = int(request.GET.get("days", DEFAULT_RANGE))
    except ValueError:
        days = DEFAULT_RANGE
    days = days if days in RANGES else DEFAULT_RANGE
    granularity = request.GET.get("granularity", DEFAULT_GRANULARITY)
    granularity = granularity if granularity in BUCKETS else DEFAULT_GRANULARITY
    if granularity == "hour" and days > MAX_HOURLY_DAYS:
        granularity = "day"
    return days, granularity


@with_membership()
def workflow_metrics_page(request, membership, workflow_id: str):
    workflow = get_object_or_404(Workflow, pk=workflow_id, project=current_project(request, membership))
    days, granularity = chosen_range(request)
    end = timezone.now()
    # The range covers `days` whole calendar buckets, today included.
    start = bucket_start(end, "day") - dt.timedelta(days=days - 1)
    metrics = collect_metrics(workflow, start=start, end=end, granularity=granularity)
    context = {
        "workflow": workflow,
        "metrics": metrics,
        "days": days,
        "granularity": granularity,
        "ranges": RANGES,
        "granularities": list(BUCKETS),
        "hourly_capped": request.GET.get("granularity") == "hour" and granularity != "hour",
        "average_label": format_duration(metrics["average_ms"]),
        "p95_label": format_duration(metrics["p95_ms"]),
    }
    return render(request, "workflows/workflow_metrics.html", context)
