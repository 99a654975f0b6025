"""Column types, inferred over every value of a column, and the typed Arrow columns stored.

The types are integer, decimal, boolean, date, timestamp and text. A column takes the first
of integer → decimal → boolean → date → timestamp that every non-empty value fits, else text:

- integer: `-12`, `+7` (64-bit); decimal: `3.14`, `-0.5`, `1e3` (kept exact as DECIMAL(38, s)
  with s the most decimals seen, up to 18; a double beyond that or with an exponent);
- boolean: true/false/yes/no in any case; date: `2024-01-31`;
- timestamp: `2024-01-31 09:30`, `2024-01-31T09:30:00.5`, with `Z` or `+02:00` (then kept in UTC;
  a column mixing zoned and plain values is text).
Other spellings (`31/01/2024`, `1,234.5`) are text. In a typed column an empty cell and an empty
string are both NULL; in a text column an empty cell is NULL and `""` is the empty string.
A type the user chose that a value does not fit is a `FileRefused` naming the row and column.
"""

from __future__ import annotations

import pyarrow as pa
import pyarrow.compute as pc

from datasets.columns import TYPES
from datasets.parsing import FileRefused

INFERRED_ORDER = ("integer", "decimal", "boolean", "date", "timestamp")
PATTERNS = {
    "integer": r"^[+-]?[0-9]+$",
    "decimal": r"^[+-]?([0-9]+\.?[0-9]*|\.[0-9]+)([eE][+-]?[0-9]+)?$",
    "boolean": r"(?i)^(true|false|yes|no)$",
    "date": r"^[0-9]{4}-[0-9]{2}-[0-9]{2}$",
    "timestamp": r"^[0-9]{4}-[0-9]{2}-[0-9]{2}([T ][0-9]{2}:[0-9]{2}(:[0-9]{2}(\.[0-9]{1,9})?)?)?"
    r"(Z|[+-][0-9]{2}:?[0-9]{2})?$",
}
ZONED = r"(Z|[+-][0-9]{2}:?[0-9]{2})$"
HINTS = {
    "integer": "a whole number such as 42",
    "decimal": "a number such as 3.14",
    "boolean": "true, false, yes or no",
    "date": "a date as YYYY-MM-DD",
    "timestamp": "a date and time as YYYY-MM-DD HH:MM[:SS] (with a zone such as Z on all values or on none)",
}
SQL_TYPES = {"integer": "BIGINT", "boolean": "BOOLEAN", "date": "DATE", "text": "VARCHAR"}
MAX_SCALE = 18


def _cleaned(column: pa.Array) -> pa.Array:
    """Trimmed values with empty strings as NULL (how typed columns read them)."""
    trimmed = pc.utf8_trim_whitespace(column)
    return pc.if_else(pc.equal(trimmed, ""), pa.scalar(None, pa.string()), trimmed)


def _first_misfit(values: pa.Array, kind: str) -> int:
    """The index of the first value that does not fit `kind` (-1: all fit)."""
    if kind == "text":
        return -1
    fits = pc.match_substring_regex(values, PATTERNS[kind])
    misfit = pc.and_(pc.is_valid(values), pc.invert(fits))
    index = pc.index(misfit, True).as_py()
    if index >= 0:
        return index
    if kind == "timestamp":  # all with a zone, or none: the first that differs from the first value
        zoned = pc.drop_null(pc.match_substring_regex(values, ZONED))
        if len(zoned) and not pc.all(pc.equal(zoned, zoned[0])).as_py():
            first = zoned[0].as_py()
            return next(i for i, z in enumerate(pc.match_substring_regex(values, ZONED).to_pylist()) if z is not None
                        and z != first)  # fmt: skip
    try:
        _convert(values, kind)
    except (pa.ArrowInvalid, pa.ArrowNotImplementedError):
        for position, value in enumerate(values.to_pylist()):  # the slow path, on failure only
            if value is None:
                continue
            try:
                _convert(pa.array([value], pa.string()), kind)
            except (pa.ArrowInvalid, pa.ArrowNotImplementedError):
                return position
    return -1


def _decimal_type(values: pa.Array) -> pa.DataType:
    if pc.any(pc.match_substring_regex(values, "[eE]")).as_py():
        return pa.float64()
    fractions = pc.utf8_length(pc.extract_regex(values, r"\.(?P<f>[0-9]*)").field("f"))
    whole = pc.utf8_length(pc.extract_regex(values, r"^[+-]?(?P<w>[0-9]*)").field("w"))
    scale = pc.max(fractions).as_py() or 0
    digits = pc.max(whole).as_py() or 0
    if scale > MAX_SCALE or digits + scale > 38:
        return pa.float64()
    return pa.decimal128(38, scale)


def _timestamp_type(values: pa.Array) -> pa.DataType:
    zoned = pc.match_substring_regex(values, ZONED)
    if pc.any(zoned).as_py():
        if not pc.all(zoned).as_py():
            raise pa.ArrowInvalid("zoned and plain timestamps mixed")
        return pa.timestamp("us", tz="UTC")
    return pa.timestamp("us")


def _convert(values: pa.Array, kind: str) -> pa.Array:
    if kind == "text":
        return values
    if kind == "integer":
        return pc.cast(values, pa.int64())
    if kind == "decimal":
        present = pc.drop_null(values)
        return pc.cast(values, _decimal_type(present) if len(present) else pa.float64())
    if kind == "boolean":
        lowered = pc.utf8_lower(values)
        yes = pc.is_in(lowered, value_set=pa.array(["true", "yes"]))
        return pc.if_else(pc.is_null(lowered), pa.scalar(None, pa.bool_()), yes)
    if kind == "date":
        return pc.cast(values, pa.date32())
    if kind == "timestamp":
        present = pc.drop_null(values)
        wanted = _timestamp_type(present) if len(present) else pa.timestamp("us")
        spaced = pc.replace_substring(values, "T", " ")
        return pc.cast(pc.replace_substring_regex(spaced, "Z$", "+00:00"), wanted)
    raise ValueError(kind)


def infer(column: pa.Array) -> str:
    return inferred(column)[0]


def inferred(column: pa.Array) -> tuple[str, pa.Array]:
    """The column's type and the column converted to it (each value converted once)."""
    values = _cleaned(column)
    if values.null_count == len(values):
        return "text", column
    present = pc.is_valid(values)
    for kind in INFERRED_ORDER:
        fits = pc.match_substring_regex(values, PATTERNS[kind])
        if pc.any(pc.and_(present, pc.invert(fits))).as_py():
            continue
        try:
            return kind, _convert(values, kind)
        except (pa.ArrowInvalid, pa.ArrowNotImplementedError):
            continue
    return "text", column


def typed_column(column: pa.Array, kind: str, *, name: str, label: str, row_offset: int = 1) -> pa.Array:
    """`column` as `kind`; FileRefused naming the first row (1 = the first row after the header)."""
    if kind not in TYPES:
        raise FileRefused("VALIDATION_ERROR", f"types.{name}: {kind!r} is not one of {', '.join(TYPES)}.")
    if kind == "text":
        return column
    values = _cleaned(column)
    bad = _first_misfit(values, kind)
    if bad >= 0:
        value = str(column[bad].as_py())
        shown = value if len(value) <= 60 else value[:57] + "…"
        named = name if label == name else f"{name} ({label!r})"
        raise FileRefused(
            "TYPE_MISMATCH",
            f"Row {bad + row_offset}, column {named}: {shown!r} is not {HINTS[kind]}. "
            "Choose another type for the column (text always fits) or correct the value.",
            details={"row": bad + row_offset, "column": name},
        )
    return _convert(values, kind)


def sql_type(arrow_type: pa.DataType, kind: str) -> str:
    """The column's type as the query engine (DuckDB) names it."""
    if kind == "decimal":
        return "DOUBLE" if pa.types.is_floating(arrow_type) else f"DECIMAL(38,{arrow_type.scale})"
    if kind == "timestamp":
        return "TIMESTAMP WITH TIME ZONE" if getattr(arrow_type, "tz", None) else "TIMESTAMP"
    return SQL_TYPES[kind]
