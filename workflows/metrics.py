"""Workflow metrics, computed once for the API and the metrics page.

Runs per bucket split by outcome, success rate, and average and p95 duration — per bucket
and for the whole range. Buckets are truncated by the database (`Trunc*`) and the empty
ones are filled in, so a quiet day is a zero rather than a gap.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict

from django.db.models import Count, Q
from django.db.models.functions import TruncDay, TruncHour, TruncMonth, TruncWeek
from django.utils import timezone

from workflows.models import ExecutionStatus, Workflow
from workflows.run_health import recovering_q, stuck_q

BUCKETS = {"hour": TruncHour, "day": TruncDay, "week": TruncWeek, "month": TruncMonth}
LABEL_FORMATS = {"hour": "%b %d %H:00", "day": "%b %d", "week": "week of %b %d", "month": "%b %Y"}


def percentile(sorted_values: list[int], fraction: float) -> int | None:
    if not sorted_values:
        return None
    index = min(len(sorted_values) - 1, max(0, round(fraction * (len(sorted_values) - 1))))
    return sorted_values[index]


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


def counts_by_bucket(executions, granularity: str) -> dict[dt.datetime, dict]:
    """Runs per bucket: in all, succeeded, failed, and unfinished ones that are stuck or recovering."""
    now = timezone.now()
    rows = (
        executions.annotate(bucket=BUCKETS[granularity]("created_at"))
        .values("bucket")
        .annotate(
            total=Count("id"),
            succeeded=Count("id", filter=Q(status=ExecutionStatus.COMPLETED)),
            failed=Count("id", filter=Q(status=ExecutionStatus.FAILED)),
            stuck=Count("id", filter=stuck_q(now)),
            recovering=Count("id", filter=recovering_q(now)),
        )
    )
    return {row["bucket"]: row for row in rows}


def collect_metrics(workflow: Workflow, *, start: dt.datetime, end: dt.datetime, granularity: str) -> dict:
    """Totals and one row per bucket: runs split by outcome, success rate, average and p95 duration."""
    executions = workflow.executions.filter(created_at__gte=start, created_at__lte=end)
    counts = counts_by_bucket(executions, granularity)
    durations = durations_by_bucket(executions, granularity)
    series = []
    empty = {"total": 0, "succeeded": 0, "failed": 0, "stuck": 0, "recovering": 0}
    for bucket in every_bucket(start, end, granularity):
        row = counts.get(bucket, empty)
        spent = sorted(durations.get(bucket, []))
        series.append(
            {
                "bucket": bucket,
                "label": bucket.strftime(LABEL_FORMATS[granularity]),
                "total": row["total"],
                "succeeded": row["succeeded"],
                "failed": row["failed"],
                # Unfinished runs that are not healthy (workflows.run_health): apart, never "other".
                "stuck": row["stuck"],
                "recovering": row["recovering"],
                # Cancelled and healthy in-flight runs: counted in the bar's height, in no outcome.
                "other": row["total"] - row["succeeded"] - row["failed"] - row["stuck"] - row["recovering"],
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
        "stuck": sum(row["stuck"] for row in series),
        "recovering": sum(row["recovering"] for row in series),
        "average_ms": average(every_duration),
        "p95_ms": percentile(every_duration, 0.95),
        "series": series,
    }
