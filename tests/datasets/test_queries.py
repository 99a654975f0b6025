"""Datasets queried like a database: db.query and the query/schema/ask endpoints through the
built-in Datasets connection (DuckDB), the read-only guarantees, and both modes."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.test import override_settings

from integrations.models import Connection
from integrations.nodes import register_integration_nodes
from integrations.runtime import ProjectResources, resources_services
from integrations.services import database_target
from integrations.sql import QueryFailed, QueryRefused, run_read_query
from tests.datasets.conftest import upload
from workflows.engine import InMemoryJournal, default_registry, run_workflow

pytestmark = pytest.mark.django_db
ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture
def datasets_connection(orders, acme):
    return Connection.objects.get(project=acme.default_project, kind="datasets")


def query(connection, sql, params=None):
    return run_read_query(database_target(connection), sql, params)


def test_the_query_endpoint_answers_rows_by_name_with_the_count_and_time(alice_api, datasets_connection):
    response = alice_api.post(
        f"/api/v1/connections/{datasets_connection.id}/query",
        {"sql": "SELECT customer, sum(total) AS spent FROM orders GROUP BY customer ORDER BY spent DESC"},
        format="json",
    )
    assert response.status_code == 200, response.content
    data = response.json()["data"]
    assert data["rows"] == [{"customer": "Ada", "spent": 162.75}, {"customer": "Bob", "spent": 80.0}]
    assert data["row_count"] == 2 and data["truncated"] is False and data["elapsed_ms"] >= 0
    refused = alice_api.post(f"/api/v1/connections/{datasets_connection.id}/query", {"sql": "DROP VIEW orders"},
                             format="json")  # fmt: skip
    assert refused.status_code == 422 and refused.json()["error"]["code"] == "QUERY_NOT_READ_ONLY"


def test_the_schema_gives_the_model_columns_types_and_labels(alice_api, datasets_connection):
    response = alice_api.get(f"/api/v1/connections/{datasets_connection.id}/schema")
    assert response.status_code == 200, response.content
    [table] = response.json()["data"]["tables"]
    assert table["name"] == "orders" and table["schema"] == "main"
    assert table["columns"][0] == {"name": "order_id", "type": "BIGINT", "label": "Order ID", "nullable": True,
                                   "primary_key": False, "references": None}  # fmt: skip
    assert [c["type"] for c in table["columns"]][2:] == ["DECIMAL(38,2)", "VARCHAR", "TIMESTAMP"]


@pytest.mark.parametrize(
    "sql",
    [
        "SELECT * FROM read_csv('/etc/passwd')",
        "SELECT * FROM read_text('/etc/passwd')",
        "SELECT * FROM glob('/etc/*')",
        "SELECT * FROM 'https://example.com/x.parquet'",
        "SELECT * FROM '/etc/passwd'",
        "COPY orders TO '/tmp/out.csv'",
        "ATTACH '/tmp/x.db' AS x",
        "INSTALL httpfs",
        "LOAD httpfs",
        "PRAGMA threads=8",
        "SET enable_external_access = true",
        "CREATE TABLE t AS SELECT 1",
        "INSERT INTO orders VALUES (1)",
        "DELETE FROM orders",
        "SELECT 1; DROP VIEW orders",
        "EXPORT DATABASE '/tmp/x'",
        "CALL pragma_version()",
    ],
)
def test_writes_files_urls_extensions_and_settings_are_refused(datasets_connection, sql):
    with pytest.raises((QueryRefused, QueryFailed)) as caught:
        query(datasets_connection, sql)
    assert getattr(caught.value, "code", "") in ("QUERY_NOT_READ_ONLY", "SQL_ERROR")
    assert query(datasets_connection, "SELECT count(*) AS n FROM orders").rows == [[3]]


def test_params_row_limit_and_byte_limit_bound_the_result(datasets_connection):
    found = query(datasets_connection, "SELECT order_id FROM orders WHERE customer = %s ORDER BY 1", ["Ada"])
    assert found.rows == [[1], [3]]
    named = query(datasets_connection, "SELECT order_id FROM orders WHERE customer = %(who)s", {"who": "Bob"})
    assert named.rows == [[2]]
    datasets_connection.row_limit = 2
    # Rows stream: ten billion rows are never computed, the read stops after the limit.
    cut = query(datasets_connection, "SELECT * FROM range(10000000000)")
    assert cut.rows == [[0], [1]] and cut.truncated is True


@override_settings(FLOWBUILDER_DATASET_QUERY_MEMORY="64MB")
def test_a_query_past_the_memory_limit_fails_plainly(datasets_connection):
    with pytest.raises(QueryFailed) as caught:
        query(datasets_connection, "SELECT length(string_agg(repeat('x', 1000), '')) FROM range(2000000)")
    assert caught.value.code == "QUERY_TOO_LARGE" and "memory" in caught.value.message


def test_a_query_that_never_ends_stops_at_the_timeout(datasets_connection):
    datasets_connection.statement_timeout_ms = 200
    with pytest.raises(QueryFailed) as caught:
        query(datasets_connection, "SELECT count(*) FROM range(1000000000000) a")
    assert caught.value.code == "TIMEOUT"


@pytest.mark.parametrize("redis_url", ["", os.environ.get("REDIS_URL", "")], ids=["embedded", "scaled"])
def test_db_query_node_on_a_dataset(acme, datasets_connection, redis_url):
    definition = {
        "nodes": [
            {"id": "start", "type": "trigger.manual", "name": "start", "config": {}},
            {"id": "q", "type": "db.query", "name": "q", "config": {
                "connection": datasets_connection.id, "params": ["{{ trigger.over }}"],
                "sql": "SELECT customer FROM orders WHERE total > %s ORDER BY 1"}},
        ],
        "edges": [{"id": "e1", "source": "start", "target": "q"}],
    }  # fmt: skip
    with override_settings(REDIS_URL=redis_url):
        outcome = run_workflow(
            definition, registry=register_integration_nodes(default_registry()), journal=InMemoryJournal(),
            trigger_node_id="start", trigger_payload={"over": 50},
            services=resources_services(ProjectResources(acme.default_project.id, acme.id)), sleep=lambda s: None,
        )  # fmt: skip
    assert outcome.status == "completed", outcome
    assert outcome.output["rows"] == [{"customer": "Ada"}, {"customer": "Bob"}]


def test_other_projects_datasets_are_not_visible(alice_api, charlie_api, datasets_connection, globex):
    upload(charlie_api, "/datasets", b"secret\nglobex-only\n", name="Orders")
    rows = query(datasets_connection, "SELECT * FROM orders").rows
    assert all("globex-only" not in row for row in rows)


@pytest.mark.slow
def test_embedded_mode_imports_and_queries_on_sqlite(tmp_path):
    env = {key: value for key, value in os.environ.items() if key not in {"DATABASE_URL", "REDIS_URL"}}
    env |= {"FLOWBUILDER_VAR_DIR": str(tmp_path / "var"), "DJANGO_SETTINGS_MODULE": "flowbuilder.settings"}

    def manage(*args):
        done = subprocess.run([sys.executable, "manage.py", *args], cwd=ROOT, env=env, capture_output=True,
                              text=True, timeout=300)  # fmt: skip
        assert done.returncode == 0, done.stderr
        return done.stdout

    manage("migrate", "--noinput")
    demo = json.loads(manage("bootstrap", "--org", "Demo", "--email", "d@example.com", "--password", "pw-12345678",
                             "--plan", "business", "--json"))  # fmt: skip
    csv = tmp_path / "orders.csv"
    csv.write_text("Customer;Total\nAda;10\nBob;5\nAda;2\n")
    project = demo.get("project_id") or demo["project"]["id"]
    manage("import_dataset", str(csv), "--project", project, "--name", "Orders")
    script = (
        "from integrations.models import Connection; from integrations.services import database_target;"
        "from integrations.sql import run_read_query;"
        "c = Connection.objects.get(kind='datasets');"
        "q = 'SELECT customer, sum(total) s FROM orders GROUP BY 1 ORDER BY 2 DESC';"
        "print(run_read_query(database_target(c), q).rows)"
    )
    assert manage("shell", "-c", script).strip().splitlines()[-1] == "[['Ada', Decimal('12')], ['Bob', Decimal('5')]]"


def test_columns_named_like_file_functions_are_readable(alice_api, acme):
    upload(alice_api, "/datasets", b"read_count,glob,query\n3,x,y\n", name="stats")
    connection = Connection.objects.get(project=acme.default_project, kind="datasets")
    assert query(connection, "SELECT read_count, glob_, query FROM stats").rows == [[3, "x", "y"]]
    with pytest.raises(QueryRefused):
        query(connection, "SELECT * FROM \"read_csv\" ('/etc/passwd')")


def test_a_machine_without_a_copy_reads_the_rows_from_the_database(alice_api, datasets_connection, orders, tmp_path):
    """Scaled mode: another machine has an empty cache; it writes its copy from the database."""
    with override_settings(FLOWBUILDER_DATASET_CACHE_DIR=str(tmp_path / "machine-2")):
        assert query(datasets_connection, "SELECT count(*) FROM orders").rows == [[3]]
        assert len(list((tmp_path / "machine-2").glob("*.parquet"))) == 1
        replaced = upload(alice_api, f"/datasets/{orders['id']}/replace", b"Order ID\n9\n")
        assert replaced.status_code == 200
        assert query(datasets_connection, "SELECT * FROM orders").rows == [[9]]  # the new content, never stale
        page = alice_api.get(f"/api/v1/datasets/{orders['id']}/rows").json()["data"]
        assert page == [{"order_id": 9}]
