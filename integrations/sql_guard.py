"""The statement check of the read-only guard, on sqlparse's tokens (never on regular expressions).

It refuses what the read-only transaction cannot stop, because the server executes it
outside that transaction or the driver hides it from the parser:

- MySQL/MariaDB executable comments (`/*! … */`, `/*!50000 … */`, `/*M! … */`) and optimizer
  hints (`/*+ … */`): the parser sees a comment, the server runs the text (DDL commits at
  once). They are refused, never stripped.
- `INTO` (`INTO OUTFILE/DUMPFILE` writes server files; `SELECT … INTO t` makes a table).
- Functions with side effects or file access (`DENIED_FUNCTIONS`, `DENIED_PREFIXES`):
  dblink opens a second connection that is not read-only; others signal backends, read
  server files, take locks, notify, bump sequences or run SQL held in a string.

Dialects disagree on what is a comment or a string (`#` is a comment in MySQL and an
operator in PostgreSQL; `'\\'` ends a string in PostgreSQL but not in MySQL), so the text of
every comment and string token is also tokenized and searched for denied functions: what
one dialect reads as a harmless literal cannot hide a call the other one runs.
"""

from __future__ import annotations

import sqlparse
from sqlparse import tokens as T

DENIED_FUNCTIONS = frozenset(
    {
        # PostgreSQL: backend signalling, server files, large objects, config, notify, sequences
        "pg_terminate_backend", "pg_cancel_backend", "pg_reload_conf", "pg_rotate_logfile",
        "pg_read_file", "pg_read_binary_file", "pg_stat_file", "pg_promote", "pg_switch_wal", "pg_create_restore_point",
        "pg_backup_start", "pg_backup_stop", "pg_start_backup", "pg_stop_backup",
        "pg_logical_emit_message", "pg_log_backend_memory_contexts", "pg_import_system_collations",
        "lo_import", "lo_export", "lo_create", "lo_creat", "lo_unlink", "lo_open", "lo_close",
        "lo_put", "lo_get", "lo_from_bytea", "lo_truncate", "lo_truncate64", "lo_lseek",
        "lo_lseek64", "lo_tell", "lo_tell64", "loread", "lowrite",
        "set_config", "pg_notify", "nextval", "setval",
        # PostgreSQL: run SQL held in a string
        "query_to_xml", "query_to_xmlschema", "query_to_xml_and_xmlschema", "cursor_to_xml",
        "cursor_to_xmlschema",
        # MySQL / MariaDB: server files, named locks, UDF shells, sequences
        "load_file", "get_lock", "release_lock", "release_all_locks", "sys_exec", "sys_eval",
        "lastval",
    }
)  # fmt: skip
DENIED_PREFIXES = (
    "dblink",  # dblink, dblink_exec, dblink_connect(_u), dblink_send_query, …
    "pg_ls_",  # pg_ls_dir, pg_ls_logdir, pg_ls_waldir, …
    "pg_file_",  # adminpack: pg_file_write, pg_file_unlink, pg_file_rename
    "pg_advisory_",
    "pg_try_advisory_",
    "pg_stat_reset",
    "pg_replication_origin_",
    "pg_create_",  # replication slots
    "pg_drop_replication",
)
# Statements that start like a read; anything else is refused before the deny-list.
READ_KEYWORDS = frozenset({"SELECT", "WITH", "VALUES", "TABLE", "SHOW", "EXPLAIN", "DESCRIBE", "DESC"})
WRITE_KEYWORDS = frozenset(
    {"INSERT", "UPDATE", "DELETE", "MERGE", "UPSERT", "CREATE", "DROP", "ALTER", "TRUNCATE", "RENAME",
     "GRANT", "REVOKE", "CALL", "DO", "COPY", "LOAD", "HANDLER", "LOCK", "UNLOCK"}
)  # fmt: skip
EXECUTABLE_COMMENT_MARKERS = ("/*!", "/*m!", "/*+")
_HIDDEN_DEPTH = 3


class QueryRefused(Exception):
    """The text is not a single read statement; nothing was sent to the database."""

    code = "QUERY_NOT_READ_ONLY"


def check_read_statement(sql: str) -> str:
    """The one statement in `sql`, if it is a read; QueryRefused otherwise."""
    statements = [text for text in sqlparse.split(sql or "") if _strip_comments(text)]
    if not statements:
        raise QueryRefused("The query is empty.")
    if len(statements) > 1:
        raise QueryRefused("Only one statement may run at a time; remove the ';'-separated extra statements.")
    statement = statements[0].strip().rstrip(";").strip()
    tokens = [token for token in sqlparse.parse(statement)[0].flatten() if not token.is_whitespace]
    _refuse_executable_comments(tokens)
    _refuse_unicode_escapes(tokens)
    words = [part for token in tokens if _is_word(token) for part in _word(token).split()]
    first = words[0] if words else ""
    if first not in READ_KEYWORDS:
        raise QueryRefused(f"Only reads are allowed (SELECT, WITH … SELECT, SHOW, EXPLAIN); got {first or 'no'}.")
    _refuse_words(words)
    _refuse_denied_functions(tokens, depth=0)
    return statement


def _refuse_executable_comments(tokens) -> None:
    for token in tokens:
        if token.ttype in T.Comment and token.value.lower().startswith(EXECUTABLE_COMMENT_MARKERS):
            raise QueryRefused(
                "MySQL/MariaDB executable comments (/*! … */, /*M! … */) and optimizer hints (/*+ … */) "
                "are run by the server, so they are refused."
            )


def _refuse_unicode_escapes(tokens) -> None:
    for before, amp, after in zip(tokens, tokens[1:], tokens[2:], strict=False):
        if before.value.upper() == "U" and amp.value == "&" and after.ttype in T.Literal.String:
            raise QueryRefused('Unicode-escaped names and strings (U&"…") are refused: they can hide a name.')


def _refuse_words(words: list[str]) -> None:
    if {"OUTFILE", "DUMPFILE"} & set(words):
        raise QueryRefused("SELECT … INTO OUTFILE/DUMPFILE writes files on the server and is refused.")
    if "INTO" in words:
        raise QueryRefused("SELECT … INTO writes (a table, a file or variables) and is refused.")
    writes = sorted(WRITE_KEYWORDS & set(words))
    if writes:
        raise QueryRefused(f"Only reads are allowed; the statement contains {writes[0]}.")
    for index in range(len(words) - 2):
        if words[index] in ("NEXT", "PREVIOUS") and words[index + 1 : index + 3] == ["VALUE", "FOR"]:
            raise QueryRefused("NEXT VALUE FOR advances a sequence (a write) and is refused.")


def _refuse_denied_functions(tokens, *, depth: int) -> None:
    where = "" if depth == 0 else " (inside a comment or a string that some databases read as code)"
    for token in tokens:
        if _is_word(token) or token.ttype in T.Literal.String.Symbol:
            name = _word(token).lower()
            if name in DENIED_FUNCTIONS or name.startswith(DENIED_PREFIXES):
                raise QueryRefused(
                    f"{name}() has side effects or reads server files, so read-only queries may not call it{where}."
                )
            if depth and name in ("outfile", "dumpfile"):
                raise QueryRefused(f"INTO {name.upper()} writes files on the server and is refused{where}.")
        if depth < _HIDDEN_DEPTH and (token.ttype in T.Comment or token.ttype in T.Literal.String):
            inner = _unwrap(token.value)
            if inner.strip():
                _refuse_denied_functions(sqlparse.parse(inner)[0].flatten(), depth=depth + 1)


def _unwrap(text: str) -> str:
    """A comment's or a string literal's text without its delimiters."""
    for start, end in (("/*", "*/"), ("--", ""), ("#", ""), ("$$", "$$"), ("'", "'"), ('"', '"'), ("`", "`")):
        if text.startswith(start) and text.endswith(end) and len(text) >= len(start) + len(end):
            return text[len(start) : len(text) - len(end)]
    return text


def _is_word(token) -> bool:
    # sqlparse does not know every dialect's keywords (OUTFILE is a plain Name to it).
    return token.is_keyword or token.ttype in T.Name


def _word(token) -> str:
    """The normalized word of a keyword, a name or a quoted identifier, without its quotes."""
    value = token.normalized if token.is_keyword else token.value
    return value.strip('`"[]').upper()


def _strip_comments(text: str) -> str:
    return sqlparse.format(text, strip_comments=True).strip().rstrip(";").strip()
