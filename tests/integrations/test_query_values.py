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


def query_flow(connection_id: str, sql: str, **config) -> dict:
    return {
        "nodes": [
            node("start", "trigger.manual"),
            node("query", "db.query", {"connection": connection_id, "sql": sql, **config}),
        ],
        "edges": [edge("start", "query")],
    }


def run_query(project, make_workflow, target, sql: str, **config):
    values = {"name": target.kind, "host": target.host, "port": target.port, "database": target.database}
    values |= {"username": target.user, "ssl_mode": "disable"}
    connection = create_connection(project, kind=target.kind, values=values)
    workflow = make_workflow(definition=query_flow(connection.id, sql, **config))
    execution = services.start_execution(workflow, input={}, version=None)
    run_execution(execution.id)
    execution.refresh_from_db()
    return execution


def row_of(execution) -> dict:
    """The first row: an object keyed by column name (stored as jsonb, whose key order is its
    own: `columns` holds the order)."""
    output = execution.output
    row = output["rows"][0]
    assert set(row) == {column["name"] for column in output["columns"]}
    return row


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


ROWS_SQL = "SELECT id, name AS customer, id AS id FROM customers WHERE id <= 2 ORDER BY id"


@pytest.mark.parametrize("engine", ["scratch_postgres", "scratch_mariadb"])
def test_rows_are_objects_keyed_by_column_name_with_typed_columns(acme, make_workflow, request, engine):
    """Issue 24, problem 3: rows were positional lists, so `row.id` could not work."""
    target = request.getfixturevalue(engine)
    execution = run_query(acme.default_project, make_workflow, target, ROWS_SQL)
    assert execution.status == "completed", execution.error
    output = execution.output
    # A repeated name gets a suffix instead of overwriting the first column.
    assert [column["name"] for column in output["columns"]] == ["id", "customer", "id_2"]
    assert output["rows"] == [{"id": 1, "customer": "Ada", "id_2": 1}, {"id": 2, "customer": "Grace", "id_2": 2}]
    types = [column["type"] for column in output["columns"]]
    assert types == (["int4", "text", "int4"] if target.kind == "postgresql" else ["int", "varchar", "int"])


@pytest.mark.parametrize("engine", ["scratch_postgres", "scratch_mariadb"])
def test_rows_as_arrays_gives_positional_rows_in_column_order(acme, make_workflow, request, engine):
    target = request.getfixturevalue(engine)
    execution = run_query(acme.default_project, make_workflow, target, ROWS_SQL, rows_as="arrays")
    assert execution.status == "completed", execution.error
    assert execution.output["rows"] == [[1, "Ada", 1], [2, "Grace", 2]]
    assert [column["name"] for column in execution.output["columns"]] == ["id", "customer", "id_2"]
