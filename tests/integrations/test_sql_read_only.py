"""db.query's guard against the real PostgreSQL and MariaDB on this machine."""

from __future__ import annotations

from dataclasses import replace

import pytest

from integrations.sql import QueryRefused, check_read_statement, run_read_query
from integrations.sql_errors import QueryFailed
from integrations.sql_schema import describe_schema
from tests.integrations.conftest import read_customers_mariadb, read_customers_postgres

ORIGINAL_ROWS = [(1, "Ada", "London"), (2, "Grace", "NYC"), (3, "Linus", "Oslo")]

WRITES = [
    "INSERT INTO customers (name) VALUES ('Mallory')",
    "UPDATE customers SET name = 'Mallory'",
    "DELETE FROM customers",
    "DROP TABLE customers",
    "TRUNCATE customers",
    "SELECT 1; DROP TABLE customers",
    "SELECT 1; DELETE FROM customers",
    "CREATE TABLE evil (id int)",
]


@pytest.fixture(params=["postgresql", "mariadb"])
def database(request):
    """Each test runs once per engine: (target, a function reading the rows back)."""
    if request.param == "postgresql":
        return request.getfixturevalue("scratch_postgres"), read_customers_postgres
    return request.getfixturevalue("scratch_mariadb"), read_customers_mariadb


def test_a_select_with_bind_parameters_returns_rows(database):
    target, _ = database
    result = run_read_query(target, "SELECT name, city FROM customers WHERE city = %(city)s", {"city": "Oslo"})
    assert result.columns == ["name", "city"]
    assert result.rows == [["Linus", "Oslo"]]
    assert result.truncated is False


def test_a_bind_parameter_is_never_spliced_into_the_sql(database):
    target, read_back = database
    hostile = "x'; DELETE FROM customers; --"
    result = run_read_query(target, "SELECT name FROM customers WHERE name = %s", [hostile])
    assert result.rows == []
    assert read_back(target) == ORIGINAL_ROWS


def test_the_row_limit_cuts_the_result_and_says_so(database):
    target, _ = database
    result = run_read_query(replace(target, row_limit=2), "SELECT id FROM customers ORDER BY id")
    assert result.rows == [[1], [2]]
    assert result.truncated is True


@pytest.mark.parametrize("statement", WRITES)
def test_writes_are_refused_and_the_data_is_unchanged(database, statement):
    target, read_back = database
    with pytest.raises((QueryRefused, QueryFailed)):
        run_read_query(target, statement)
    assert read_back(target) == ORIGINAL_ROWS


def test_a_writable_cte_is_refused_on_postgresql(scratch_postgres):
    sql = "WITH gone AS (DELETE FROM customers RETURNING id) SELECT count(*) FROM gone"
    with pytest.raises((QueryRefused, QueryFailed)) as caught:
        run_read_query(scratch_postgres, sql)
    assert caught.value.code == "QUERY_NOT_READ_ONLY"
    assert read_customers_postgres(scratch_postgres) == ORIGINAL_ROWS


def test_a_select_calling_a_writing_function_is_stopped_on_postgresql(scratch_postgres):
    import psycopg

    params = {"host": scratch_postgres.host, "user": scratch_postgres.user, "dbname": scratch_postgres.database}
    with psycopg.connect(**params, autocommit=True) as conn:
        conn.execute("CREATE FUNCTION wipe() RETURNS int LANGUAGE sql AS 'DELETE FROM customers RETURNING 1'")
    with pytest.raises(QueryFailed) as caught:
        run_read_query(scratch_postgres, "SELECT wipe()")
    assert caught.value.code == "QUERY_NOT_READ_ONLY"
    assert read_customers_postgres(scratch_postgres) == ORIGINAL_ROWS


def test_a_sleep_past_the_timeout_is_stopped_on_postgresql(scratch_postgres):
    with pytest.raises(QueryFailed) as caught:
        run_read_query(replace(scratch_postgres, statement_timeout_ms=200), "SELECT pg_sleep(30)")
    assert caught.value.code == "TIMEOUT"
    assert "200 ms" in caught.value.message


def test_a_sleep_past_the_timeout_is_stopped_on_mariadb(scratch_mariadb):
    with pytest.raises(QueryFailed) as caught:
        run_read_query(replace(scratch_mariadb, statement_timeout_ms=300), "SELECT SLEEP(30) FROM customers")
    assert caught.value.code == "TIMEOUT"


def test_select_into_outfile_is_refused_before_reaching_mariadb(scratch_mariadb):
    with pytest.raises(QueryRefused):
        run_read_query(scratch_mariadb, "SELECT * FROM customers INTO OUTFILE '/tmp/fb_leak.txt'")


@pytest.mark.parametrize(
    "sql",
    ["", "   ;  ", "-- only a comment", "SELECT 1; SELECT 2", "select 1;\n/* hi */ delete from t", "SET x = 1"],
)
def test_the_statement_check_refuses_empty_multiple_and_non_read_text(sql):
    with pytest.raises(QueryRefused):
        check_read_statement(sql)


@pytest.mark.parametrize(
    "sql",
    ["SELECT 1", "select 1;", "  WITH t AS (SELECT 1) SELECT * FROM t", "SELECT ';' AS semi", "EXPLAIN SELECT 1"],
)
def test_the_statement_check_accepts_a_single_read(sql):
    assert check_read_statement(sql).upper().lstrip().startswith(("SELECT", "WITH", "EXPLAIN"))


def test_the_schema_lists_tables_columns_and_types(database):
    target, _ = database
    tables = describe_schema(target)
    customers = next(table for table in tables if table["name"] == "customers")
    columns = {column["name"]: column for column in customers["columns"]}
    assert list(columns) == ["id", "name", "city"]
    assert "int" in columns["id"]["type"]
    assert columns["name"]["nullable"] is False
    assert columns["city"]["nullable"] is True
