"""Read-only SQL over a project's datasets, in DuckDB (in-process), for integrations.sql.

Each query gets a fresh in-memory DuckDB: one view per dataset over this machine's copy of
its Parquet file (datasets.storage), then the doors are shut before the user's SQL runs:
`allowed_paths` lists exactly those files, `enable_external_access=false` refuses every
other file, URL, ATTACH, COPY, INSTALL and LOAD, extensions never auto-load, and
`lock_configuration=true` stops SET/PRAGMA from opening them again. A memory limit
(`FLOWBUILDER_DATASET_QUERY_MEMORY`) and a thread limit (`FLOWBUILDER_DATASET_QUERY_THREADS`)
bound the work, the connection's statement timeout interrupts it, and rows stream in Arrow
batches cut at the row and byte limits like any connection's. The statement has passed
integrations.sql_guard (one read) before it reaches here; file-reading table functions are
refused by name too, for a clear message (DuckDB would refuse them anyway).
"""

from __future__ import annotations

import threading
from typing import Any

import duckdb
import sqlparse
from django.conf import settings
from sqlparse import tokens as T

from datasets import storage
from datasets.models import Dataset, DatasetData
from integrations.sql import FETCH_BATCH_ROWS, DatabaseTarget, Params, QueryResult, _row_size
from integrations.sql_errors import SQL_ERROR, TIMEOUT, ConnectionCheck, QueryFailed
from integrations.sql_guard import QueryRefused

DENIED_PREFIXES = ("read_", "parquet_", "sniff_", "glob", "iceberg_", "delta_", "sqlite_", "postgres_", "mysql_")
DENIED_NAMES = frozenset({"duckdb_secrets", "duckdb_extensions", "which_secret", "load_aws_credentials", "query",
                          "query_table", "getvariable", "current_setting", "duckdb_settings"})  # fmt: skip


def refuse_file_functions(statement: str) -> None:
    """Calls of file/URL/settings functions (a name followed by `(`); columns so named are fine."""
    tokens = [token for token in sqlparse.parse(statement)[0].flatten() if not token.is_whitespace]
    for token, following in zip(tokens, tokens[1:], strict=False):
        named = token.ttype in T.Name or token.ttype in T.Literal.String.Symbol or token.is_keyword
        if named and following.value == "(":
            name = token.value.strip('"').lower()
            if name.startswith(DENIED_PREFIXES) or name in DENIED_NAMES:
                raise QueryRefused(
                    f"{name}() reads files, URLs or settings; a dataset query reads only the datasets' tables."
                )


def duckdb_statement(statement: str, params: Params) -> tuple[str, Any]:
    """`%s` and `%(name)s` placeholders (as for PostgreSQL/MySQL) as DuckDB's `?` and `$name`."""
    if not params:
        return statement, None
    parts = []
    for token in sqlparse.parse(statement)[0].flatten():
        value = token.value
        if token.ttype in T.Name.Placeholder and value == "%s":
            value = "?"
        elif token.ttype in T.Name.Placeholder and value.startswith("%(") and value.endswith(")s"):
            value = "$" + value[2:-2]
        elif token.ttype not in T.Literal.String and token.ttype not in T.Comment:
            value = value.replace("%%", "%")
        parts.append(value)
    return "".join(parts), (dict(params) if isinstance(params, dict) else list(params))


def _views(project_id: str) -> list[tuple[str, str]]:
    """(table name, local Parquet path) for each dataset of the project."""
    found = Dataset.objects.filter(project_id=project_id).values_list("id", "table_name", "data_sha256")
    views = []
    for dataset_id, table_name, digest in found:
        path = storage.local_copy(
            digest, lambda pk=dataset_id: DatasetData.objects.filter(pk=pk).values_list("parquet", flat=True).first()
        )
        if path is not None:
            views.append((table_name, str(path)))
    return views


def _quote(text: str) -> str:
    return "'" + text.replace("'", "''") + "'"


def open_database(project_id: str) -> duckdb.DuckDBPyConnection:
    connection = duckdb.connect(
        ":memory:",
        config={
            "threads": settings.FLOWBUILDER_DATASET_QUERY_THREADS,
            "memory_limit": settings.FLOWBUILDER_DATASET_QUERY_MEMORY,
            "autoinstall_known_extensions": False,
            "autoload_known_extensions": False,
        },
    )
    views = _views(project_id)
    paths = ", ".join(_quote(path) for _, path in views)
    connection.execute(f"SET allowed_paths = [{paths}]")
    connection.execute("SET enable_external_access = false")
    connection.execute("SET max_temp_directory_size = '0B'")
    for table_name, path in views:
        connection.execute(f'CREATE VIEW "{table_name}" AS SELECT * FROM read_parquet({_quote(path)})')
    connection.execute("SET lock_configuration = true")
    return connection


def _failed(error: duckdb.Error) -> QueryFailed:
    message = str(error).split("\n")[0]
    if isinstance(error, duckdb.InterruptException):
        return QueryFailed(TIMEOUT, "The query ran past the connection's statement timeout and was stopped.")
    if isinstance(error, duckdb.OutOfMemoryException):
        return QueryFailed("QUERY_TOO_LARGE", f"The query needs more memory than a dataset query may use: {message}")
    if isinstance(error, duckdb.PermissionException):
        return QueryFailed("QUERY_NOT_READ_ONLY", f"Refused: {message}")
    return QueryFailed(SQL_ERROR, message)


class DatasetsEngine:
    """What integrations.sql calls for a `datasets` connection (target.database is the project id)."""

    def run(self, target: DatabaseTarget, statement: str, params: Params) -> QueryResult:
        refuse_file_functions(statement)
        sql_text, values = duckdb_statement(statement, params)
        connection = open_database(target.database)
        timer = threading.Timer(max(target.statement_timeout_ms, 1) / 1000, connection.interrupt)
        timer.start()
        try:
            # A relation streams: batches are computed as they are read (execute() would
            # materialize the whole result first).
            relation = connection.sql(sql_text, params=values)
            if relation is None:
                raise QueryFailed("NO_ROWS", "The statement returned no rows to read.")
            columns = list(relation.columns)
            types = [str(kind).lower() for kind in relation.types]
            rows, truncated = _read_batches(relation.to_arrow_reader(FETCH_BATCH_ROWS), target)
        except duckdb.Error as error:
            raise _failed(error) from None
        finally:
            timer.cancel()
            connection.close()
        return QueryResult(columns=columns, rows=rows, truncated=truncated, column_types=types)

    def describe(self, target: DatabaseTarget) -> list[dict[str, Any]]:
        return describe_project(target.database)

    def check(self, target: DatabaseTarget) -> ConnectionCheck:
        count = Dataset.objects.filter(project_id=target.database).count()
        try:
            self.run(target, "SELECT 1", None)
        except QueryFailed as failure:
            return ConnectionCheck(ok=False, code=failure.code, message=failure.message)
        return ConnectionCheck(ok=True, code="OK", message=f"Ready; {count} dataset{'s' * (count != 1)} to query.")


def _read_batches(reader, target: DatabaseTarget) -> tuple[list[list[Any]], bool]:
    rows: list[list[Any]] = []
    size = 0
    for batch in reader:
        columns = [column.to_pylist() for column in batch.columns]
        for row in zip(*columns, strict=True):
            size += _row_size(row)
            if len(rows) >= target.row_limit or size > target.max_result_bytes:
                return rows, True
            rows.append(list(row))
    return rows, False


def describe_project(project_id: str) -> list[dict[str, Any]]:
    """The datasets as tables (schema `main`), each column with its type and original label."""
    return [
        {
            "schema": "main",
            "name": dataset.table_name,
            "dataset": dataset.name,
            "columns": [
                {
                    "name": column["name"],
                    "type": column.get("sql_type") or "VARCHAR",
                    "label": column.get("label") or column["name"],
                    "nullable": True,
                    "primary_key": False,
                    "references": None,
                }
                for column in dataset.columns
            ],
        }
        for dataset in Dataset.objects.filter(project_id=project_id).order_by("table_name")
    ]


DATASETS_ENGINE = DatasetsEngine()
