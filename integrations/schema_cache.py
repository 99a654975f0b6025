"""A connection's schema, read once and kept a while, and the part of it the model may see.

Reading the schema costs two catalog queries; the Ask-data node needs it on every run. It
is kept in Redis under the connection's id and revision (so editing the connection starts
afresh) for `FLOWBUILDER_ASK_SCHEMA_CACHE_SECONDS` (600 s). `GET /connections/{id}/schema`
always reads it fresh and stores what it read: that, or `refresh_schema` on the node or
the ask API, is how a changed database is picked up before the time runs out.

`visible_schema` drops what the connection's `ai_excluded` lists: `table` or
`schema.table` drops a table, `table.column` or `schema.table.column` a column. A two-part
name is read both ways (a schema's table and a table's column): when in doubt, less is shown.
"""

from __future__ import annotations

import json
import logging
from collections.abc import Iterable
from typing import Any

from django.conf import settings
from redis.exceptions import RedisError

from flowbuilder.redis import get_redis
from integrations.sql_schema import describe_schema

logger = logging.getLogger(__name__)


def _key(connection) -> str:
    return f"dbschema:{connection.id}:{connection.revision}"


def connection_schema(connection, target, *, refresh: bool = False) -> list[dict[str, Any]]:
    """The full schema of `connection` (read with `target`), from the cache unless `refresh`."""
    if not refresh:
        try:
            cached = get_redis().get(_key(connection))
        except (RedisError, OSError):
            logger.warning("schema cache unavailable; reading the schema", exc_info=True)
            cached = None
        if cached is not None:
            return json.loads(cached)
    tables = describe_schema(target)
    try:
        seconds = settings.FLOWBUILDER_ASK_SCHEMA_CACHE_SECONDS
        get_redis().set(_key(connection), json.dumps(tables, default=str), ex=seconds)
    except (RedisError, OSError):
        logger.warning("schema cache unavailable; not kept", exc_info=True)
    return tables


def excluded_names(excluded: Iterable[str]) -> frozenset[str]:
    return frozenset(name.strip().lower() for name in excluded if name.strip())


def _table_hidden(table: dict[str, Any], hidden: frozenset[str]) -> bool:
    schema, name = str(table["schema"]).lower(), str(table["name"]).lower()
    return name in hidden or f"{schema}.{name}" in hidden


def _column_hidden(table: dict[str, Any], column: dict[str, Any], hidden: frozenset[str]) -> bool:
    schema, name, column_name = str(table["schema"]).lower(), str(table["name"]).lower(), column["name"].lower()
    return f"{name}.{column_name}" in hidden or f"{schema}.{name}.{column_name}" in hidden


def visible_schema(tables: list[dict[str, Any]], excluded: Iterable[str]) -> list[dict[str, Any]]:
    """The tables and columns not excluded (names compared without case)."""
    hidden = excluded_names(excluded)
    return [
        {**table, "columns": [column for column in table["columns"] if not _column_hidden(table, column, hidden)]}
        for table in tables
        if not _table_hidden(table, hidden)
    ]


def hidden_columns(tables: list[dict[str, Any]], excluded: Iterable[str]) -> frozenset[str]:
    """Column names (lower case) kept out of the rows the model words an answer from (a
    `SELECT *` could bring them): every excluded column's name, and the names that only
    excluded tables have."""
    hidden = excluded_names(excluded)
    shown = {column["name"].lower() for table in visible_schema(tables, hidden) for column in table["columns"]}
    every = {column["name"].lower() for table in tables for column in table["columns"]}
    explicit = {
        column["name"].lower()
        for table in tables
        for column in table["columns"]
        if _column_hidden(table, column, hidden)
    }
    return frozenset((every - shown) | explicit)


def ask_source(connection, *, refresh: bool = False):
    """What the Ask-data node and `POST /connections/{id}/ask` ask through (integrations.ask)."""
    from integrations.ask import AskSource
    from integrations.services import database_target

    target = database_target(connection)
    tables = connection_schema(connection, target, refresh=refresh)
    excluded = connection.ai_excluded or []
    return AskSource(target, visible_schema(tables, excluded), hidden_columns(tables, excluded))
