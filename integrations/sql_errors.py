"""Database errors in plain words: which cause failed, never the password.

Driver messages are matched to a short list of causes people can act on; anything else
keeps the server's own first line (which never contains the connection's password).
"""

from __future__ import annotations

from dataclasses import dataclass

BAD_CREDENTIALS = "BAD_CREDENTIALS"
UNREACHABLE = "UNREACHABLE"
TIMEOUT = "TIMEOUT"
SSL_REQUIRED = "SSL_REQUIRED"
SSL_UNAVAILABLE = "SSL_UNAVAILABLE"
MISSING_SELECT = "MISSING_SELECT_PERMISSION"
UNKNOWN_DATABASE = "UNKNOWN_DATABASE"
READ_ONLY = "QUERY_NOT_READ_ONLY"
SQL_ERROR = "SQL_ERROR"
ADDRESS_BLOCKED = "ADDRESS_BLOCKED"
ROLE_TOO_POWERFUL = "ROLE_TOO_POWERFUL"


class QueryFailed(Exception):
    def __init__(self, code: str, message: str) -> None:
        super().__init__(message)
        self.code = code
        self.message = message


@dataclass(frozen=True)
class ConnectionCheck:
    ok: bool
    code: str
    message: str
    # What the database role could do that a reader should not (write, file access).
    warnings: tuple[str, ...] = ()
    # The SQL to create a read-only role, when the role in use is too powerful.
    suggested_sql: str = ""

    def as_dict(self) -> dict:
        found = {"ok": self.ok, "code": self.code, "message": self.message}
        if self.warnings:
            found["warnings"] = list(self.warnings)
        if self.suggested_sql:
            found["suggested_sql"] = self.suggested_sql
        return found


def _where(target) -> str:
    return f"{target.host}:{target.port or ('5432' if target.kind == 'postgresql' else '3306')}"


def _plain(code: str, target) -> QueryFailed | None:
    messages = {
        BAD_CREDENTIALS: f"Bad credentials: the server refused user {target.user!r} with this password.",
        UNREACHABLE: f"Unreachable host: nothing answered at {_where(target)} (wrong host or port, or a firewall).",
        TIMEOUT: f"Timeout: {_where(target)} did not answer in time.",
        SSL_REQUIRED: "SSL required: the server only accepts encrypted connections; set ssl mode to 'require'.",
        SSL_UNAVAILABLE: "SSL unavailable: the server does not offer SSL; set ssl mode to 'prefer' or 'disable'.",
        UNKNOWN_DATABASE: f"Unknown database: {target.database!r} does not exist on {_where(target)}.",
        MISSING_SELECT: f"Missing SELECT permission: user {target.user!r} may not read this.",
    }
    return QueryFailed(code, messages[code]) if code in messages else None


POSTGRESQL_PATTERNS = [
    ("password authentication failed", BAD_CREDENTIALS),
    ("no password supplied", BAD_CREDENTIALS),
    ('role "', BAD_CREDENTIALS),
    ("no encryption", SSL_REQUIRED),
    ("server does not support ssl", SSL_UNAVAILABLE),
    ("does not exist", UNKNOWN_DATABASE),
    ("timeout expired", TIMEOUT),
    ("connection refused", UNREACHABLE),
    ("could not translate host name", UNREACHABLE),
    ("name or service not known", UNREACHABLE),
    ("no route to host", UNREACHABLE),
    ("network is unreachable", UNREACHABLE),
]


def classify_postgresql(error, target) -> QueryFailed:
    from psycopg import errors

    if isinstance(error, errors.QueryCanceled):
        return QueryFailed(TIMEOUT, f"Timeout: the query ran past {target.statement_timeout_ms} ms and was stopped.")
    if isinstance(error, errors.ReadOnlySqlTransaction):
        return QueryFailed(READ_ONLY, "Refused: this connection only reads, and the statement tries to write.")
    if isinstance(error, errors.InsufficientPrivilege):
        return _plain(MISSING_SELECT, target)
    if isinstance(error, errors.SyntaxError) and "multiple commands" in str(error):
        return QueryFailed(READ_ONLY, "Only one statement may run at a time.")
    diag = getattr(error, "diag", None)
    if diag is not None and diag.sqlstate:
        return QueryFailed(SQL_ERROR, f"The database refused the query: {diag.message_primary}")
    text = str(error).lower()
    for pattern, code in POSTGRESQL_PATTERNS:
        if pattern in text:
            return _plain(code, target)
    return QueryFailed("CONNECTION_FAILED", f"Could not connect to {_where(target)}: {str(error).splitlines()[0]}")


MYSQL_CODES = {
    1045: BAD_CREDENTIALS,
    1044: MISSING_SELECT,
    1142: MISSING_SELECT,
    1143: MISSING_SELECT,
    1049: UNKNOWN_DATABASE,
    3159: SSL_REQUIRED,
    2026: SSL_UNAVAILABLE,
}
MYSQL_TIMEOUT_CODES = {1969, 3024, 2013}


def classify_mysql(error, target) -> QueryFailed:
    code = error.args[0] if error.args and isinstance(error.args[0], int) else 0
    text = str(error.args[1]) if len(error.args) > 1 else str(error)
    if code in MYSQL_TIMEOUT_CODES:
        return QueryFailed(TIMEOUT, f"Timeout: the query ran past {target.statement_timeout_ms} ms and was stopped.")
    if code == 1792:
        return QueryFailed(READ_ONLY, "Refused: this connection only reads, and the statement tries to write.")
    if code == 2003:
        return _plain(TIMEOUT if "timed out" in text.lower() else UNREACHABLE, target)
    if code in MYSQL_CODES:
        return _plain(MYSQL_CODES[code], target)
    if code and code < 2000:
        return QueryFailed(SQL_ERROR, f"The database refused the query: {text}")
    return QueryFailed("CONNECTION_FAILED", f"Could not connect to {_where(target)}: {text}")
