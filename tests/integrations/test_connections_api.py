"""Connections API: CRUD, the plain-words test, schema introspection, roles and scoping."""

from __future__ import annotations

import pytest

from accounts.models import AuditEvent, Role
from tests.api.test_authentication import assert_error
from tests.integrations.conftest import closed_port

PASSWORD = "conn-pw-NEVER-SHOWN-42"


@pytest.fixture
def pg_connection(alice_api, scratch_postgres):
    payload = {
        "name": "Warehouse",
        "kind": "postgresql",
        "host": scratch_postgres.host,
        "port": scratch_postgres.port,
        "database": scratch_postgres.database,
        "username": scratch_postgres.user,
        "password": PASSWORD,
        "ssl_mode": "disable",
        "statement_timeout_ms": 2000,
        "row_limit": 50,
    }
    response = alice_api.post("/api/v1/connections", payload, format="json")
    assert response.status_code == 201, response.content
    return response.json()["data"]


def test_creating_a_connection_answers_without_the_password(pg_connection, alice_api):
    assert pg_connection["id"].startswith("conn_")
    assert pg_connection["has_password"] is True
    assert pg_connection["status"] == "untested"
    for response in (alice_api.get("/api/v1/connections"), alice_api.get(f"/api/v1/connections/{pg_connection['id']}")):
        assert response.status_code == 200
        assert PASSWORD not in response.content.decode()


def test_testing_a_reachable_database_records_an_ok_status(pg_connection, alice_api):
    response = alice_api.post(f"/api/v1/connections/{pg_connection['id']}/test")
    assert response.json()["data"]["ok"] is True
    listing = alice_api.get("/api/v1/integrations").json()["data"]
    row = next(item for item in listing if item["id"] == pg_connection["id"])
    assert row["status"] == "ok" and row["category"] == "connection" and row["type"] == "postgresql"


def test_testing_after_patching_to_a_closed_port_says_unreachable(pg_connection, alice_api):
    url = f"/api/v1/connections/{pg_connection['id']}"
    assert alice_api.patch(url, {"port": closed_port()}, format="json").status_code == 200
    result = alice_api.post(f"/api/v1/integrations/{pg_connection['id']}/test").json()["data"]
    assert result["ok"] is False and result["code"] == "UNREACHABLE"
    assert result["message"].startswith("Unreachable host")
    assert alice_api.get(url).json()["data"]["status"] == "failing"


def test_the_schema_lists_the_tables_and_columns(pg_connection, alice_api):
    response = alice_api.get(f"/api/v1/connections/{pg_connection['id']}/schema")
    tables = response.json()["data"]["tables"]
    assert [column["name"] for column in tables[0]["columns"]] == ["id", "name", "city"]


def test_the_schema_of_an_unreachable_database_is_a_clear_error(pg_connection, alice_api):
    alice_api.patch(f"/api/v1/connections/{pg_connection['id']}", {"database": "nope_db"}, format="json")
    response = alice_api.get(f"/api/v1/connections/{pg_connection['id']}/schema")
    assert_error(response, 502, "CONNECTION_FAILED")
    assert "'nope_db' does not exist" in response.json()["error"]["message"]


def test_a_connection_can_use_a_database_credential(alice_api, scratch_mariadb, mariadb_user_with_password):
    user, password = mariadb_user_with_password
    credential = alice_api.post(
        "/api/v1/credentials",
        {"name": "maria login", "type": "database", "metadata": {"username": user}, "secret": {"password": password}},
        format="json",
    ).json()["data"]
    response = alice_api.post(
        "/api/v1/connections",
        {
            "name": "maria",
            "kind": "mysql",
            "host": scratch_mariadb.host,
            "port": scratch_mariadb.port,
            "database": scratch_mariadb.database,
            "credential_id": credential["id"],
            "ssl_mode": "disable",
        },
        format="json",
    )
    assert response.status_code == 201, response.content
    result = alice_api.post(f"/api/v1/connections/{response.json()['data']['id']}/test").json()["data"]
    assert result["ok"] is True, result
    assert_error(alice_api.delete(f"/api/v1/credentials/{credential['id']}"), 409, "CONFLICT")


def test_bad_connection_input_is_a_validation_error(alice_api):
    missing_host = {"name": "x", "kind": "postgresql", "database": "d", "username": "u"}
    assert_error(alice_api.post("/api/v1/connections", missing_host, format="json"), 400, "VALIDATION_ERROR")
    rest_without_url = {"name": "x", "kind": "rest"}
    response = alice_api.post("/api/v1/connections", rest_without_url, format="json")
    assert_error(response, 400, "VALIDATION_ERROR")
    assert response.json()["error"]["field"] == "base_url"
    bad_port = {"name": "x", "kind": "mysql", "host": "h", "database": "d", "username": "u", "port": 70000}
    assert_error(alice_api.post("/api/v1/connections", bad_port, format="json"), 400, "VALIDATION_ERROR")


def test_a_credential_of_the_wrong_type_is_refused(alice_api):
    bearer = alice_api.post(
        "/api/v1/credentials", {"name": "t", "type": "bearer", "secret": {"token": "x"}}, format="json"
    ).json()["data"]
    payload = {"name": "x", "kind": "postgresql", "host": "h", "database": "d", "credential_id": bearer["id"]}
    response = alice_api.post("/api/v1/connections", payload, format="json")
    assert_error(response, 400, "VALIDATION_ERROR")
    assert response.json()["error"]["field"] == "credential_id"


def test_changes_are_audited_and_delete_removes_the_connection(pg_connection, alice_api):
    url = f"/api/v1/connections/{pg_connection['id']}"
    alice_api.patch(url, {"password": "new-pw-123"}, format="json")
    assert alice_api.delete(url).status_code == 204
    assert_error(alice_api.get(url), 404, "NOT_FOUND")
    events = AuditEvent.objects.filter(target_id=pg_connection["id"])
    assert sorted(events.values_list("action", flat=True)) == [
        "connection.created",
        "connection.deleted",
        "connection.updated",
    ]
    assert "new-pw-123" not in str(list(events.values_list("details", flat=True)))


def test_a_viewer_reads_but_cannot_change_or_test(acme, make_key, api_client_for, pg_connection):
    _, plaintext = make_key(acme, Role.VIEWER)
    viewer = api_client_for(plaintext)
    url = f"/api/v1/connections/{pg_connection['id']}"
    assert viewer.get(url).status_code == 200
    assert_error(viewer.patch(url, {"name": "v"}, format="json"), 403, "FORBIDDEN")
    assert_error(viewer.post(f"{url}/test"), 403, "FORBIDDEN")
    assert_error(viewer.delete(url), 403, "FORBIDDEN")


def test_an_outsider_gets_404_for_every_connection_endpoint(charlie_api, pg_connection):
    url = f"/api/v1/connections/{pg_connection['id']}"
    assert charlie_api.get("/api/v1/connections").json()["meta"]["total"] == 0
    assert charlie_api.get("/api/v1/integrations").json()["meta"]["total"] == 0
    for response in (
        charlie_api.get(url),
        charlie_api.patch(url, {"name": "mine"}, format="json"),
        charlie_api.delete(url),
        charlie_api.post(f"{url}/test"),
        charlie_api.get(f"{url}/schema"),
        charlie_api.post(f"/api/v1/integrations/{pg_connection['id']}/test"),
    ):
        assert_error(response, 404, "NOT_FOUND")
