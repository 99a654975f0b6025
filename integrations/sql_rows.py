"""How a query's rows leave integrations.sql: objects keyed by column name, or positional.

`columns` carries each column's name and type (the driver's type, named as SQL names it).
Rows are objects by default — `{"id": 1, "name": "Ada"}`, keys in column order — so
expressions read `row.name` as n8n users expect. A stored step keeps JSON in PostgreSQL's
jsonb, which orders keys its own way: `columns` is where the order is kept. Two columns of
one name (`SELECT a.id, b.id`) would collide as keys: the second becomes `id_2`, in `columns`
too. `rows_as="arrays"` gives positional rows (`[1, "Ada"]`) in the same column order for
large results: the names are not repeated on every row (10,000 rows of 4 columns: 0.68 MB
of JSON as arrays, 1.09 MB as objects).
Values are the driver's; the engine turns them into JSON at its boundary (D3), the API
with the same `to_json_value`.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

ROWS_AS = ("objects", "arrays")

# pymysql's FIELD_TYPE codes, named as MySQL/MariaDB's SQL names them.
_MYSQL_TYPES = {
    0: "decimal", 246: "decimal", 1: "tinyint", 2: "smallint", 3: "int", 4: "float", 5: "double",
    6: "null", 7: "timestamp", 8: "bigint", 9: "mediumint", 10: "date", 11: "time", 12: "datetime",
    13: "year", 14: "date", 15: "varchar", 16: "bit", 245: "json", 247: "enum", 248: "set",
    249: "blob", 250: "blob", 251: "blob", 252: "blob", 253: "varchar", 254: "char", 255: "geometry",
}  # fmt: skip
_MYSQL_BINARY_CHARSET = 63


def postgresql_type(type_code: int) -> str:
    """`int4`, `numeric`, `timestamptz`, … (psycopg's name for the type's OID)."""
    from psycopg.postgres import types

    info = types.get(type_code)
    return info.name if info is not None else f"oid {type_code}"


def mysql_type(type_code: int, charset: int | None = None) -> str:
    """A pymysql field's type; text types in the binary charset hold bytes."""
    name = _MYSQL_TYPES.get(type_code, "unknown")
    if charset == _MYSQL_BINARY_CHARSET:
        name = {"varchar": "varbinary", "char": "binary", "blob": "blob"}.get(name, name)
    elif name == "blob":
        name = "text"
    return name


def unique_names(names: Sequence[str]) -> list[str]:
    """Column names as object keys: a repeated name gets `_2`, `_3`, … (never an existing name)."""
    taken: set[str] = set()
    unique = []
    for name in names:
        candidate, number = name, 1
        while candidate in taken:
            number += 1
            candidate = f"{name}_{number}"
        taken.add(candidate)
        unique.append(candidate)
    return unique


def shape(
    names: Sequence[str], types: Sequence[str], rows: list[list[Any]], *, truncated: bool, rows_as: str = "objects"
) -> dict[str, Any]:
    """`{columns: [{name, type}], rows, row_count, truncated}` with rows as objects or arrays."""
    if rows_as not in ROWS_AS:
        raise ValueError(f"rows_as is one of {', '.join(ROWS_AS)}")
    keys = unique_names(names)
    shaped = [dict(zip(keys, row, strict=True)) for row in rows] if rows_as == "objects" else rows
    return {
        "columns": [{"name": key, "type": kind} for key, kind in zip(keys, types, strict=True)],
        "rows": shaped,
        "row_count": len(rows),
        "truncated": truncated,
    }
