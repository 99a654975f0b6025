"""Issue 24 as an ops user sees it in the browser: a chart pinned from a query of a real
PostgreSQL database renders on the data dashboard, and the usage page explains the AI bill
per model and per workflow with charts and an estimated cost."""

from __future__ import annotations

import json

import pytest
from playwright.sync_api import expect

from accounts.services import record_ai_usage
from tests.dashboards.conftest import orders_connection, orders_db  # noqa: F401 (fixtures)
from tests.e2e.conftest import log_in
from tests.integrations.conftest import TEST_KEY_A, scratch_postgres  # noqa: F401 (a fixture)
from tests.workflows.conftest import simple_flow
from workflows import services

pytestmark = [pytest.mark.slow, pytest.mark.django_db(transaction=True)]

PRICES = {"claude-sonnet-4": ["3", "15"], "gpt-4o-mini": ["0.15", "0.60"]}
DRAWN = """(canvas) => {
  const chart = window.Chart.getChart(canvas);
  return chart && {labels: chart.data.labels, data: chart.data.datasets.map((set) => set.data)};
}"""


@pytest.fixture
def server_env() -> dict[str, str]:
    # The server opens the connection the test sealed (same key) on loopback, as a superuser.
    return {
        "FLOWBUILDER_ENCRYPTION_KEYS": TEST_KEY_A,
        "FLOWBUILDER_NETWORK_ALLOW_LIST": "127.0.0.1",
        "FLOWBUILDER_DB_ALLOW_SUPERUSER": "true",
        "FLOWBUILDER_AI_PRICES": json.dumps(PRICES),
    }


@pytest.fixture(autouse=True)
def same_key_here(settings):
    settings.FLOWBUILDER_ENCRYPTION_KEYS = TEST_KEY_A
    settings.FLOWBUILDER_NETWORK_ALLOW_LIST = ["127.0.0.1"]
    settings.FLOWBUILDER_DB_ALLOW_SUPERUSER = True


def test_a_pinned_tile_charts_real_rows_and_usage_explains_the_ai_bill(
    server, page, acme, alice, orders_connection  # noqa: F811
):
    log_in(page, server, alice)
    page.goto(f"{server}/data-dashboard/")
    page.get_by_label("Title").fill("Revenue by region")
    page.get_by_label("Connection").select_option(orders_connection.id)
    page.get_by_label("Query (one read-only SELECT)").fill(
        "SELECT region, sum(total) AS revenue FROM orders GROUP BY region ORDER BY region"
    )
    page.get_by_role("button", name="Pin to dashboard").click()

    tile = page.locator("section.tile", has_text="Revenue by region")
    canvas = tile.locator('canvas[data-chart="tile-bar"]')
    expect(canvas).to_be_visible()
    page.wait_for_function("() => window.Chart && window.Chart.getChart(document.querySelector('canvas'))")
    assert canvas.evaluate(DRAWN) == {"labels": ["east", "north", "south"], "data": [[325, 200, 50]]}
    assert canvas.bounding_box()["height"] > 100

    summarizer = services.create_workflow(acme.default_project, name="Nightly summary", definition=simple_flow())
    record_ai_usage(acme.id, model="claude-sonnet-4-5", input_tokens=400_000, output_tokens=100_000,
                    workflow_id=summarizer.id)  # fmt: skip
    record_ai_usage(acme.id, model="gpt-4o-mini", input_tokens=2_000, output_tokens=1_000)
    page.goto(f"{server}/usage/")
    # $1.20 in + $1.50 out for Claude; $0.0003 + $0.0006 for the small model.
    expect(page.locator('[data-usage="ai_cost"]')).to_have_text("$2.7009")
    model_row = page.locator('tr[data-model="claude-sonnet-4-5"]')
    expect(model_row).to_contain_text("400,000")
    expect(model_row.locator("[data-cost]")).to_have_text("$2.7000")
    workflow_row = page.locator(f'tr[data-workflow="{summarizer.id}"]')
    expect(workflow_row).to_contain_text("Nightly summary")
    expect(workflow_row).to_contain_text("100,000")
    by_workflow = page.locator('canvas[data-chart="ai-by-workflow"]')
    expect(by_workflow).to_be_visible()
    drawn = by_workflow.evaluate(DRAWN)
    assert drawn["labels"] == ["Nightly summary", "(outside a workflow run)"]
    assert drawn["data"] == [[400_000, 2_000], [100_000, 1_000]]
    assert page.locator('canvas[data-chart="ai-by-model"]').evaluate(DRAWN)["labels"] == [
        "claude-sonnet-4-5", "gpt-4o-mini",
    ]  # fmt: skip
    assert page.console_errors == []
