"""The usage page: this month's API calls, executions, steps and AI tokens against the plan's limits.

It reads the same `UsageCounter` rows and `settings.RATE_LIMITS` as `GET /api/v1/usage`; the
plan's only hard limits are request rates, so the other counters are shown without a ceiling.
"""

from __future__ import annotations

import datetime as dt

from django.conf import settings
from django.db.models import Sum
from django.shortcuts import render
from django.utils import timezone

from accounts import billing
from accounts.models import UsageCounter
from accounts.usage import flush_usage
from accounts.views import with_membership

COUNTERS = ("api_calls", "executions", "steps", "ai_tokens")
# Shown apart, never in the counters above: editor test runs and the product's own (session) API calls.
APART = ("test_executions", "editor_calls")
CHART_DAYS = 30


def usage_totals(organization, start: dt.date, end: dt.date) -> dict[str, int]:
    flush_usage(organization.id)  # counts still in Redis first: the page is exact
    fields = COUNTERS + APART
    found = UsageCounter.objects.filter(organization=organization, date__range=(start, end)).aggregate(
        **{field: Sum(field) for field in fields}
    )
    return {field: found[field] or 0 for field in fields}


def daily_usage(organization, today: dt.date, days: int = CHART_DAYS) -> list[dict]:
    """One row per day of the last `days` days, the days without a counter row as zeros."""
    first = today - dt.timedelta(days=days - 1)
    stored = {
        row["date"]: row
        for row in UsageCounter.objects.filter(organization=organization, date__range=(first, today)).values(
            "date", *COUNTERS
        )
    }
    rows = []
    for offset in range(days):
        day = first + dt.timedelta(days=offset)
        counts = stored.get(day, {})
        rows.append(
            {"date": day.isoformat(), "label": day.strftime("%b %d"), **{f: counts.get(f, 0) for f in COUNTERS}}
        )
    return rows


def percent_of(used: int, limit: int) -> float:
    return round(min(100.0, 100 * used / limit), 1) if limit else 0.0


def ai_bill(organization, start: dt.date, end: dt.date) -> dict:
    """Tokens and estimated cost per model and per workflow over the range (accounts.billing)."""
    models = billing.by_model(organization, start, end)
    return {"by_model": models, "by_workflow": billing.by_workflow(organization, start, end),
            **billing.cost_summary(models)}  # fmt: skip


def chart_rows(rows: list[dict], label: str) -> list[dict]:
    """What a tokens chart needs of each row (the page's JSON blob stays small and JSON-safe)."""
    return [{label: row[label], "input_tokens": row["input_tokens"], "output_tokens": row["output_tokens"]}
            for row in rows]  # fmt: skip


@with_membership()
def usage_page(request, membership):
    organization = membership.organization
    # Counters are kept per UTC day, like the API's: "today" is the UTC date.
    today = timezone.now().date()
    per_minute, per_day = settings.RATE_LIMITS.get(organization.plan, settings.RATE_LIMITS["free"])
    today_totals = usage_totals(organization, today, today)
    bill = ai_bill(organization, today.replace(day=1), today)
    context = {
        "organization": organization,
        "month_start": today.replace(day=1),
        "today": today,
        "bill": bill,
        "ai_by_model_chart": chart_rows(bill["by_model"], "model"),
        "ai_by_workflow_chart": chart_rows(bill["by_workflow"], "workflow_name"),
        "month": usage_totals(organization, today.replace(day=1), today),
        "today_totals": today_totals,
        # The meter turns amber from 80% of the daily allowance.
        "limits": {"per_minute": per_minute, "per_day": per_day, "warn_at": per_day * 8 // 10},
        "api_calls_today_percent": percent_of(today_totals["api_calls"], per_day),
        "daily": daily_usage(organization, today),
        "chart_days": CHART_DAYS,
    }
    return render(request, "accounts/usage.html", context)
