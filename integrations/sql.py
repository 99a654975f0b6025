"""Read-only queries on PostgreSQL and MySQL/MariaDB, connection checks, schema introspection.

Several guards, because each alone has a gap: the statement must be one read statement
(checked with sqlparse, and on PostgreSQL again by the server, since a prepared statement
cannot hold two commands); it runs in a READ ONLY transaction that is always rolled back
(which stops writable CTEs and writing functions); it has a statement timeout and a row
limit; values travel as bind parameters only. MySQL commits DDL implicitly even inside a
read-only transaction, which is why the first-keyword check refuses DROP and friends.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

import sqlparse

from integrations import sql_errors
from integrations.sql_errors import ConnectionCheck, QueryFailed

READ_KEYWORDS = {"SELECT", "WITH", "VALUES", "TABLE", "SHOW", "EXPLAIN", "DESCRIBE", "DESC"}
# MySQL's SELECT … INTO OUTFILE writes files on the server.
FORBIDDEN_KEYWORDS = {"OUTFILE", "DUMPFILE"}
CONNECT_TIMEOUT_SECONDS = 5

Params = Sequence[Any] | Mapping[str, Any] | None


class QueryRefused(Exception):
    """The text is not a single read statement; nothing was sent to the database."""

    code = "QUERY_NOT_READ_ONLY"


@dataclass(frozen=True)
class DatabaseTarget:
    kind: str  # postgresql | mysql
    host: str
    port: int | None
    database: str
    user: str
    password: str = field(default="", repr=False)
    ssl_mode: str = "prefer"
    statement_timeout_ms: int = 10_000
    row_limit: int = 1_000


@dataclass(frozen=True)
class QueryResult:
    columns: list[str]
    rows: list[list[Any]]
    truncated: bool

    def as_dict(self) -> dict[str, Any]:
        return {
            "columns": self.columns,
            "rows": self.rows,
            "row_count": len(self.rows),
            "truncated": self.truncated,
        }


def check_read_statement(sql: str) -> str:
    """The one statement in `sql`, if it is a read; QueryRefused otherwise."""
    statements = [text for text in sqlparse.split(sql or "") if _strip_comments(text)]
    if not statements:
        raise QueryRefused("The query is empty.")
    if len(statements) > 1:
        raise QueryRefused("Only one statement may run at a time; remove the ';'-separated extra statements.")
    statement = statements[0].strip().rstrip(";").strip()
    parsed = sqlparse.parse(statement)[0]
    words = [token.normalized.upper() for token in parsed.flatten() if _is_word(token)]
    first = words[0].split()[0] if words else ""
    if first not in READ_KEYWORDS:
        raise QueryRefused(f"Only reads are allowed (SELECT, WITH … SELECT, SHOW, EXPLAIN); got {first or 'no'}.")
    if FORBIDDEN_KEYWORDS & {part for word in words for part in word.split()}:
        raise QueryRefused("SELECT … INTO OUTFILE/DUMPFILE writes files and is not allowed.")
    return statement


def _is_word(token) -> bool:
    # sqlparse does not know every dialect's keywords (OUTFILE is a plain Name to it).
    return token.is_keyword or token.ttype in sqlparse.tokens.Name


def _strip_comments(text: str) -> str:
    return sqlparse.format(text, strip_comments=True).strip().rstrip(";").strip()


def run_read_query(target: DatabaseTarget, sql: str, params: Params = None) -> QueryResult:
    statement = check_read_statement(sql)
    if target.kind == "postgresql":
        return _run_postgresql(target, statement, params)
    if target.kind == "mysql":
        return _run_mysql(target, statement, params)
    raise QueryFailed("UNSUPPORTED", f"Queries run on PostgreSQL and MySQL connections, not {target.kind}.")


def check_connection(target: DatabaseTarget) -> ConnectionCheck:
    """Connect, run a trivial read, and look for at least one readable table."""
    try:
        if target.kind == "postgresql":
            readable, total = _postgresql_readable_tables(target)
        else:
            readable, total = _mysql_readable_tables(target)
    except QueryFailed as failure:
        return ConnectionCheck(ok=False, code=failure.code, message=failure.message)
    if total and not readable:
        return ConnectionCheck(
            ok=False,
            code=sql_errors.MISSING_SELECT,
            message=f"Connected, but user {target.user} may not SELECT from any of the {total} tables.",
        )
    return ConnectionCheck(ok=True, code="OK", message=f"Connected; {readable} readable tables.")


def describe_schema(target: DatabaseTarget) -> list[dict[str, Any]]:
    """Tables with their columns and types, in the schemas a user may read."""
    if target.kind == "postgresql":
        sql = (
            "SELECT table_schema, table_name, column_name, data_type, is_nullable "
            "FROM information_schema.columns "
            "WHERE table_schema NOT IN ('pg_catalog', 'information_schema') "
            "ORDER BY table_schema, table_name, ordinal_position"
        )
    else:
        sql = (
            "SELECT table_schema, table_name, column_name, column_type, is_nullable "
            "FROM information_schema.columns WHERE table_schema = DATABASE() "
            "ORDER BY table_schema, table_name, ordinal_position"
        )
    result = run_read_query(_unlimited(target), sql)
    tables: dict[tuple[str, str], dict[str, Any]] = {}
    for schema, table, column, data_type, nullable in result.rows:
        entry = tables.setdefault((schema, table), {"schema": schema, "name": table, "columns": []})
        entry["columns"].append({"name": column, "type": data_type, "nullable": nullable == "YES"})
    return list(tables.values())


def _unlimited(target: DatabaseTarget) -> DatabaseTarget:
    from dataclasses import replace

    return replace(target, row_limit=100_000)


# --- PostgreSQL ---------------------------------------------------------------------------


def _connect_postgresql(target: DatabaseTarget):
    import psycopg

    try:
        return psycopg.connect(
            host=target.host,
            port=target.port or 5432,
            dbname=target.database,
            user=target.user,
            password=target.password or None,
            sslmode=target.ssl_mode,
            connect_timeout=CONNECT_TIMEOUT_SECONDS,
            application_name="flowbuilder",
        )
    except psycopg.Error as error:
        raise sql_errors.classify_postgresql(error, target) from None


def _run_postgresql(target: DatabaseTarget, statement: str, params: Params) -> QueryResult:
    import psycopg

    with _connect_postgresql(target) as connection:
        try:
            with connection.cursor() as cursor:
                cursor.execute("SET TRANSACTION READ ONLY")
                cursor.execute("SELECT set_config('statement_timeout', %s, true)", [str(target.statement_timeout_ms)])
                # prepare=True: the extended protocol, so the server refuses a second command.
                cursor.execute(statement, params or None, prepare=True)
                if cursor.description is None:
                    raise QueryFailed("NO_ROWS", "The statement returned no rows to read.")
                rows = cursor.fetchmany(target.row_limit + 1)
                columns = [column.name for column in cursor.description]
        except psycopg.Error as error:
            raise sql_errors.classify_postgresql(error, target) from None
        finally:
            connection.rollback()
    return _result(columns, rows, target.row_limit)


def _postgresql_readable_tables(target: DatabaseTarget) -> tuple[int, int]:
    result = run_read_query(
        target,
        "SELECT count(*) FILTER (WHERE has_table_privilege(c.oid, 'SELECT')), count(*) "
        "FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace "
        "WHERE c.relkind IN ('r', 'v', 'm', 'p') "
        "AND n.nspname NOT IN ('pg_catalog', 'information_schema') AND n.nspname NOT LIKE 'pg_toast%'",
    )
    readable, total = result.rows[0]
    return int(readable), int(total)


# --- MySQL / MariaDB ----------------------------------------------------------------------


def _connect_mysql(target: DatabaseTarget):
    import pymysql

    ssl = {"ssl": {}} if target.ssl_mode in ("require", "verify-full") else {}
    if target.ssl_mode == "require":
        ssl = {"ssl": {"check_hostname": False}, "ssl_verify_cert": False}
    try:
        return pymysql.connect(
            host=target.host,
            port=target.port or 3306,
            user=target.user,
            password=target.password,
            database=target.database or None,
            connect_timeout=CONNECT_TIMEOUT_SECONDS,
            # A client-side backstop in case the server ignores its own timeout.
            read_timeout=target.statement_timeout_ms / 1000 + 5,
            charset="utf8mb4",
            **ssl,
        )
    except pymysql.MySQLError as error:
        raise sql_errors.classify_mysql(error, target) from None


def _run_mysql(target: DatabaseTarget, statement: str, params: Params) -> QueryResult:
    import pymysql

    connection = _connect_mysql(target)
    try:
        with connection.cursor() as cursor:
            seconds = max(target.statement_timeout_ms, 1) / 1000
            if "mariadb" in connection.get_server_info().lower():
                cursor.execute("SET SESSION max_statement_time = %s", [seconds])
            else:
                cursor.execute("SET SESSION max_execution_time = %s", [target.statement_timeout_ms])
            cursor.execute("START TRANSACTION READ ONLY")
            # pymysql only interpolates when params are given; without them '%' stays literal.
            cursor.execute(statement, params if params else None)
            if cursor.description is None:
                raise QueryFailed("NO_ROWS", "The statement returned no rows to read.")
            rows = cursor.fetchmany(target.row_limit + 1)
            columns = [column[0] for column in cursor.description]
        connection.rollback()
    except pymysql.MySQLError as error:
        raise sql_errors.classify_mysql(error, target) from None
    finally:
        connection.close()
    return _result(columns, rows, target.row_limit)


def _mysql_readable_tables(target: DatabaseTarget) -> tuple[int, int]:
    # MySQL lists in information_schema only the tables a user holds a privilege on, and
    # refuses the connection (error 1044) to a database the user may not use at all.
    result = run_read_query(target, "SELECT COUNT(*) FROM information_schema.tables WHERE table_schema = DATABASE()")
    total = int(result.rows[0][0])
    return total, total


def _result(columns: list[str], rows: Sequence[Sequence[Any]], limit: int) -> QueryResult:
    truncated = len(rows) > limit
    return QueryResult(columns=columns, rows=[list(row) for row in rows[:limit]], truncated=truncated)
