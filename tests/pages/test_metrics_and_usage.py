"""The workflow metrics page and the usage page, as members and outsiders see them."""

from __future__ import annotations

import datetime as dt
import json
import re

import pytest
from django.utils import timezone

from accounts.models import UsageCounter
from workflows.models import Execution


def chart_rows(page: str) -> list[dict]:
    """The rows the page hands to its charts (the json_script blob)."""
    found = re.search(r'<script id="chart-data" type="application/json">(.*?)</script>', page, re.S)
    assert found, "the page carries no chart data"
    return json.loads(found.group(1))


@pytest.fixture
def finished_execution(alice):
    """A factory: a finished run of `workflow` with a known outcome, duration and day (plain ORM)."""

    def make(workflow, status: str, duration_ms: int, days_ago: int = 0) -> Execution:
        created = timezone.now() - dt.timedelta(days=days_ago)
        execution = Execution.objects.create(
            workflow=workflow, project=workflow.project, definition=workflow.definition,
            trigger_node_id="start", status=status, created_by=alice,
        )  # fmt: skip
        # created_at is auto_now_add: move the run to its day afterwards.
        Execution.objects.filter(pk=execution.pk).update(
            created_at=created, started_at=created, completed_at=created + dt.timedelta(milliseconds=duration_ms)
        )
        return execution

    return make


def test_the_metrics_page_charts_a_workflows_runs(alice, make_workflow, finished_execution, page_client_for):
    workflow = make_workflow("Breaker")
    for status, duration_ms in [("completed", 100), ("completed", 300), ("failed", 200)]:
        finished_execution(workflow, status, duration_ms)
    finished_execution(workflow, "completed", 1000, days_ago=2)

    page = page_client_for(alice).get(f"/workflows/{workflow.id}/metrics", {"days": 7}).content.decode()

    for chart in ("runs", "success-rate", "duration"):
        assert re.search(rf'<canvas data-chart="{chart}" role="img" aria-label="[^"]+"', page)
    assert 'src="/static/vendor/chart.umd.min.js"' in page and 'src="/static/js/charts.js"' in page
    rows = chart_rows(page)
    assert len(rows) == 7 and [row["total"] for row in rows] == [0, 0, 0, 0, 1, 0, 3]
    today = rows[-1]
    assert (today["succeeded"], today["failed"], today["success_rate"]) == (2, 1, 66.7)
    assert (today["p95_ms"], today["average_ms"]) == (300, 200) and rows[0]["p95_ms"] is None
    assert (
        '<strong data-metric="total">4</strong>' in page and '<strong data-metric="success-rate">75.0%</strong>' in page
    )
    assert '<strong data-metric="p95">1.0 s</strong>' in page and "average 400 ms" in page
    assert page.count('<table class="visually-hidden">') == 3


def test_the_metrics_page_buckets_by_the_chosen_granularity(alice, make_workflow, page_client_for):
    workflow = make_workflow()
    client = page_client_for(alice)

    weekly = chart_rows(
        client.get(f"/workflows/{workflow.id}/metrics", {"days": 90, "granularity": "week"}).content.decode()
    )
    assert 13 <= len(weekly) <= 14 and all(row["label"].startswith("week of") for row in weekly)
    capped = client.get(f"/workflows/{workflow.id}/metrics", {"days": 30, "granularity": "hour"}).content.decode()
    assert "Hourly figures cover 7 days at most" in capped and len(chart_rows(capped)) == 30


def test_an_outsider_gets_404_for_another_organizations_metrics(charlie, make_workflow, page_client_for):
    workflow = make_workflow()

    assert page_client_for(charlie).get(f"/workflows/{workflow.id}/metrics").status_code == 404


def test_a_viewer_reaches_the_metrics_from_the_workflow_list(bob_viewer, make_workflow, page_client_for):
    workflow = make_workflow()
    client = page_client_for(bob_viewer)

    assert f'href="/workflows/{workflow.id}/metrics"' in client.get("/workflows/").content.decode()
    assert client.get(f"/workflows/{workflow.id}/metrics").status_code == 200


def test_the_usage_page_shows_this_months_counters_against_the_plan(acme, bob_viewer, page_client_for, settings):
    settings.RATE_LIMITS = {**settings.RATE_LIMITS, "business": (77, 10_000)}
    today = timezone.now().date()
    UsageCounter.objects.create(organization=acme, date=today, api_calls=2500, executions=12, steps=40, ai_tokens=900)
    if today.day > 1:  # an earlier day of the same month counts towards the month too
        UsageCounter.objects.create(organization=acme, date=today - dt.timedelta(days=1), executions=3)

    page = page_client_for(bob_viewer).get("/usage/").content.decode()

    earlier = 3 if today.day > 1 else 0
    assert f'<strong data-usage="executions">{12 + earlier}</strong>' in page
    assert (
        '<strong data-usage="api_calls">2,500</strong>' in page
        and '<strong data-usage="ai_tokens">900</strong>' in page
    )
    assert "Business" in page and '<dd data-limit="per_minute">77</dd>' in page
    assert "API calls today: 2,500 of 10,000" in page and "25.0% of the daily allowance" in page
    rows = chart_rows(page)
    assert len(rows) == 30 and rows[-1] == {
        "date": today.isoformat(), "label": today.strftime("%b %d"),
        "api_calls": 2500, "executions": 12, "steps": 40, "ai_tokens": 900,
    }  # fmt: skip
    assert 'data-chart="usage"' in page


def test_the_usage_page_counts_only_the_members_organization(acme, globex, charlie, page_client_for):
    UsageCounter.objects.create(organization=acme, date=timezone.now().date(), executions=99)

    page = page_client_for(charlie).get("/usage/").content.decode()

    assert '<strong data-usage="executions">0</strong>' in page
