"""The read-only guard's hostile corpus, against real PostgreSQL and MariaDB scratch databases.

Every attempt must end in a clear error and leave the tables (and the server's files)
unchanged. Connections are superusers here on purpose (the worst case the issue found);
the role check is tested on its own below.
"""

from __future__ import annotations

import os
import uuid
from dataclasses import replace

import psycopg
import pymysql
import pytest

from integrations.sql import QueryRefused, check_connection, run_read_query
from integrations.sql_errors import QueryFailed
from tests.integrations.conftest import (
    MARIADB_HOST,
    MARIADB_PORT,
    read_customers_mariadb,
    read_customers_postgres,
)

ORIGINAL_ROWS = [(1, "Ada", "London"), (2, "Grace", "NYC"), (3, "Linus", "Oslo")]

MARIADB_WRITES = [
    "SELECT 1 /*! INTO OUTFILE '/tmp/fb_guard_{tag}' */",
    "SELECT * FROM customers /*!50000 INTO DUMPFILE '/tmp/fb_guard_{tag}' */",
    "/*! CREATE TABLE t_{tag} (id int) */ SELECT 1",
    "/*!CREATE OR REPLACE TABLE customers (gone int) */ SELECT 'gone'",
    "SELECT 1 /*M! , (SELECT 1 FROM customers) INTO OUTFILE '/tmp/fb_guard_{tag}' */",
    "SELECT 1 /*+ SET_VAR(max_statement_time=0) */",
    "SELECT 1 --1 INTO OUTFILE '/tmp/fb_guard_{tag}'",
    "SELECT 1 INTO OUTFILE '/tmp/fb_guard_{tag}'",
    "SELECT LOAD_FILE('/etc/passwd')",
    "SELECT GET_LOCK('fb_guard', 1)",
    "SELECT name FROM customers WHERE id = 1 FOR UPDATE",
    "SELECT NEXT VALUE FOR s_{tag}",
    "WITH x AS (SELECT 1) DELETE FROM customers",
    "SELECT 1; CREATE OR REPLACE TABLE customers (gone int)",
]

POSTGRES_WRITES = [
    "SELECT dblink_exec('dbname={db} user=postgres host=127.0.0.1', "
    "'INSERT INTO customers (name) VALUES (''Mallory'')')",
    "SELECT * FROM dblink('dbname={db} user=postgres host=127.0.0.1', "
    "'INSERT INTO customers (name) VALUES (''Mallory'') RETURNING id') AS t(id int)",
    "SELECT public.dblink_exec('dbname={db} user=postgres host=127.0.0.1', 'DELETE FROM customers')",
    "SELECT \"dblink_exec\"('dbname={db} user=postgres host=127.0.0.1', 'DELETE FROM customers')",
    "SELECT pg_terminate_backend(pg_backend_pid())",
    "SELECT pg_cancel_backend(pg_backend_pid())",
    "SELECT pg_read_file('/etc/hostname')",
    "SELECT pg_catalog.pg_read_binary_file('/etc/hostname')",
    "SELECT * FROM pg_ls_dir('.')",
    "SELECT pg_stat_file('postgresql.conf')",
    "SELECT lo_import('/etc/hostname')",
    "SELECT lo_export(1, '/tmp/fb_guard_x')",
    "SELECT pg_reload_conf()",
    "SELECT set_config('default_transaction_read_only', 'off', false)",
    "SELECT pg_advisory_lock(42)",
    "SELECT pg_notify('channel', 'payload')",
    "SELECT nextval('customers_id_seq')",
    "SELECT setval('customers_id_seq', 1000)",
    "SELECT query_to_xml('SELECT dblink_exec(''dbname={db}'', ''DELETE FROM customers'')', true, true, '')",
    "SELECT 2 # 3, pg_read_file('/etc/hostname')",
    "SELECT '\\', pg_read_file('/etc/hostname') --'",
    "SELECT U&\"pg\\005fread_file\"('/etc/hostname')",
    "SELECT * INTO stolen FROM customers",
    "SELECT 1 /*! , pg_read_file('/etc/hostname') */",
    "WITH gone AS (DELETE FROM customers RETURNING id) SELECT count(*) FROM gone",
]


@pytest.fixture
def dblink_postgres(scratch_postgres):
    with psycopg.connect(host=scratch_postgres.host, user="postgres", dbname=scratch_postgres.database) as conn:
        conn.execute("CREATE EXTENSION IF NOT EXISTS dblink")
        conn.commit()
    return scratch_postgres


def _refused(target, statement: str) -> Exception:
    with pytest.raises((QueryRefused, QueryFailed)) as caught:
        run_read_query(target, statement)
    assert caught.value.code in ("QUERY_NOT_READ_ONLY", "SQL_ERROR"), caught.value
    assert str(caught.value)
    return caught.value


def _mariadb_tables(target) -> set[str]:
    conn = pymysql.connect(host=MARIADB_HOST, port=MARIADB_PORT, user="root", password="", database=target.database)
    try:
        with conn.cursor() as cursor:
            cursor.execute("SHOW TABLES")
            return {row[0] for row in cursor.fetchall()}
    finally:
        conn.close()


@pytest.mark.parametrize("statement", MARIADB_WRITES)
def test_every_mariadb_write_attempt_is_refused_and_changes_nothing(scratch_mariadb, statement):
    tag = uuid.uuid4().hex[:8]
    error = _refused(scratch_mariadb, statement.format(tag=tag))
    assert isinstance(error, QueryRefused), f"reached the server: {error}"
    assert read_customers_mariadb(scratch_mariadb) == ORIGINAL_ROWS
    assert _mariadb_tables(scratch_mariadb) == {"customers"}
    assert not os.path.exists(f"/tmp/fb_guard_{tag}")


@pytest.mark.parametrize("statement", POSTGRES_WRITES)
def test_every_postgresql_write_attempt_is_refused_and_changes_nothing(dblink_postgres, statement):
    error = _refused(dblink_postgres, statement.format(db=dblink_postgres.database))
    assert isinstance(error, QueryRefused), f"reached the server: {error}"
    assert read_customers_postgres(dblink_postgres) == ORIGINAL_ROWS


def test_a_function_that_calls_dblink_is_stopped_by_the_role_not_the_parser(dblink_postgres, settings):
    """A pre-existing function hides its dblink call from any parser; a superuser is refused."""
    db = dblink_postgres.database
    with psycopg.connect(host=dblink_postgres.host, user="postgres", dbname=db, autocommit=True) as conn:
        conn.execute(
            "CREATE FUNCTION sneaky() RETURNS text LANGUAGE sql AS "
            f"$$ SELECT dblink_exec('dbname={db} user=postgres host=127.0.0.1', "
            "'INSERT INTO customers (name) VALUES (''Mallory'')') $$"
        )
    settings.FLOWBUILDER_DB_ALLOW_SUPERUSER = False
    with pytest.raises(QueryFailed) as caught:
        run_read_query(dblink_postgres, "SELECT sneaky()")
    assert caught.value.code == "ROLE_TOO_POWERFUL"
    assert read_customers_postgres(dblink_postgres) == ORIGINAL_ROWS


def test_the_mariadb_session_itself_refuses_ddl(scratch_mariadb):
    """Behind the parser: the session is read-only, so DDL fails even if a statement slipped by."""
    from integrations.sql import _connect_mysql

    connection = _connect_mysql(scratch_mariadb)
    try:
        with connection.cursor() as cursor, pytest.raises(pymysql.err.MySQLError) as caught:
            cursor.execute("CREATE OR REPLACE TABLE customers (gone int)")
    finally:
        connection.close()
    assert caught.value.args[0] == 1792
    assert read_customers_mariadb(scratch_mariadb) == ORIGINAL_ROWS


def test_the_postgresql_session_itself_is_read_only(scratch_postgres):
    from integrations.sql import _connect_postgresql

    with _connect_postgresql(scratch_postgres) as connection:
        assert connection.execute("SHOW default_transaction_read_only").fetchone() == ("on",)


@pytest.mark.parametrize("database", ["scratch_postgres", "scratch_mariadb"])
def test_a_superuser_connection_is_refused_by_default_with_the_read_only_role_sql(request, settings, database):
    target = request.getfixturevalue(database)
    settings.FLOWBUILDER_DB_ALLOW_SUPERUSER = False
    check = check_connection(target)
    assert not check.ok and check.code == "ROLE_TOO_POWERFUL"
    assert "FLOWBUILDER_DB_ALLOW_SUPERUSER" in check.message
    assert "flowbuilder_reader" in check.suggested_sql
    with pytest.raises(QueryFailed) as caught:
        run_read_query(target, "SELECT 1")
    assert caught.value.code == "ROLE_TOO_POWERFUL"


def test_a_select_only_mariadb_user_checks_ok_without_warnings(settings, scratch_mariadb, mariadb_user_with_password):
    settings.FLOWBUILDER_DB_ALLOW_SUPERUSER = False
    user, password = mariadb_user_with_password
    check = check_connection(replace(scratch_mariadb, user=user, password=password))
    assert check.ok, check.message
    assert check.warnings == ()


@pytest.fixture
def postgres_role(scratch_postgres):
    """A factory: a login role (trust auth) with the given grants on `customers`."""
    created = []

    def make(*grants: str) -> str:
        role = "fb_role_" + uuid.uuid4().hex[:8]
        params = {"host": scratch_postgres.host, "user": "postgres", "dbname": scratch_postgres.database}
        with psycopg.connect(**params, autocommit=True) as conn:
            conn.execute(f'CREATE ROLE "{role}" LOGIN')
            conn.execute(f'GRANT {", ".join(grants)} ON customers TO "{role}"')
        created.append(role)
        return role

    yield make
    params = {"host": scratch_postgres.host, "user": "postgres", "dbname": scratch_postgres.database}
    with psycopg.connect(**params, autocommit=True) as conn:
        for role in created:
            conn.execute(f'DROP OWNED BY "{role}"')
            conn.execute(f'DROP ROLE "{role}"')


def test_a_postgresql_role_that_can_write_is_accepted_with_a_warning(settings, scratch_postgres, postgres_role):
    settings.FLOWBUILDER_DB_ALLOW_SUPERUSER = False
    writer = postgres_role("SELECT", "INSERT", "DELETE")
    check = check_connection(replace(scratch_postgres, user=writer))
    assert check.ok, check.message
    assert any("may write to 1 tables" in warning for warning in check.warnings)
    assert "GRANT SELECT" in check.suggested_sql
    reader = postgres_role("SELECT")
    check = check_connection(replace(scratch_postgres, user=reader))
    assert check.ok and check.warnings == ()
