"""One workflow's metrics page: runs per bucket, success rate and durations, drawn with Chart.js.

The figures come from `workflows.metrics.collect_metrics` (the API's source too) and are
handed to the page as a JSON blob (`json_script`).
"""

from __future__ import annotations

import datetime as dt

from django.shortcuts import get_object_or_404, render
from django.utils import timezone

from accounts.views import with_membership
from workflows.metrics import BUCKETS, bucket_start, collect_metrics
from workflows.models import Workflow
from workflows.views import current_project
from workflows.views_executions import format_duration

RANGES = (7, 30, 90)
DEFAULT_RANGE, DEFAULT_GRANULARITY = 30, "day"
# Hourly buckets over 30 or 90 days would be 720–2160 bars: unreadable, so hours cover a week at most.
MAX_HOURLY_DAYS = 7


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
