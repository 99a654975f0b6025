"""Database, SMTP and LLM connections go through the network guard, refused before connecting.

Loopback targets point at a canary listener (and the real PostgreSQL 5432 / MariaDB 3306)
and check nothing connected; other targets run with every way out patched to fail the test,
so a guard that let one through would fail here rather than reach the network.
"""

from __future__ import annotations

import socket
import threading
from dataclasses import replace

import psycopg
import pytest

from integrations import probes
from integrations.email import EmailError, OutgoingEmail, send_via_smtp
from integrations.sql import DatabaseTarget, check_connection, run_read_query
from integrations.sql_errors import QueryFailed
from integrations.sql_schema import describe_schema

SETTING = "FLOWBUILDER_NETWORK_ALLOW_LIST"

HOSTILE_HOSTS = {
    "127.0.0.1": "loopback",
    "localhost": "loopback",
    "::1": "loopback",
    "::ffff:127.0.0.1": "loopback",
    "0177.0.0.1": "non-canonical",
    "127.000.000.001": "non-canonical",
    "2130706433": "non-canonical",
    "0x7f.1": "non-canonical",
    "127.1": "non-canonical",
    "１２７.０.０.１": "non-canonical",
    "192.0.0.192": "cloud metadata (192.0.0.192",
    "169.254.169.254": "cloud metadata (169.254.169.254",
    "100.100.100.200": "cloud metadata (100.100.100.200",
    "fd00:ec2::254": "cloud metadata (fd00:ec2::254",
    "10.0.0.5": "private",
    "192.168.1.10": "private",
    "100.64.0.1": "carrier-grade NAT",
    "198.18.0.1": "benchmarking",
    "240.0.0.1": "reserved",
    "64:ff9b::7f00:1": "loopback",
    "fc00::1": "unique-local",
}


@pytest.fixture
def guarded(settings):
    """The product's defaults: nothing allow-listed, superusers refused."""
    settings.FLOWBUILDER_NETWORK_ALLOW_LIST = []
    settings.FLOWBUILDER_HTTP_ALLOW_LIST = []
    settings.FLOWBUILDER_DB_ALLOW_SUPERUSER = False


@pytest.fixture
def no_way_out(monkeypatch):
    """Every connection path fails the test: the guard has to refuse before any of them."""

    def refuse(*args, **kwargs):
        raise AssertionError(f"a connection was attempted: {args!r} {kwargs.get('host', '')}")

    monkeypatch.setattr(psycopg, "connect", refuse)
    monkeypatch.setattr(socket, "create_connection", refuse)
    monkeypatch.setattr(socket.socket, "connect", refuse)


@pytest.fixture
def canary():
    """A loopback listener that counts the connections it accepts."""
    listener = socket.socket()
    listener.bind(("127.0.0.1", 0))
    listener.listen(8)
    listener.settimeout(0.05)
    accepted: list[tuple] = []
    stop = threading.Event()

    def serve():
        while not stop.is_set():
            try:
                conn, peer = listener.accept()
            except OSError:
                continue
            accepted.append(peer)
            conn.close()

    thread = threading.Thread(target=serve, daemon=True)
    thread.start()
    yield listener.getsockname()[1], accepted
    stop.set()
    thread.join()
    listener.close()


def _target(kind: str, host: str, port: int | None = None) -> DatabaseTarget:
    return DatabaseTarget(kind=kind, host=host, port=port, database="postgres", user="postgres")


@pytest.mark.parametrize("kind", ["postgresql", "mysql"])
def test_the_platform_database_on_loopback_is_refused_by_default(guarded, kind):
    port = 5432 if kind == "postgresql" else 3306
    check = check_connection(_target(kind, "127.0.0.1", port))
    assert not check.ok
    assert check.code == "ADDRESS_BLOCKED"
    assert "loopback" in check.message and SETTING in check.message


@pytest.mark.parametrize("kind", ["postgresql", "mysql"])
def test_loopback_databases_are_refused_without_connecting(guarded, canary, kind):
    port, accepted = canary
    target = _target(kind, "127.0.0.1", port)
    for attempt in (check_connection, describe_schema, lambda t: run_read_query(t, "SELECT 1")):
        try:
            outcome = attempt(target)
        except QueryFailed as failure:
            assert failure.code == "ADDRESS_BLOCKED"
        else:
            assert outcome.code == "ADDRESS_BLOCKED"
    assert accepted == []


@pytest.mark.parametrize("kind", ["postgresql", "mysql"])
@pytest.mark.parametrize(("host", "named_class"), HOSTILE_HOSTS.items())
def test_every_hostile_database_host_is_refused_with_its_class(guarded, no_way_out, kind, host, named_class):
    check = check_connection(_target(kind, host))
    assert check.code == "ADDRESS_BLOCKED", check.message
    assert named_class in check.message


def test_testing_a_connection_to_the_platform_database_through_the_api_is_refused(guarded, alice_api):
    payload = {"name": "Sneaky", "kind": "postgresql", "host": "127.0.0.1", "port": 5432}
    payload |= {"database": "postgres", "username": "postgres", "ssl_mode": "disable"}
    created = alice_api.post("/api/v1/connections", payload, format="json").json()["data"]
    result = alice_api.post(f"/api/v1/connections/{created['id']}/test").json()["data"]
    assert result["ok"] is False and result["code"] == "ADDRESS_BLOCKED"
    assert "loopback" in result["message"] and SETTING in result["message"]
    schema = alice_api.get(f"/api/v1/connections/{created['id']}/schema")
    assert schema.status_code == 400
    assert schema.json()["error"]["code"] == "ADDRESS_BLOCKED"


def test_the_allow_list_lets_a_loopback_database_through(settings, scratch_postgres):
    settings.FLOWBUILDER_NETWORK_ALLOW_LIST = ["127.0.0.1/32"]
    assert check_connection(scratch_postgres).ok


def test_the_old_http_allow_list_setting_still_counts(settings, scratch_postgres):
    settings.FLOWBUILDER_NETWORK_ALLOW_LIST = []
    settings.FLOWBUILDER_HTTP_ALLOW_LIST = ["127.0.0.1"]
    assert check_connection(scratch_postgres).ok


def test_a_name_keeps_its_name_for_tls_while_connecting_to_the_checked_address(settings, scratch_postgres):
    settings.FLOWBUILDER_NETWORK_ALLOW_LIST = ["localhost", "::1"]
    check = check_connection(replace(scratch_postgres, host="localhost", ssl_mode="require"))
    assert check.code == "SSL_UNAVAILABLE"  # the name reached the server; the server has no SSL


def _email() -> OutgoingEmail:
    return OutgoingEmail(to=["a@b.test"], subject="s", text="t", from_email="f@b.test")


def test_smtp_to_loopback_is_refused_without_connecting(guarded, canary):
    port, accepted = canary
    with pytest.raises(EmailError) as caught:
        send_via_smtp(_email(), {"host": "127.0.0.1", "port": port})
    assert caught.value.code == "ADDRESS_BLOCKED"
    assert caught.value.retryable is False
    assert "loopback" in caught.value.message and SETTING in caught.value.message
    assert accepted == []


@pytest.mark.parametrize(("host", "named_class"), HOSTILE_HOSTS.items())
def test_every_hostile_smtp_host_is_refused(guarded, no_way_out, host, named_class):
    with pytest.raises(EmailError) as caught:
        send_via_smtp(_email(), {"host": host, "port": 25})
    assert caught.value.code == "ADDRESS_BLOCKED"
    assert named_class in caught.value.message
    check = probes._probe_smtp({"host": host, "port": 25})
    assert check.code == "ADDRESS_BLOCKED" and named_class in check.message


@pytest.mark.parametrize("base_url", ["http://192.0.0.192", "http://0177.0.0.1:8080", "http://[::1]:11434"])
def test_an_llm_base_url_on_a_blocked_address_is_refused(guarded, no_way_out, base_url):
    check = probes._probe_url(f"{base_url}/v1/models", {})
    assert check.code == "ADDRESS_BLOCKED"
    assert "refused" in check.message
