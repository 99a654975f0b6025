"""`POST /connections/{id}/query` (issue 19, the Data page's console): one read-only SELECT on a
real PostgreSQL database → columns, rows, row count, truncated and the time taken, through the
same guarded path as the `db.query` node."""

from __future__ import annotations

import pytest

from accounts.models import Role
from tests.api.test_authentication import assert_error
from tests.integrations.test_connections_api import pg_connection  # noqa: F401 (a fixture)

pytestmark = pytest.mark.django_db


def query_url(connection: dict) -> str:
    return f"/api/v1/connections/{connection['id']}/query"


def test_a_select_with_group_by_answers_rows_count_and_time(alice_api, pg_connection):  # noqa: F811
    sql = "SELECT city, count(*) AS people FROM customers GROUP BY city ORDER BY city"
    response = alice_api.post(query_url(pg_connection), {"sql": sql}, format="json")
    assert response.status_code == 200, response.content
    data = response.json()["data"]
    assert data["connection_id"] == pg_connection["id"]
    assert [column["name"] for column in data["columns"]] == ["city", "people"]
    assert data["rows"] == [
        {"city": "London", "people": 1},
        {"city": "NYC", "people": 1},
        {"city": "Oslo", "people": 1},
    ]
    assert (data["row_count"], data["truncated"]) == (3, False)
    assert isinstance(data["elapsed_ms"], float) and data["elapsed_ms"] >= 0


def test_rows_as_arrays_keeps_the_column_order(alice_api, pg_connection):  # noqa: F811
    body = {"sql": "SELECT name, id FROM customers ORDER BY id LIMIT 1", "rows_as": "arrays"}
    data = alice_api.post(query_url(pg_connection), body, format="json").json()["data"]
    assert data["rows"] == [["Ada", 1]]


def test_the_connections_row_limit_cuts_the_answer(alice_api, pg_connection):  # noqa: F811
    # The fixture's connection has row_limit 50.
    body = {"sql": "SELECT n FROM generate_series(1, 80) AS n"}
    data = alice_api.post(query_url(pg_connection), body, format="json").json()["data"]
    assert (data["row_count"], data["truncated"]) == (50, True)


@pytest.mark.parametrize(
    "sql",
    [
        "DELETE FROM customers",
        "SELECT 1; DROP TABLE customers",
        "WITH gone AS (DELETE FROM customers RETURNING *) SELECT * FROM gone",
        "SELECT * INTO copy FROM customers",
        "CREATE TABLE x (id int)",
        "UPDATE customers SET name = 'x'",
        "/* just a comment */",
        "   ",
    ],
)
def test_writes_and_non_statements_are_refused_and_change_nothing(alice_api, pg_connection, sql):  # noqa: F811
    response = alice_api.post(query_url(pg_connection), {"sql": sql}, format="json")
    assert response.status_code in (400, 422), response.content
    assert response.json()["success"] is False
    count = alice_api.post(query_url(pg_connection), {"sql": "SELECT count(*) AS n FROM customers"}, format="json")
    assert count.json()["data"]["rows"] == [{"n": 3}]


def test_a_write_is_named_as_not_read_only(alice_api, pg_connection):  # noqa: F811
    error = assert_error(alice_api.post(query_url(pg_connection), {"sql": "DELETE FROM customers"}, format="json"),
                         422, "QUERY_NOT_READ_ONLY")  # fmt: skip
    assert "Only reads" in error["message"]


def test_a_database_error_says_why_in_the_envelope(alice_api, pg_connection):  # noqa: F811
    error = assert_error(alice_api.post(query_url(pg_connection), {"sql": "SELECT nope FROM customers"}, format="json"),
                         422, "SQL_ERROR")  # fmt: skip
    assert "nope" in error["message"]


def test_a_value_without_a_json_form_is_a_422_not_a_500(alice_api, pg_connection):  # noqa: F811
    response = alice_api.post(query_url(pg_connection), {"sql": "SELECT int4range(1, 5) AS span"}, format="json")
    assert_error(response, 422, "OUTPUT_NOT_JSON")


@pytest.mark.parametrize(
    "body",
    [
        {},
        {"sql": None},
        {"sql": 42},
        {"sql": ["SELECT 1"]},
        {"sql": {"text": "SELECT 1"}},
        {"sql": "SELECT 1", "rows_as": "csv"},
        {"sql": "SELECT 1", "rows_as": None},
        {"sql": "SELECT '" + "x" * 100_001 + "'"},
        {"sql": "SELECT 1\x00"},
    ],
)
def test_hostile_bodies_get_a_400_in_the_envelope(alice_api, pg_connection, body):  # noqa: F811
    response = alice_api.post(query_url(pg_connection), body, format="json")
    assert response.status_code == 400, response.content
    assert response.json()["error"]["code"] in ("VALIDATION_ERROR", "MISSING_REQUIRED_FIELD")


@pytest.mark.parametrize(
    "sql",
    [
        "SELECT 'ünïcødé ✓ 😀' AS s",
        "SELECT E'line\\nbreak' AS s",
        "SELECT '' AS s",
        "SELECT NULL AS s",
        "SELECT 1 AS s -- c",
    ],
)
def test_odd_but_valid_values_come_back_as_they_are(alice_api, pg_connection, sql):  # noqa: F811
    response = alice_api.post(query_url(pg_connection), {"sql": sql}, format="json")
    assert response.status_code == 200, response.content
    assert response.json()["data"]["row_count"] == 1


def test_a_rest_connection_has_nothing_to_query(alice_api):
    rest = alice_api.post("/api/v1/connections", {"name": "CRM", "kind": "rest", "base_url": "https://example.com"},
                          format="json").json()["data"]  # fmt: skip
    assert_error(alice_api.post(query_url(rest), {"sql": "SELECT 1"}, format="json"), 400, "VALIDATION_ERROR")


def test_viewers_and_outsiders_cannot_query(acme, make_key, api_client_for, charlie_api, pg_connection):  # noqa: F811
    _, plaintext = make_key(acme, Role.VIEWER)
    viewer = api_client_for(plaintext)
    assert_error(viewer.post(query_url(pg_connection), {"sql": "SELECT 1"}, format="json"), 403, "FORBIDDEN")
    assert_error(charlie_api.post(query_url(pg_connection), {"sql": "SELECT 1"}, format="json"), 404, "NOT_FOUND")


def test_the_browser_session_needs_the_csrf_token(alice, session_client_for, pg_connection):  # noqa: F811
    client = session_client_for(alice)
    assert_error(client.post(query_url(pg_connection), {"sql": "SELECT 1"}, format="json"), 403, "FORBIDDEN")
    client.get("/data/")  # sets the CSRF cookie, as the Data page does
    token = client.cookies["csrftoken"].value
    response = client.post(query_url(pg_connection), {"sql": "SELECT 1 AS one"}, format="json", HTTP_X_CSRFTOKEN=token)
    assert response.status_code == 200, response.content


def test_the_operation_is_in_the_openapi_schema_with_its_errors():
    from django.test import Client

    schema = Client().get("/api/v1/schema/", HTTP_ACCEPT="application/vnd.oai.openapi+json").json()
    operation = schema["paths"]["/api/v1/connections/{id}/query"]["post"]
    assert {"200", "400", "401", "403", "404", "422", "429", "502"} <= set(operation["responses"])
    answer = schema["components"]["schemas"]["ConnectionQueryAnswer"]["properties"]
    assert {"columns", "rows", "row_count", "truncated", "elapsed_ms"} <= set(answer)


def test_params_travel_as_bind_values_and_row_limit_lowers_the_cut(alice_api, pg_connection):  # noqa: F811
    body = {"sql": "SELECT name FROM customers WHERE city = %s", "params": ["Oslo"]}
    assert alice_api.post(query_url(pg_connection), body, format="json").json()["data"]["rows"] == [{"name": "Linus"}]
    body = {"sql": "SELECT name FROM customers WHERE city = %s", "params": ["x' OR '1'='1"]}
    assert alice_api.post(query_url(pg_connection), body, format="json").json()["data"]["rows"] == []
    body = {"sql": "SELECT n FROM generate_series(1, 80) AS n", "row_limit": 5}
    data = alice_api.post(query_url(pg_connection), body, format="json").json()["data"]
    assert (data["row_count"], data["truncated"]) == (5, True)
    body = {"sql": "SELECT n FROM generate_series(1, 80) AS n", "row_limit": 500}  # never past the connection's
    assert alice_api.post(query_url(pg_connection), body, format="json").json()["data"]["row_count"] == 50


@pytest.mark.parametrize("body", [{"params": "Oslo"}, {"params": 3}, {"row_limit": 0}, {"row_limit": "many"}])
def test_bad_params_and_limits_are_400s(alice_api, pg_connection, body):  # noqa: F811
    response = alice_api.post(query_url(pg_connection), {"sql": "SELECT 1", **body}, format="json")
    assert_error(response, 400, "VALIDATION_ERROR")


def test_the_builtin_datasets_connection_answers_the_console_too(alice_api, acme):
    from integrations.models import Connection
    from tests.datasets.conftest import ORDERS_CSV, upload

    assert upload(alice_api, "/datasets", ORDERS_CSV, name="Orders").status_code == 201
    builtin = Connection.objects.get(project=acme.default_project, kind="datasets")
    sql = "SELECT customer, sum(total) AS spent, count(*) AS orders FROM orders GROUP BY customer ORDER BY customer"
    response = alice_api.post(query_url({"id": builtin.id}), {"sql": sql, "rows_as": "arrays"}, format="json")
    assert response.status_code == 200, response.content
    data = response.json()["data"]
    assert [column["name"] for column in data["columns"]] == ["customer", "spent", "orders"]
    assert [(row[0], float(row[1]), row[2]) for row in data["rows"]] == [("Ada", 162.75, 2), ("Bob", 80.0, 1)]
    refused = alice_api.post(query_url({"id": builtin.id}), {"sql": "DELETE FROM orders"}, format="json")
    assert_error(refused, 422, "QUERY_NOT_READ_ONLY")
