"""The project dashboard: a saved query pinned as a bar, line or number tile, refreshed on open
or on a schedule, always through the read-only query path."""

from __future__ import annotations

import json
import re
from datetime import timedelta

import pytest
from django.utils import timezone

from dashboards import services
from dashboards.models import Tile
from tests.dashboards.conftest import run_sql
from workflows.scheduler import PERIODIC_TASKS

pytestmark = pytest.mark.django_db

BY_REGION = "SELECT region, sum(total) AS revenue FROM orders GROUP BY region ORDER BY region"


def pin(client, connection, **fields):
    form = {"title": "Revenue by region", "connection_id": connection.id, "sql": BY_REGION, "chart": "bar",
            "refresh_minutes": "0", **fields}  # fmt: skip
    return client.post("/data-dashboard/tiles/", form)


def tile_points(page: str, tile: Tile) -> list[dict]:
    found = re.search(rf'<script id="tile-data-{tile.id}" type="application/json">(.*?)</script>', page, re.S)
    assert found, "the tile carries no chart data"
    return json.loads(found.group(1))


def test_a_pinned_bar_tile_charts_its_query(client, alice, orders_connection):
    client.force_login(alice)
    assert pin(client, orders_connection).status_code == 302
    tile = Tile.objects.get()
    page = client.get("/data-dashboard/").content.decode()
    assert tile_points(page, tile) == [
        {"label": "east", "value": 325.0}, {"label": "north", "value": 200.0}, {"label": "south", "value": 50.0},
    ]  # fmt: skip
    assert 'data-chart="tile-bar"' in page and 'aria-label="Revenue by region: revenue per region"' in page
    assert 'src="/static/js/charts.js"' in page


def test_a_number_tile_and_a_line_tile_with_chosen_columns(client, alice, orders_connection):
    client.force_login(alice)
    pin(client, orders_connection, title="Orders", chart="number", sql="SELECT count(*) AS orders FROM orders")
    pin(client, orders_connection, title="Totals", chart="line", sql="SELECT id, region, total FROM orders ORDER BY id",
        label_column="id", value_column="total")  # fmt: skip
    number, line = Tile.objects.order_by("created_at")
    page = client.get("/data-dashboard/").content.decode()
    assert '<strong data-tile-number>5</strong>' in page
    assert [point["value"] for point in tile_points(page, line)] == [120.0, 80.0, 50.0, 300.0, 25.0]
    assert 'data-chart="tile-line"' in page


def test_a_tile_opened_again_shows_new_rows_and_a_scheduled_one_waits_for_its_time(
    client, alice, orders_connection, orders_db
):
    client.force_login(alice)
    pin(client, orders_connection, title="On open", chart="number", sql="SELECT count(*) FROM orders")
    pin(client, orders_connection, title="Hourly", chart="number", sql="SELECT count(*) FROM orders",
        refresh_minutes="60")  # fmt: skip
    on_open, hourly = Tile.objects.order_by("created_at")
    run_sql(orders_db, "INSERT INTO orders (region, total) VALUES ('west', 10)")

    page = client.get("/data-dashboard/").content.decode()
    assert services.chart_of(Tile.objects.get(pk=on_open.pk))["number"] == 6
    assert services.chart_of(Tile.objects.get(pk=hourly.pk))["number"] == 5  # not due yet
    assert 'data-tile-number>6<' in page and 'data-tile-number>5<' in page

    Tile.objects.filter(pk=hourly.pk).update(refreshed_at=timezone.now() - timedelta(minutes=61))
    assert services.refresh_due_tiles() == 1
    assert services.chart_of(Tile.objects.get(pk=hourly.pk))["number"] == 6
    assert services.refresh_due_tiles() == 0  # done: due again in an hour
    assert PERIODIC_TASKS["dashboard_tiles"].run is services.refresh_due_tiles  # run_scheduler runs it


def test_a_query_that_writes_is_refused_and_nothing_is_pinned(client, alice, orders_connection):
    client.force_login(alice)
    for statement in (
        "DROP TABLE orders",
        "SELECT 1; DELETE FROM orders",
        "WITH gone AS (DELETE FROM orders RETURNING id) SELECT 1",
        "SELECT nextval('orders_id_seq')",
    ):
        answer = pin(client, orders_connection, sql=statement)
        assert answer.status_code == 400 and 'data-field="sql"' in answer.content.decode(), statement
    assert not Tile.objects.exists()
    intact = services.run_tile_query(Tile(connection=orders_connection, sql="SELECT count(*) FROM orders"))
    assert intact == ({"columns": ["count"], "rows": [[5]], "truncated": False}, None)


def test_a_broken_query_or_a_text_column_shows_why_instead_of_a_chart(client, alice, orders_connection):
    client.force_login(alice)
    pin(client, orders_connection, title="Typo", sql="SELECT regio FROM orders")
    pin(client, orders_connection, title="Words", sql="SELECT region, region FROM orders")
    page = client.get("/data-dashboard/").content.decode()
    assert page.count("data-tile-problem") == 2
    assert "holds values that are not numbers" in page


def test_viewers_see_and_refresh_tiles_but_do_not_pin_and_outsiders_see_none(
    client, alice, bob_viewer, charlie, orders_connection
):
    client.force_login(alice)
    pin(client, orders_connection)
    tile = Tile.objects.get()
    client.force_login(bob_viewer)
    page = client.get("/data-dashboard/").content.decode()
    assert "Revenue by region" in page and "Pin a chart" not in page
    assert pin(client, orders_connection, title="Mine").status_code == 403
    assert client.post(f"/data-dashboard/tiles/{tile.id}/refresh/").status_code == 302
    assert client.post(f"/data-dashboard/tiles/{tile.id}/unpin/").status_code == 403
    client.force_login(charlie)
    assert "Revenue by region" not in client.get("/data-dashboard/").content.decode()
    assert client.post(f"/data-dashboard/tiles/{tile.id}/unpin/").status_code == 404
    client.force_login(alice)
    client.post(f"/data-dashboard/tiles/{tile.id}/unpin/")
    assert not Tile.objects.exists()
