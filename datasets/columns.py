"""Column and table names as SQL reads them: lower-case ASCII words, unique, never a reserved word.

The original header stays as the column's `label`. `Order Date` becomes `order_date`,
`Größe` becomes `grosse`, `2024` becomes `c_2024`, an empty header `column_3`, `select`
becomes `select_` (a reserved word would need quoting in every query), and a repeat of a
name gets `_2`, `_3`, … Names are cut at 63 characters (PostgreSQL's identifier limit, so
the same names would work in any database).
"""

from __future__ import annotations

import functools
import re
import unicodedata
from collections.abc import Sequence

MAX_NAME = 63
# The types a column can have (datasets.inference converts to them); here, without pyarrow, for
# the serializers (D19 addendum (3)).
TYPES = ("integer", "decimal", "boolean", "date", "timestamp", "text")
# Letters NFKD does not take apart into an ASCII letter and a mark.
_SPELLED = str.maketrans({"ß": "ss", "æ": "ae", "Æ": "AE", "ø": "o", "Ø": "O", "œ": "oe", "Œ": "OE", "đ": "d",
                          "Đ": "D", "ł": "l", "Ł": "L", "þ": "th", "Þ": "TH", "ı": "i"})  # fmt: skip


@functools.cache
def reserved_words() -> frozenset[str]:
    """The keywords DuckDB does not take as a bare column name (reserved ones, and type/function
    names such as `left` or `glob`); the list comes from DuckDB itself."""
    import duckdb

    with duckdb.connect(":memory:") as connection:
        rows = connection.execute(
            "SELECT keyword_name FROM duckdb_keywords() WHERE keyword_category IN ('reserved', 'type_function')"
        ).fetchall()
    return frozenset(row[0].lower() for row in rows)


def sql_name(text: str, *, fallback: str) -> str:
    """One name: ASCII letters, digits and `_`, starting with a letter, not reserved."""
    spelled = str(text).translate(_SPELLED)
    ascii_text = unicodedata.normalize("NFKD", spelled).encode("ascii", "ignore").decode()
    name = re.sub(r"[^a-z0-9]+", "_", ascii_text.lower()).strip("_")
    if not name:
        return fallback
    if not name[0].isalpha():
        name = f"c_{name}"
    name = name[:MAX_NAME].rstrip("_")
    if name in reserved_words():
        name = f"{name}_"
    return name


def column_names(labels: Sequence[str | None]) -> list[str]:
    """A unique SQL name for each header, in order."""
    taken: set[str] = set()
    names = []
    for index, label in enumerate(labels, start=1):
        base = sql_name(label or "", fallback=f"column_{index}")
        candidate, number = base, 1
        while candidate in taken:
            number += 1
            suffix = f"_{number}"
            candidate = f"{base[: MAX_NAME - len(suffix)]}{suffix}"
        taken.add(candidate)
        names.append(candidate)
    return names


def table_name(dataset_name: str) -> str:
    return sql_name(dataset_name, fallback="dataset")
