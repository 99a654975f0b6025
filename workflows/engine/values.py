"""Values are JSON at the engine's boundary: the rules that turn a step's data into JSON.

A step's input, output and parked details are stored (jsonb on PostgreSQL), broadcast and
replayed, so each must be JSON that every store accepts. Converting when the step
finishes, not when it is written, means a fresh run and a replayed one see the same
values, and a value that cannot be stored fails that one step instead of the worker.

Rules (docs/design.md, D3):
- None, bool, str, int and finite float stay as they are; list stays a list.
- datetime, date, time -> ISO 8601 text; timedelta -> ISO 8601 duration ("P1DT2H0M3.5S").
- Decimal -> int when integral, float when the float reads back as the same number,
  else its text ("12345678901234567890.123", "NaN"); NaN/±inf floats -> "NaN",
  "Infinity", "-Infinity" (JSON has no such numbers).
- UUID -> text; tuple, range -> list; set, frozenset -> sorted list (when sortable).
- bytes, bytearray, memoryview -> {"$bytes": "<standard base64>"}.
- dict keys must be str, or int (-> their text); a key that collides after that is refused.
- Text with U+0000 or an unpaired surrogate is refused (PostgreSQL cannot store it), as
  are ints over ~4000 digits, and anything else (functions, methods, generators,
  undefined expression values, arbitrary objects) with NotJson naming the path.
"""

from __future__ import annotations

import base64
import math
import re
import uuid
from collections.abc import Mapping
from datetime import date, datetime, time, timedelta
from decimal import Decimal
from typing import Any

from jinja2 import Undefined

BYTES_MARKER = "$bytes"
MAX_INT_BITS = 13_000  # ~3900 digits: Python refuses to print ints over 4300 digits
_UNSTORABLE_TEXT = re.compile("[\x00\ud800-\udfff]")
_NON_FINITE = {math.inf: "Infinity", -math.inf: "-Infinity"}


class NotJson(Exception):
    """A value that has no JSON form; `path` says where it sits (`output.rows[3].at`)."""

    def __init__(self, path: str, reason: str) -> None:
        super().__init__(f"{path} {reason}")
        self.path = path
        self.reason = reason


def to_json_value(value: Any, path: str = "output") -> Any:
    """The JSON form of `value` under the rules above; raises NotJson."""
    if value is None or value is True or value is False:
        return value
    kind = type(value)
    if kind is str:
        return _text(value, path)
    if kind is int:
        return _integer(value, path)
    if kind is float:
        return value if math.isfinite(value) else _non_finite(value)
    if kind is list:
        return [to_json_value(item, f"{path}[{i}]") for i, item in enumerate(value)]
    if kind is dict:
        return _mapping(value, path)
    return _other(value, path)


def _other(value: Any, path: str) -> Any:
    """Subclasses and the converted types: the slower path."""
    if isinstance(value, str):
        return _text(str(value), path)
    if isinstance(value, bool):
        return bool(value)
    if isinstance(value, int):
        return _integer(int(value), path)
    if isinstance(value, float):
        return to_json_value(float(value), path)
    if isinstance(value, Decimal):
        return _decimal(value)
    if isinstance(value, (datetime, date, time)):
        return value.isoformat()
    if isinstance(value, timedelta):
        return _duration(value)
    if isinstance(value, uuid.UUID):
        return str(value)
    if isinstance(value, (bytes, bytearray, memoryview)):
        return {BYTES_MARKER: base64.b64encode(bytes(value)).decode("ascii")}
    if isinstance(value, (list, tuple, range)):
        return [to_json_value(item, f"{path}[{i}]") for i, item in enumerate(value)]
    if isinstance(value, (set, frozenset)):
        return [to_json_value(item, f"{path}[{i}]") for i, item in enumerate(_ordered(value))]
    if isinstance(value, Mapping):
        return _mapping(value, path)
    raise NotJson(path, f"is not a JSON value ({_describe(value)})")


def _text(value: str, path: str) -> str:
    if _UNSTORABLE_TEXT.search(value):
        raise NotJson(path, "holds a NUL character or an unpaired surrogate, which cannot be stored")
    return value


def _integer(value: int, path: str) -> int:
    if value.bit_length() > MAX_INT_BITS:
        raise NotJson(path, f"is an integer over {MAX_INT_BITS} bits, too large to store")
    return value


def _non_finite(value: float) -> str:
    return _NON_FINITE.get(value, "NaN")


def _decimal(value: Decimal) -> int | float | str:
    if not value.is_finite():
        return {"Infinity": "Infinity", "-Infinity": "-Infinity"}.get(str(value), "NaN")
    if value == value.to_integral_value() and value.adjusted() < 300:
        return int(value)
    as_float = float(value)
    if math.isfinite(as_float) and Decimal(repr(as_float)) == value:
        return as_float
    return str(value)


def _duration(value: timedelta) -> str:
    sign = "-" if value < timedelta(0) else ""
    value = abs(value)
    hours, rest = divmod(value.seconds, 3600)
    minutes, seconds = divmod(rest, 60)
    fraction = f"{seconds}.{value.microseconds:06d}".rstrip("0") if value.microseconds else str(seconds)
    days = f"{value.days}D" if value.days else ""
    return f"{sign}P{days}T{hours}H{minutes}M{fraction}S" if days or value.seconds or value.microseconds else "PT0S"


def _ordered(items: set[Any] | frozenset[Any]) -> list[Any]:
    try:
        return sorted(items)
    except TypeError:
        return list(items)


def _mapping(value: Mapping[Any, Any], path: str) -> dict[str, Any]:
    converted: dict[str, Any] = {}
    for key, item in value.items():
        name = _key(key, path)
        if name in converted:
            raise NotJson(path, f"has two keys that both read {name!r}")
        converted[name] = to_json_value(item, _child_path(path, name))
    return converted


def _key(key: Any, path: str) -> str:
    if isinstance(key, str):
        return _text(str(key), f"{path} key {key!r}")
    if isinstance(key, int) and not isinstance(key, bool):
        return str(key)
    raise NotJson(path, f"has a key that is not text ({_describe(key)}); JSON object keys are text")


def _child_path(path: str, key: str) -> str:
    if key.isidentifier():
        return f"{path}.{key}"
    return f"{path}[{key!r}]"


def _describe(value: Any) -> str:
    kind = type(value)
    if isinstance(value, Undefined):
        return "undefined value"
    if callable(value) and not isinstance(value, type):
        return f"a function or method: {kind.__name__}"
    if kind.__name__ == "generator":
        return "a generator; add `| list` to the expression"
    return f"a {kind.__name__}"
