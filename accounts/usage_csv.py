"""The month's usage as CSV: one row per day, one per (day, model, workflow) of AI tokens, a total.

`GET /usage/export.csv?month=2026-11` (any member; default: this month, UTC). Every day of
the month up to today is a row, zeros included, so the sheet sums to the usage page. A text
cell that a spreadsheet would run as a formula (starting with = + - @) is quoted with `'`.
"""

from __future__ import annotations

import csv
import datetime as dt
from decimal import Decimal

from django.http import HttpResponse, HttpResponseBadRequest
from django.utils import timezone

from accounts import billing
from accounts.models import AiTokenUsage, UsageCounter
from accounts.usage import flush_usage
from accounts.views import with_membership

COUNTERS = ("api_calls", "executions", "test_executions", "steps")
HEADER = ("record", "date", "workflow_id", "workflow", "model", *COUNTERS, "input_tokens", "output_tokens",
          "estimated_cost_usd")  # fmt: skip
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def month_of(raw: str | None, today: dt.date) -> tuple[dt.date, dt.date] | None:
    """(first day, last day shown) of `YYYY-MM`, or of this month; None for anything else or the future."""
    try:
        first = dt.date.fromisoformat(f"{raw}-01") if raw else today.replace(day=1)
    except ValueError:
        return None
    if first > today:
        return None
    following = (first.replace(day=28) + dt.timedelta(days=4)).replace(day=1)
    return first, min(today, following - dt.timedelta(days=1))


def safe_text(value) -> str:
    text = "" if value is None else str(value)
    return "'" + text if text.startswith(FORMULA_STARTS) else text


def day_rows(organization, first: dt.date, last: dt.date) -> list[list]:
    stored = {
        row["date"]: row
        for row in UsageCounter.objects.filter(organization=organization, date__range=(first, last)).values()
    }
    rows, day = [], first
    while day <= last:
        counts = stored.get(day, {})
        rows.append(["day", day.isoformat(), "", "", "", *(counts.get(c, 0) for c in COUNTERS), "", "", ""])
        day += dt.timedelta(days=1)
    return rows


def ai_rows(organization, first: dt.date, last: dt.date, names: dict[str, str]) -> list[list]:
    usage = AiTokenUsage.objects.filter(organization=organization, date__range=(first, last))
    rows = []
    for row in usage.order_by("date", "model", "workflow_id"):
        cost = billing.estimate_cost(row.model, row.input_tokens, row.output_tokens)
        workflow = names.get(row.workflow_id, "(deleted workflow)") if row.workflow_id else ""
        rows.append(["ai", row.date.isoformat(), row.workflow_id, safe_text(workflow), safe_text(row.model),
                     "", "", "", "", row.input_tokens, row.output_tokens, "" if cost is None else cost])  # fmt: skip
    return rows


def total_row(days: list[list], ai: list[list]) -> list:
    counters = [sum(row[5 + i] for row in days) for i in range(len(COUNTERS))]
    tokens = [sum(row[9] for row in ai), sum(row[10] for row in ai)]
    cost = sum((row[11] for row in ai if row[11] != ""), Decimal(0))
    return ["total", "", "", "", "", *counters, *tokens, cost]


@with_membership()
def usage_csv(request, membership):
    organization = membership.organization
    month = month_of(request.GET.get("month"), timezone.now().date())
    if month is None:
        message = "month must be a past or the current month, like 2026-11."
        return HttpResponseBadRequest(message, content_type="text/plain")
    first, last = month
    flush_usage(organization.id)  # counts still in Redis first: the export is exact
    names = {row["workflow_id"]: row["workflow_name"] for row in billing.by_workflow(organization, first, last)}
    days, ai = day_rows(organization, first, last), ai_rows(organization, first, last, names)
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="usage-{first:%Y-%m}.csv"'
    writer = csv.writer(response)
    writer.writerows([HEADER, *days, *ai, total_row(days, ai)])
    return response
