"""Connection settings a driver cannot send: a 400 at the API, a clear failed test for stored rows."""

from __future__ import annotations

import pytest

from integrations.services import create_connection
from tests.api.test_authentication import assert_error

BASE = {"name": "x", "kind": "mysql", "database": "d", "username": "u", "port": 3306}


BAD_HOSTS = ["bad host", "a\u0080b.example", "exa_mple..com", "-x-.com", "h" * 300, "\u2603\ufffd.com"]


@pytest.mark.parametrize("host", BAD_HOSTS)
def test_a_host_that_is_no_hostname_or_ip_is_refused(alice_api, host):
    response = alice_api.post("/api/v1/connections", {**BASE, "host": host}, format="json")
    assert_error(response, 400, "VALIDATION_ERROR")
    assert response.json()["error"]["field"] == "host"


@pytest.mark.parametrize("host", ["db.example.com", "10.0.0.5", "::1", "bücher.example", "db_1.internal"])
def test_hostnames_idna_names_and_ips_are_accepted(alice_api, host):
    response = alice_api.post("/api/v1/connections", {**BASE, "host": host}, format="json")
    assert response.status_code == 201, response.content


def test_a_mysql_password_outside_latin_1_is_refused_on_create_and_patch(alice_api):
    response = alice_api.post("/api/v1/connections", {**BASE, "host": "h", "password": "p\u20ac\u4e2d"}, format="json")
    assert_error(response, 400, "VALIDATION_ERROR")
    assert response.json()["error"]["field"] == "password"
    created = alice_api.post("/api/v1/connections", {**BASE, "host": "h", "password": "pé"}, format="json")
    assert created.status_code == 201
    connection_id = created.json()["data"]["id"]
    response = alice_api.patch(f"/api/v1/connections/{connection_id}", {"password": "\u4e2d"}, format="json")
    assert response.json()["error"]["field"] == "password"


@pytest.fixture
def unsendable_connections(acme):
    """Rows saved before the API checked them (or by code that skips the API)."""
    values = {"name": "old", "host": "h.example", "database": "d", "username": "u", "port": 3306}
    by_password = create_connection(acme.default_project, kind="mysql", values=values, password="\u4e2d\u6587")
    values = {**values, "name": "old host", "host": "a\u0080b"}
    by_host = create_connection(acme.default_project, kind="postgresql", values=values, password="pw")
    return by_password, by_host


def test_testing_a_stored_unsendable_connection_is_a_clear_failed_result(alice_api, unsendable_connections):
    for connection, field in zip(unsendable_connections, ("password", "host"), strict=True):
        for url in (f"/api/v1/connections/{connection.id}/test", f"/api/v1/integrations/{connection.id}/test"):
            response = alice_api.post(url)
            assert response.status_code == 200, response.content
            result = response.json()["data"]
            assert result["ok"] is False and result["code"] == "INVALID_SETTINGS"
            assert result["message"].startswith(f"{field}:")


def test_the_schema_of_a_stored_unsendable_connection_is_a_400(alice_api, unsendable_connections):
    for connection, field in zip(unsendable_connections, ("password", "host"), strict=True):
        response = alice_api.get(f"/api/v1/connections/{connection.id}/schema")
        assert_error(response, 400, "VALIDATION_ERROR")
        assert response.json()["error"]["field"] == field
