"""Writing step rows: one INSERT … ON CONFLICT UPDATE for every record a journal flush holds.

On PostgreSQL the rows travel as one JSON array in one parameter, unpacked by
`jsonb_to_recordset`: Django's bulk_create sent 15 parameters a row, and past 50 parameters
psycopg parses such a statement afresh on every call; with Django's own SQL building that
was a fifth of a short run's web CPU (D19 addendum (4)). Elsewhere (SQLite, the embedded
mode) Django's bulk_create writes them. Either way each row gets its id, in the order given.
"""

from __future__ import annotations

import json
from datetime import datetime
from functools import cache

from django.db import connections

from workflows.models import ExecutionStep

# What a step record sets on its row (the journal's records), then every written column but
# execution_id, and the SQL types of those that are not text.
RECORD_FIELDS = (
    "node_id", "node_type", "status", "idempotency_key", "input", "output", "output_port",
    "error", "started_at", "finished_at", "resume_at", "waiting_for",
)  # fmt: skip
COLUMNS = ("step_key", "attempt", *RECORD_FIELDS)
TYPES = {"attempt": "integer", "input": "jsonb", "output": "jsonb", "error": "jsonb", "waiting_for": "jsonb",
         "started_at": "timestamptz", "finished_at": "timestamptz", "resume_at": "timestamptz"}  # fmt: skip
UNIQUE = ("execution", "step_key", "attempt")


def write_step_rows(rows: list[ExecutionStep], using: str = "default") -> None:
    """Insert or update (by execution, step key and attempt) every row; each gets its `id`."""
    connection = connections[using]
    if connection.vendor != "postgresql":
        ExecutionStep.objects.using(using).bulk_create(
            rows, update_conflicts=True, unique_fields=list(UNIQUE), update_fields=list(RECORD_FIELDS)
        )
        return
    executions = {row.execution_id for row in rows}
    if len(executions) != 1:
        raise ValueError("one flush writes the rows of one execution")
    payload = [{"n": index, **{name: _plain(getattr(row, name)) for name in COLUMNS}} for index, row in enumerate(rows)]
    with connection.cursor() as cursor:
        cursor.execute(_upsert_sql(using), [executions.pop(), json.dumps(payload, allow_nan=False)])
        ids = {(step_key, attempt): pk for pk, step_key, attempt in cursor.fetchall()}
    for row in rows:
        row.pk = ids[(row.step_key, row.attempt)]
        row._state.adding, row._state.db = False, using


def _plain(value):
    """A row value as JSON: datetimes as ISO 8601 with their offset (PostgreSQL reads them back exactly)."""
    return value.isoformat() if isinstance(value, datetime) else value


@cache
def _upsert_sql(using: str) -> str:
    meta, quote = ExecutionStep._meta, connections[using].ops.quote_name
    quoted = {name: quote(meta.get_field(name).column) for name in COLUMNS}
    execution = quote(meta.get_field("execution").column)
    definitions = ", ".join(f"{quoted[name]} {TYPES.get(name, 'text')}" for name in COLUMNS)
    updated = ", ".join(f"{quoted[name]} = EXCLUDED.{quoted[name]}" for name in RECORD_FIELDS)
    return (
        f"INSERT INTO {quote(meta.db_table)} ({execution}, {', '.join(quoted.values())}) "
        f"SELECT %s, {', '.join('r.' + quoted[name] for name in COLUMNS)} "
        f"FROM jsonb_to_recordset(%s::jsonb) AS r(n integer, {definitions}) ORDER BY r.n "
        f"ON CONFLICT ({execution}, {quoted['step_key']}, {quoted['attempt']}) DO UPDATE SET {updated} "
        f"RETURNING {quote(meta.pk.column)}, {quoted['step_key']}, {quoted['attempt']}"
    )
