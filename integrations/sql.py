"""Read-only queries on PostgreSQL and MySQL/MariaDB, connection checks, schema introspection.

Several guards, because each alone has a gap:
1. the network guard: the host's every address is checked and we connect to the checked
   address (PostgreSQL `hostaddr`, a MySQL socket we open), never to the name again;
2. the role: superusers (SUPER/FILE on MySQL) are refused unless FLOWBUILDER_DB_ALLOW_SUPERUSER;
3. the statement check (integrations.sql_guard, on sqlparse tokens): one read statement, no
   executable comments, no INTO, no side-effect or file functions;
4. the session is read-only (PostgreSQL `default_transaction_read_only`, MySQL/MariaDB
   `SET SESSION TRANSACTION READ ONLY`, which also refuses DDL) and the query runs in a
   READ ONLY transaction that is always rolled back (writable CTEs, writing functions);
5. PostgreSQL's extended protocol refuses a second command; MySQL runs without
   multi-statements. A statement timeout bounds the work, and rows stream in batches cut at
   a row limit and a byte limit (memory stays bounded whatever the result's size); values travel
   as bind parameters only.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any, Protocol

import sqlparse

from integrations import sql_errors, sql_roles, sql_rows
from integrations.sql_errors import ConnectionCheck, QueryFailed
from integrations.sql_guard import QueryRefused, check_read_statement

CONNECT_TIMEOUT_SECONDS = 5
FETCH_BATCH_ROWS = 500
# Statements PostgreSQL cannot run behind a server-side cursor (DECLARE … CURSOR FOR):
# their answers are small, so they are read whole.
_NOT_DECLARABLE = frozenset({"SHOW", "EXPLAIN", "DESCRIBE", "DESC"})

__all__ = ["QueryRefused", "check_read_statement", "check_connection", "register_engine", "run_read_query"]

Params = Sequence[Any] | Mapping[str, Any] | None


@dataclass(frozen=True)
class DatabaseTarget:
    kind: str  # postgresql | mysql | datasets (then `database` is the project's id)
    host: str
    port: int | None
    database: str
    user: str
    password: str = field(default="", repr=False)
    ssl_mode: str = "prefer"
    statement_timeout_ms: int = 10_000
    row_limit: int = 1_000
    # Rows are read in batches and cut at `row_limit` rows or this many bytes, whichever
    # comes first: a huge result is truncated, never loaded (FLOWBUILDER_DB_MAX_RESULT_BYTES).
    max_result_bytes: int = 10 * 1024 * 1024


@dataclass(frozen=True)
class QueryResult:
    columns: list[str]
    rows: list[list[Any]]
    truncated: bool
    column_types: list[str] = field(default_factory=list)

    def as_dict(self, rows_as: str = "objects") -> dict[str, Any]:
        """Columns with names and types; rows as objects keyed by column name, or arrays (sql_rows)."""
        types = self.column_types or ["unknown"] * len(self.columns)
        return sql_rows.shape(self.columns, types, self.rows, truncated=self.truncated, rows_as=rows_as)


class QueryEngine(Protocol):
    """A connection kind served by another app (datasets registers `datasets` at startup).

    `run` gets the statement after the guard passed it; the engine adds its own read-only
    guarantees and the same row, byte and time bounds."""

    def run(self, target: DatabaseTarget, statement: str, params: Params) -> QueryResult: ...

    def describe(self, target: DatabaseTarget) -> list[dict[str, Any]]: ...

    def check(self, target: DatabaseTarget) -> ConnectionCheck: ...


_ENGINES: dict[str, QueryEngine] = {}


def register_engine(kind: str, engine: QueryEngine) -> None:
    _ENGINES[kind] = engine


def engine_for(kind: str) -> QueryEngine | None:
    return _ENGINES.get(kind)


def run_read_query(target: DatabaseTarget, sql: str, params: Params = None) -> QueryResult:
    statement = check_read_statement(sql)
    if engine := _ENGINES.get(target.kind):
        return engine.run(target, statement, params)
    if target.kind == "postgresql":
        return _run_postgresql(target, statement, params)
    if target.kind == "mysql":
        return _run_mysql(target, statement, params)
    raise QueryFailed("UNSUPPORTED", f"Queries run on PostgreSQL and MySQL connections, not {target.kind}.")


def check_connection(target: DatabaseTarget) -> ConnectionCheck:
    """Connect, run a trivial read, and look for at least one readable table."""
    if engine := _ENGINES.get(target.kind):
        return engine.check(target)
    try:
        if target.kind == "postgresql":
            readable, total = _postgresql_readable_tables(target)
        else:
            readable, total = _mysql_readable_tables(target)
        warnings = tuple(sql_roles.write_warnings(target, run_read_query))
    except QueryFailed as failure:
        suggested = sql_roles.read_only_role_sql(target) if failure.code == sql_errors.ROLE_TOO_POWERFUL else ""
        return ConnectionCheck(ok=False, code=failure.code, message=failure.message, suggested_sql=suggested)
    if total and not readable:
        return ConnectionCheck(
            ok=False,
            code=sql_errors.MISSING_SELECT,
            message=f"Connected, but user {target.user} may not SELECT from any of the {total} tables.",
        )
    message = f"Connected; {readable} readable tables."
    if warnings:
        message += " Warning: " + " ".join(warnings)
    suggested = sql_roles.read_only_role_sql(target) if warnings else ""
    return ConnectionCheck(ok=True, code="OK", message=message, warnings=warnings, suggested_sql=suggested)


# --- the network guard ----------------------------------------------------------------------


def _checked_address(target: DatabaseTarget, default_port: int) -> str:
    """The address to connect to, after the network guard passed every address of the host."""
    from flowbuilder.network import AddressBlocked, HostNotResolved, checked_address

    try:
        return checked_address(target.host, target.port or default_port)
    except AddressBlocked as refused:
        raise QueryFailed(sql_errors.ADDRESS_BLOCKED, f"Address blocked: {refused}") from None
    except HostNotResolved:
        raise QueryFailed(
            sql_errors.UNREACHABLE, f"Unreachable host: {target.host!r} does not resolve to an address."
        ) from None


# --- PostgreSQL ---------------------------------------------------------------------------


def _connect_postgresql(target: DatabaseTarget):
    import psycopg

    address = _checked_address(target, 5432)
    try:
        connection = psycopg.connect(
            # hostaddr is where we connect (the checked address); host stays the name for TLS.
            host=target.host,
            hostaddr=address,
            port=target.port or 5432,
            dbname=target.database,
            user=target.user,
            password=target.password or None,
            sslmode=target.ssl_mode,
            connect_timeout=CONNECT_TIMEOUT_SECONDS,
            application_name="flowbuilder",
            # Every transaction of this session is read-only, not only the one we open.
            options="-c default_transaction_read_only=on",
        )
    except psycopg.Error as error:
        raise sql_errors.classify_postgresql(error, target) from None
    if connection.info.parameter_status("is_superuser") == "on":
        _refuse_superuser(connection, target)
    return connection


def _run_postgresql(target: DatabaseTarget, statement: str, params: Params) -> QueryResult:
    import psycopg

    with _connect_postgresql(target) as connection:
        try:
            with connection.cursor() as setup:
                setup.execute("SET TRANSACTION READ ONLY")
                setup.execute("SELECT set_config('statement_timeout', %s, true)", [str(target.statement_timeout_ms)])
            # A server-side cursor streams the rows (psycopg sends it with the extended
            # protocol, so the server refuses a second command); SHOW/EXPLAIN are read whole.
            streamed = _first_keyword(statement) not in _NOT_DECLARABLE
            with connection.cursor(name="flowbuilder_read") if streamed else connection.cursor() as cursor:
                cursor.execute(statement, params or None, **({} if streamed else {"prepare": True}))
                if cursor.description is None:
                    raise QueryFailed("NO_ROWS", "The statement returned no rows to read.")
                columns = [column.name for column in cursor.description]
                types = [sql_rows.postgresql_type(column.type_code) for column in cursor.description]
                rows, truncated = _read_rows(cursor, target)
        except psycopg.Error as error:
            raise sql_errors.classify_postgresql(error, target) from None
        finally:
            connection.rollback()  # also drops the rest of a cut result on the server
    return QueryResult(columns=columns, rows=rows, truncated=truncated, column_types=types)


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

    address = _checked_address(target, 3306)
    ssl = {"ssl": {}} if target.ssl_mode in ("require", "verify-full") else {}
    if target.ssl_mode == "require":
        ssl = {"ssl": {"check_hostname": False}, "ssl_verify_cert": False}
    try:
        connection = pymysql.connect(
            host=target.host,  # kept for TLS; the socket goes to the checked address
            defer_connect=True,
            port=target.port or 3306,
            user=target.user,
            password=target.password,
            database=target.database or None,
            connect_timeout=CONNECT_TIMEOUT_SECONDS,
            # A client-side backstop in case the server ignores its own timeout.
            read_timeout=target.statement_timeout_ms / 1000 + 5,
            charset="utf8mb4",
            # Every transaction of this session is read-only, and DDL is refused with it.
            init_command="SET SESSION TRANSACTION READ ONLY",
            **ssl,
        )
        connection.connect(_mysql_socket(address, target.port or 3306))
    except pymysql.MySQLError as error:
        raise sql_errors.classify_mysql(error, target) from None
    if sql_roles.mysql_is_superuser(connection):
        _refuse_superuser(connection, target)
    return connection


def _mysql_socket(address: str, port: int):
    import socket

    import pymysql

    try:
        sock = socket.create_connection((address, port), CONNECT_TIMEOUT_SECONDS)
    except OSError as error:
        raise pymysql.err.OperationalError(2003, f"Can't connect to MySQL server ({error})") from None
    sock.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_KEEPALIVE, 1)
    return sock


def _refuse_superuser(connection, target: DatabaseTarget) -> None:
    from django.conf import settings

    if getattr(settings, "FLOWBUILDER_DB_ALLOW_SUPERUSER", False):
        return
    connection.close()
    raise QueryFailed(sql_errors.ROLE_TOO_POWERFUL, sql_roles.superuser_message(target))


def _run_mysql(target: DatabaseTarget, statement: str, params: Params) -> QueryResult:
    import pymysql

    connection = _connect_mysql(target)
    try:
        # Unbuffered: rows stream from the server as they are fetched. Not closed with
        # `with`: closing an unbuffered cursor reads the rest of the result, closing the
        # connection (below) drops it.
        cursor = connection.cursor(pymysql.cursors.SSCursor)
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
        columns = [column[0] for column in cursor.description]
        types = [sql_rows.mysql_type(column.type_code, column.charsetnr) for column in cursor._result.fields]
        rows, truncated = _read_rows(cursor, target)
        if truncated and cursor._result is not None:
            # The rest is dropped with the connection; without this, pymysql's result
            # would try to read it from the closed socket when garbage-collected.
            cursor._result.unbuffered_active = False
    except pymysql.MySQLError as error:
        raise sql_errors.classify_mysql(error, target) from None
    finally:
        connection.close()  # ends the READ ONLY transaction too; it has nothing to keep
    return QueryResult(columns=columns, rows=rows, truncated=truncated, column_types=types)


def _mysql_readable_tables(target: DatabaseTarget) -> tuple[int, int]:
    # MySQL lists in information_schema only the tables a user holds a privilege on, and
    # refuses the connection (error 1044) to a database the user may not use at all.
    result = run_read_query(target, "SELECT COUNT(*) FROM information_schema.tables WHERE table_schema = DATABASE()")
    total = int(result.rows[0][0])
    return total, total


def _first_keyword(statement: str) -> str:
    first = sqlparse.parse(statement)[0].token_first(skip_ws=True, skip_cm=True)
    return first.normalized.upper() if first is not None else ""


def _read_rows(cursor, target: DatabaseTarget) -> tuple[list[list[Any]], bool]:
    """Rows in batches up to `row_limit` rows and `max_result_bytes`; True when cut there."""
    rows: list[list[Any]] = []
    size = 0
    while True:
        batch = cursor.fetchmany(min(FETCH_BATCH_ROWS, target.row_limit + 1 - len(rows)))
        if not batch:
            return rows, False
        for row in batch:
            size += _row_size(row)
            if len(rows) >= target.row_limit or size > target.max_result_bytes:
                return rows, True
            rows.append(list(row))


def _row_size(row: Sequence[Any]) -> int:
    """Roughly what a row costs in memory: its text and bytes, a few words for the rest."""
    return sum(len(value) if isinstance(value, (str, bytes, bytearray, memoryview)) else 16 for value in row) + 16
