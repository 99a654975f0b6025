"""db.query on the real PostgreSQL and MariaDB: ordinary column types give a completed run."""

from __future__ import annotations

import base64

import pytest

from integrations.services import create_connection
from tests.workflows.conftest import edge, node
from workflows import services
from workflows.jobs import run_execution
from workflows.models import ExecutionStep

pytestmark = pytest.mark.django_db

POSTGRES_SQL = (
    "SELECT timestamptz '2024-05-01 09:30:00+00' AS at, timestamp '2024-05-01 09:30:00' AS local_at, "
    "date '2024-05-01' AS day, 12.50::numeric AS price, 12345678901234567890.123456789::numeric AS big, "
    "'NaN'::numeric AS nan, '\\x00ff'::bytea AS raw, interval '1 day 2 hours' AS span, "
    "'00000000-0000-0000-0000-000000000001'::uuid AS id, 'NaN'::float8 AS ratio"
)
MARIADB_SQL = (
    "SELECT CAST('2024-05-01 09:30:00' AS DATETIME) AS local_at, CAST('2024-05-01' AS DATE) AS day, "
    "CAST(12.50 AS DECIMAL(10, 2)) AS price, CAST(12345678901234567890.123456789 AS DECIMAL(30, 9)) AS big, "
    "UNHEX('00FF') AS raw, TIME('26:00:00') AS span, CAST(REPEAT('x', 300) AS BINARY) AS file"
)


def query_flow(connection_id: str, sql: str) -> dict:
    return {
        "nodes": [
            node("start", "trigger.manual"),
            node("query", "db.query", {"connection": connection_id, "sql": sql}),
        ],
        "edges": [edge("start", "query")],
    }


def run_query(project, make_workflow, target, sql: str):
    values = {"name": target.kind, "host": target.host, "port": target.port, "database": target.database}
    values |= {"username": target.user, "ssl_mode": "disable"}
    connection = create_connection(project, kind=target.kind, values=values)
    workflow = make_workflow(definition=query_flow(connection.id, sql))
    execution = services.start_execution(workflow, input={}, version=None)
    run_execution(execution.id)
    execution.refresh_from_db()
    return execution


def row_of(execution) -> dict:
    output = execution.output
    return dict(zip(output["columns"], output["rows"][0], strict=True))


@pytest.fixture
def make_workflow(acme, alice):
    def make(definition: dict):
        return services.create_workflow(acme.default_project, name="Query", definition=definition, actor=alice)

    return make


def test_a_postgresql_row_of_ordinary_types_completes_as_json(acme, make_workflow, scratch_postgres):
    execution = run_query(acme.default_project, make_workflow, scratch_postgres, POSTGRES_SQL)
    assert execution.status == "completed", execution.error
    assert row_of(execution) == {
        "at": "2024-05-01T09:30:00+00:00",
        "local_at": "2024-05-01T09:30:00",
        "day": "2024-05-01",
        "price": 12.5,
        "big": "12345678901234567890.123456789",
        "nan": "NaN",
        "raw": {"$bytes": "AP8="},
        "span": "P1DT2H0M0S",
        "id": "00000000-0000-0000-0000-000000000001",
        "ratio": "NaN",
    }
    step = ExecutionStep.objects.get(execution=execution, node_id="query")
    assert step.status == "succeeded"


def test_a_mariadb_row_of_ordinary_types_completes_as_json(acme, make_workflow, scratch_mariadb):
    execution = run_query(acme.default_project, make_workflow, scratch_mariadb, MARIADB_SQL)
    assert execution.status == "completed", execution.error
    row = row_of(execution)
    file = row.pop("file")
    assert row == {
        "local_at": "2024-05-01T09:30:00",
        "day": "2024-05-01",
        "price": 12.5,
        "big": "12345678901234567890.123456789",
        "raw": {"$bytes": "AP8="},
        "span": "P1DT2H0M0S",
    }
    # A binary value (LOAD_FILE, which read a server file here, is refused by the read-only guard).
    assert base64.b64decode(file["$bytes"]) == b"x" * 300
