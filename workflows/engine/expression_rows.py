"""Filters that turn rows into text, since expressions have no `{% for %}` (D22).

- `rows | table` — a plain-text table with a header of column names, one line per row:
  `id | customer | total`. Rows are objects (db.query's default) or arrays; for arrays give
  the names (`table(input.columns)`, or a list of names). `table(['id', 'total'])` picks
  and orders columns of objects.
- `rows | lines('Order {id} for {customer}: {total}')` — one line per row, `{name}` replaced by
  that column's value (`{0}`, `{1}` for arrays). Names only: no attribute access or format
  specs, so nothing but the row's own values is reachable (an unknown name reads as empty).
Values read as everywhere in text (strings bare, the rest JSON). Each row checks the
expression's deadline, and the result its size (expression_limits).
"""

from __future__ import annotations

import functools
import re
from collections.abc import Mapping, Sequence
from typing import Any

from .expression_limits import MAX_OUTPUT_SIZE, Refused, Unusable, check_deadline, check_size
from .expression_values import to_text

MAX_CELL_CHARS = 200
_PLACEHOLDER = re.compile(r"{([^{}]*)}")


def _column_names(rows: Sequence[Any], columns: Any) -> list[str]:
    if columns is not None:
        if not isinstance(columns, (list, tuple)):
            raise Unusable("table's columns are a list of names (or a query's `columns`)")
        return [str(item["name"]) if isinstance(item, Mapping) else str(item) for item in columns]
    names: dict[str, None] = {}
    for row in rows:
        if not isinstance(row, Mapping):
            raise Unusable("rows that are lists need their column names: table(input.columns)")
        names.update(dict.fromkeys(str(key) for key in row))
    return list(names)


def _cell(row: Any, index: int, name: str) -> str:
    if isinstance(row, Mapping):
        value = row.get(name)
    elif isinstance(row, (list, tuple)):
        value = row[index] if index < len(row) else None
    else:
        raise Unusable("table and lines take a list of rows (objects or lists)")
    text = "" if value is None else to_text(value).replace("\n", " ")
    return text if len(text) <= MAX_CELL_CHARS else text[: MAX_CELL_CHARS - 1] + "…"


def _rows(value: Any) -> Sequence[Any]:
    if value is None:
        return []
    if not isinstance(value, (list, tuple)):
        raise Unusable("table and lines take a list of rows, like a query's `rows`")
    return value


def table(rows: Any, columns: Any = None) -> str:
    rows = _rows(rows)
    names = _column_names(rows, columns)
    grid = [names]
    for row in rows:
        check_deadline()
        grid.append([_cell(row, index, name) for index, name in enumerate(names)])
    widths = [max(len(line[i]) for line in grid) for i in range(len(names))]
    text = [" | ".join(cell.ljust(width) for cell, width in zip(line, widths, strict=True)).rstrip() for line in grid]
    text.insert(1, "-+-".join("-" * width for width in widths))
    return check_size("\n".join(text) if names else "")


def lines(rows: Any, template: Any, separator: Any = "\n") -> str:
    rows = _rows(rows)
    if not isinstance(template, str):
        raise Unusable("lines takes a text like 'Order {id}: {total}'")
    out: list[str] = []
    size = 0
    for row in rows:
        check_deadline()
        line = _PLACEHOLDER.sub(functools.partial(_fill, row), template)
        size += len(line) + len(str(separator))
        if size > MAX_OUTPUT_SIZE:
            raise Refused("result too large")
        out.append(line)
    return check_size(str(separator).join(out))


def _fill(row: Any, match: re.Match[str]) -> str:
    name = match.group(1).strip()
    if isinstance(row, (list, tuple)):
        if not name.isdigit():
            raise Unusable(f"rows that are lists are read by position: {{0}}, {{1}}, not {{{name}}}")
        return _cell(row, int(name), name)
    return _cell(row, 0, name)
