"""Dashboard fixtures: a scratch PostgreSQL database of orders and a connection to it."""

from __future__ import annotations

import psycopg
import pytest

from integrations.services import create_connection
from tests.integrations.conftest import TEST_KEY_A, scratch_postgres  # noqa: F401 (a fixture)

ORDERS = [("north", 120), ("north", 80), ("south", 50), ("east", 300), ("east", 25)]


@pytest.fixture(autouse=True)
def local_database_allowed(settings):
    """The scratch database lives on loopback, reached as a superuser (see tests/integrations)."""
    settings.FLOWBUILDER_ENCRYPTION_KEYS = TEST_KEY_A
    settings.FLOWBUILDER_NETWORK_ALLOW_LIST = ["127.0.0.1"]
    settings.FLOWBUILDER_DB_ALLOW_SUPERUSER = True


def run_sql(target, statement: str, params=None) -> None:
    with psycopg.connect(host=target.host, port=target.port, user=target.user, dbname=target.database) as conn:
        conn.execute(statement, params)


@pytest.fixture
def orders_db(scratch_postgres):  # noqa: F811
    """The scratch database with an `orders` table: region and total of five orders."""
    run_sql(scratch_postgres, "CREATE TABLE orders (id serial PRIMARY KEY, region text, total numeric(10, 2))")
    for region, total in ORDERS:
        run_sql(scratch_postgres, "INSERT INTO orders (region, total) VALUES (%s, %s)", (region, total))
    return scratch_postgres


@pytest.fixture
def orders_connection(acme, orders_db):
    values = {"name": "Shop", "host": orders_db.host, "port": orders_db.port, "database": orders_db.database}
    values |= {"username": orders_db.user, "ssl_mode": "disable"}
    return create_connection(acme.default_project, kind="postgresql", values=values, password="")
