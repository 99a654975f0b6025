"""Integration fixtures: a fixed test key ring, scratch PostgreSQL and MariaDB databases."""

from __future__ import annotations

import base64
import os
import uuid

import psycopg
import pymysql
import pytest

from integrations.sql import DatabaseTarget

# Fixed, obviously-test keys: the vault is deterministic about *which* key it uses.
TEST_KEY_A = "ktest_a:" + base64.b64encode(b"A" * 32).decode()
TEST_KEY_B = "ktest_b:" + base64.b64encode(b"B" * 32).decode()

PG_HOST, PG_PORT, PG_USER = "127.0.0.1", 5432, "postgres"
MARIADB_HOST, MARIADB_PORT, MARIADB_USER = "127.0.0.1", 3306, "root"


@pytest.fixture(autouse=True)
def test_key_ring(settings):
    settings.FLOWBUILDER_ENCRYPTION_KEYS = TEST_KEY_A
    return TEST_KEY_A


@pytest.fixture(autouse=True)
def local_services_allowed(settings):
    """The scratch databases and the SMTP and LLM stubs live on loopback, reached as superusers.

    The network guard refuses loopback and superuser roles by default; tests of the guard
    itself turn these back off (see test_network_guard.py, test_sql_guard.py).
    """
    settings.FLOWBUILDER_NETWORK_ALLOW_LIST = ["127.0.0.1"]
    settings.FLOWBUILDER_DB_ALLOW_SUPERUSER = True


def _scratch_name(prefix: str) -> str:
    return f"{prefix}_{os.getpid()}_{uuid.uuid4().hex[:8]}"


@pytest.fixture
def scratch_postgres():
    """A throwaway PostgreSQL database with a `customers` table of three rows."""
    name = _scratch_name("fb_integrations_scratch")
    with psycopg.connect(host=PG_HOST, port=PG_PORT, user=PG_USER, dbname="postgres", autocommit=True) as admin:
        admin.execute(f'CREATE DATABASE "{name}"')
    with psycopg.connect(host=PG_HOST, port=PG_PORT, user=PG_USER, dbname=name, autocommit=True) as conn:
        conn.execute("CREATE TABLE customers (id serial PRIMARY KEY, name text NOT NULL, city text)")
        conn.execute("INSERT INTO customers (name, city) VALUES ('Ada', 'London'), ('Grace', 'NYC'), ('Linus', 'Oslo')")
    yield DatabaseTarget(kind="postgresql", host=PG_HOST, port=PG_PORT, database=name, user=PG_USER)
    with psycopg.connect(host=PG_HOST, port=PG_PORT, user=PG_USER, dbname="postgres", autocommit=True) as admin:
        admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


@pytest.fixture
def scratch_mariadb():
    """A throwaway MariaDB database with an InnoDB `customers` table of three rows."""
    name = _scratch_name("fb_integrations_scratch")
    admin = pymysql.connect(host=MARIADB_HOST, port=MARIADB_PORT, user=MARIADB_USER, password="", autocommit=True)
    with admin.cursor() as cursor:
        cursor.execute(f"CREATE DATABASE `{name}`")
        cursor.execute(
            f"CREATE TABLE `{name}`.customers (id INT AUTO_INCREMENT PRIMARY KEY, "
            "name VARCHAR(100) NOT NULL, city VARCHAR(100)) ENGINE=InnoDB"
        )
        cursor.execute(
            f"INSERT INTO `{name}`.customers (name, city) VALUES ('Ada', 'London'), ('Grace', 'NYC'), ('Linus', 'Oslo')"
        )
    yield DatabaseTarget(kind="mysql", host=MARIADB_HOST, port=MARIADB_PORT, database=name, user=MARIADB_USER)
    with admin.cursor() as cursor:
        cursor.execute(f"DROP DATABASE IF EXISTS `{name}`")
    admin.close()


@pytest.fixture
def mariadb_user_with_password(scratch_mariadb):
    """A MariaDB user with a password and SELECT on the scratch database only."""
    user = "fb_" + uuid.uuid4().hex[:10]
    password = "s3cret-" + uuid.uuid4().hex
    admin = pymysql.connect(host=MARIADB_HOST, port=MARIADB_PORT, user=MARIADB_USER, password="", autocommit=True)
    with admin.cursor() as cursor:
        cursor.execute("CREATE USER %s@'%%' IDENTIFIED BY %s", [user, password])
        cursor.execute(f"GRANT SELECT ON `{scratch_mariadb.database}`.* TO %s@'%%'", [user])
    yield user, password
    with admin.cursor() as cursor:
        cursor.execute("DROP USER IF EXISTS %s@'%%'", [user])
    admin.close()


def closed_port() -> int:
    """A loopback port nothing listens on (bound, then released)."""
    import socket

    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def read_customers_postgres(target: DatabaseTarget) -> list[tuple]:
    with psycopg.connect(host=target.host, port=target.port, user=target.user, dbname=target.database) as conn:
        return conn.execute("SELECT id, name, city FROM customers ORDER BY id").fetchall()


def read_customers_mariadb(target: DatabaseTarget) -> list[tuple]:
    conn = pymysql.connect(host=target.host, port=target.port, user=target.user, password="", database=target.database)
    try:
        with conn.cursor() as cursor:
            cursor.execute("SELECT id, name, city FROM customers ORDER BY id")
            return list(cursor.fetchall())
    finally:
        conn.close()
