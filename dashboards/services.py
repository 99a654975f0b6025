"""Pin a saved query to the project dashboard as a chart tile, and keep its answer fresh.

A tile's query runs through the same read-only path as the `db.query` node
(`integrations.sql.run_read_query`: the statement guard, a read-only session and
transaction, the connection's timeout), cut at TILE_ROW_LIMIT rows. Its answer is stored
JSON-safe (the engine's conversion, D3) with the time it was read; a failure is stored as
the error, in plain words, and the tile shows it instead of a chart.

Refreshing: a tile with `refresh_minutes = 0` runs whenever the dashboard is opened; the
others are refreshed by the scheduler when due (`refresh_due_tiles`, every minute, once per
tile across schedulers: the row is locked, skipping a tile another one holds).
"""

from __future__ import annotations

import dataclasses
import datetime as dt
from decimal import Decimal, InvalidOperation
from typing import Any

from django.db import transaction
from django.utils import timezone

from accounts.services import record_audit
from dashboards.models import ChartKind, Tile
from integrations import sql
from integrations.models import Connection
from integrations.services import database_target
from workflows.engine.values import NotJson, to_json_value

TILE_ROW_LIMIT = 200
REFRESH_CHOICES = {0: "When the dashboard opens", 15: "Every 15 minutes", 60: "Every hour", 1440: "Every day"}
DATABASE_KINDS = ("postgresql", "mysql")


class TileError(ValueError):
    def __init__(self, field: str, message: str) -> None:
        super().__init__(message)
        self.field = field
        self.message = message


def check_tile(project, values: dict[str, Any]) -> Connection:
    """The tile's connection, once every value is usable; TileError names the first that is not."""
    if not values["title"].strip():
        raise TileError("title", "Give the tile a title.")
    if values["chart"] not in ChartKind.values:
        raise TileError("chart", f"Choose one of: {', '.join(ChartKind.labels)}.")
    if values["refresh_minutes"] not in REFRESH_CHOICES:
        raise TileError("refresh_minutes", "Choose when the tile is refreshed.")
    connection = Connection.objects.filter(pk=values["connection_id"], project=project).first()
    if connection is None or connection.kind not in DATABASE_KINDS:
        raise TileError("connection", "Choose one of this project's database connections.")
    try:
        sql.check_read_statement(values["sql"])
    except sql.QueryRefused as refused:
        raise TileError("sql", str(refused)) from None
    return connection


def pin_tile(project, values: dict[str, Any], *, actor=None) -> Tile:
    """Store the tile and run its query once, so it shows a chart (or why not) straight away."""
    connection = check_tile(project, values)
    with transaction.atomic():
        tile = Tile.objects.create(
            project=project, title=values["title"].strip(), connection=connection, sql=values["sql"],
            chart=values["chart"], label_column=values.get("label_column", "").strip(),
            value_column=values.get("value_column", "").strip(), refresh_minutes=values["refresh_minutes"],
            created_by=actor,
        )  # fmt: skip
        record_audit(project.organization, "dashboard.tile_pinned", actor=actor, project=project, target=tile,
                     details={"title": tile.title, "connection": connection.id})  # fmt: skip
    refresh_tile(tile)
    return tile


def unpin_tile(tile: Tile, *, actor=None) -> None:
    with transaction.atomic():
        record_audit(tile.project.organization, "dashboard.tile_unpinned", actor=actor, project=tile.project,
                     target=tile, details={"title": tile.title})  # fmt: skip
        tile.delete()


def run_tile_query(tile: Tile) -> tuple[dict | None, dict | None]:
    """(result, None) or (None, error): the query through the read-only path, JSON-safe."""
    try:
        target = database_target(tile.connection)
        target = dataclasses.replace(target, row_limit=min(target.row_limit, TILE_ROW_LIMIT))
        answer = sql.run_read_query(target, tile.sql)
        result = to_json_value({"columns": list(answer.columns), "rows": list(answer.rows)}, "result")
    except sql.QueryRefused as refused:
        return None, {"code": refused.code, "message": str(refused)}
    except sql.QueryFailed as failure:
        return None, {"code": failure.code, "message": failure.message}
    except NotJson as error:
        return None, {"code": "OUTPUT_NOT_JSON", "message": str(error)}
    return {**result, "truncated": answer.truncated}, None


def refresh_tile(tile: Tile) -> Tile:
    result, error = run_tile_query(tile)
    tile.refreshed_at = timezone.now()
    tile.error = error
    if result is not None:
        tile.result = result
    Tile.objects.filter(pk=tile.pk).update(result=tile.result, error=tile.error, refreshed_at=tile.refreshed_at)
    return tile


def is_due(tile: Tile, now: dt.datetime) -> bool:
    """A scheduled tile never read, or read `refresh_minutes` ago or more (computed here: SQLite
    cannot multiply an interval by a column)."""
    return tile.refresh_minutes > 0 and (
        tile.refreshed_at is None or tile.refreshed_at <= now - dt.timedelta(minutes=tile.refresh_minutes)
    )


def refresh_due_tiles(limit: int = 20) -> int:
    """Refresh the scheduled tiles whose time has come; each by one scheduler only."""
    now = timezone.now()
    scheduled = Tile.objects.filter(refresh_minutes__gt=0).only("id", "refresh_minutes", "refreshed_at")
    due = [tile.id for tile in scheduled.order_by("refreshed_at") if is_due(tile, now)][:limit]
    refreshed = 0
    for tile_id in due:
        with transaction.atomic():
            tile = Tile.objects.select_for_update(skip_locked=True).filter(pk=tile_id).first()
            if tile is None or not is_due(tile, timezone.now()):
                continue  # another scheduler has it, or just did it
            refresh_tile(tile)
            refreshed += 1
    return refreshed


def column_index(columns: list[str], wanted: str, default: int) -> int | None:
    if wanted:
        return columns.index(wanted) if wanted in columns else None
    return default if default < len(columns) else None


def cell(row, index: int, columns: list[str]):
    """A row's value, whether rows come as lists (by position) or as objects (by column name)."""
    return row[columns[index]] if isinstance(row, dict) else row[index]


def as_number(value) -> float | None:
    if isinstance(value, bool) or value is None:
        return None
    try:
        return float(Decimal(str(value)))
    except (InvalidOperation, ValueError):
        return None


def chart_of(tile: Tile) -> dict[str, Any]:
    """What the tile draws: `points` [{label, value}] or a `number`, else the `problem` in words."""
    if tile.error:
        return {"problem": tile.error["message"]}
    columns, rows = (tile.result or {}).get("columns") or [], (tile.result or {}).get("rows") or []
    if not rows:
        return {"problem": "The query answered no rows."}
    single = tile.chart == ChartKind.NUMBER or len(columns) == 1
    values_at = column_index(columns, tile.value_column, 0 if single else 1)
    labels_at = column_index(columns, tile.label_column, 0)
    if values_at is None or labels_at is None:
        missing = tile.value_column if values_at is None else tile.label_column
        return {"problem": f"The answer has no column “{missing or 'to draw'}” (it has {', '.join(columns)})."}
    numbers = [as_number(cell(row, values_at, columns)) for row in rows]
    if None in numbers:
        return {"problem": f"Column “{columns[values_at]}” holds values that are not numbers."}
    if tile.chart == ChartKind.NUMBER:
        return {"number": numbers[0], "column": columns[values_at]}
    labels = [str(cell(row, labels_at, columns)) if not single else str(n + 1) for n, row in enumerate(rows)]
    return {"points": [{"label": label, "value": value} for label, value in zip(labels, numbers, strict=True)],
            "label_column": columns[labels_at], "value_column": columns[values_at]}  # fmt: skip
