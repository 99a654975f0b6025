"""What a connection's user can see: tables, columns, types and keys (primary and foreign).

Read through the read-only path like any query. PostgreSQL's keys come from `pg_constraint`
(information_schema lists constraints only to a table's owner or writers, and a
read-only role is neither); MySQL/MariaDB's from `information_schema.key_column_usage`,
which it shows to anyone who may read the table.
"""

from __future__ import annotations

from dataclasses import replace
from typing import Any

from integrations.sql import DatabaseTarget, engine_for, run_read_query

_POSTGRESQL_COLUMNS = (
    "SELECT table_schema, table_name, column_name, data_type, is_nullable "
    "FROM information_schema.columns "
    "WHERE table_schema NOT IN ('pg_catalog', 'information_schema') "
    "ORDER BY table_schema, table_name, ordinal_position"
)
_MYSQL_COLUMNS = (
    "SELECT table_schema, table_name, column_name, column_type, is_nullable "
    "FROM information_schema.columns WHERE table_schema = DATABASE() "
    "ORDER BY table_schema, table_name, ordinal_position"
)
# (schema, table, column, 'p' or 'f', referenced table, referenced column)
_POSTGRESQL_KEYS = (
    "SELECT n.nspname, c.relname, a.attname, con.contype, fc.relname, fa.attname "
    "FROM pg_constraint con "
    "JOIN pg_class c ON c.oid = con.conrelid "
    "JOIN pg_namespace n ON n.oid = c.relnamespace "
    "CROSS JOIN LATERAL unnest(con.conkey) WITH ORDINALITY AS k(attnum, ord) "
    "JOIN pg_attribute a ON a.attrelid = c.oid AND a.attnum = k.attnum "
    "LEFT JOIN pg_class fc ON fc.oid = con.confrelid "
    "LEFT JOIN pg_attribute fa ON fa.attrelid = con.confrelid AND fa.attnum = con.confkey[k.ord] "
    "WHERE con.contype IN ('p', 'f') AND n.nspname NOT IN ('pg_catalog', 'information_schema')"
)
_MYSQL_KEYS = (
    "SELECT table_schema, table_name, column_name, "
    "CASE WHEN constraint_name = 'PRIMARY' THEN 'p' ELSE 'f' END, referenced_table_name, referenced_column_name "
    "FROM information_schema.key_column_usage WHERE table_schema = DATABASE() "
    "AND (constraint_name = 'PRIMARY' OR referenced_table_name IS NOT NULL)"
)


def describe_schema(target: DatabaseTarget) -> list[dict[str, Any]]:
    """Tables with their columns: name, type, nullable, primary_key, references (`table.column`)."""
    if engine := engine_for(target.kind):
        return engine.describe(target)
    unlimited = replace(target, row_limit=100_000)
    postgres = target.kind == "postgresql"
    columns = run_read_query(unlimited, _POSTGRESQL_COLUMNS if postgres else _MYSQL_COLUMNS)
    keys = run_read_query(unlimited, _POSTGRESQL_KEYS if postgres else _MYSQL_KEYS)
    primary: set[tuple[str, str, str]] = set()
    references: dict[tuple[str, str, str], str] = {}
    for schema, table, column, kind, ref_table, ref_column in keys.rows:
        if kind == "p":
            primary.add((schema, table, column))
        elif ref_table:
            references[(schema, table, column)] = f"{ref_table}.{ref_column}"
    tables: dict[tuple[str, str], dict[str, Any]] = {}
    for schema, table, column, data_type, nullable in columns.rows:
        entry = tables.setdefault((schema, table), {"schema": schema, "name": table, "columns": []})
        where = (schema, table, column)
        entry["columns"].append(
            {
                "name": column,
                "type": data_type,
                "nullable": nullable == "YES",
                "primary_key": where in primary,
                "references": references.get(where),
            }
        )
    return list(tables.values())
