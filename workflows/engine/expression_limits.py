"""Bounds on what an expression may cost: time, sizes, ranges, powers and format widths.

Checked by the sandbox at every operator and call (docs/design.md D11), so a hostile
expression is refused before Python builds something huge.
"""

from __future__ import annotations

import re
import string
import threading
import time
from typing import Any

TIME_BUDGET_SECONDS = 1.0
MAX_OUTPUT_SIZE = 1_000_000
MAX_RANGE = 10_000
MAX_POWER_BITS = 100_000
# A format can ask for a huge field ("%0999999999d", "{:>999999999}", "%.999999999f"), which
# Python builds in full before any size check: widths and precisions are bounded up front.
MAX_FORMAT_WIDTH = 10_000
_PRINTF_SPEC = re.compile(r"%(?:\([^)]*\))?[-+ #0]*(\*|\d+)?(?:\.(\*|\d*))?")
_FORMAT_SPEC_NUMBERS = re.compile(r"^(?:.?[<>=^])?[-+ ]?z?#?0?(\d*)[_,]?(?:\.(\d*))?[a-zA-Z%]?$")


class Refused(Exception):
    """A bound was hit (time, size, width); turned into an ExpressionError at the boundary."""


class Unusable(Exception):
    """A value cannot be used that way (`true > 1`, a date that is not one); the message is a sentence."""


_deadline = threading.local()


def start_clock(budget: float) -> None:
    _deadline.budget = budget
    _deadline.at = time.monotonic() + budget


def stop_clock() -> None:
    _deadline.at = None


def check_deadline() -> None:
    limit = getattr(_deadline, "at", None)
    if limit is not None and time.monotonic() > limit:
        raise Refused(f"took longer than {_deadline.budget:g}s")


def check_size(value: Any) -> Any:
    if isinstance(value, (str, bytes, list, tuple, dict)) and len(value) > MAX_OUTPUT_SIZE:
        raise Refused(f"result larger than {MAX_OUTPUT_SIZE} items")
    return value


def safe_range(*args: int) -> range:
    result = range(*args)
    if len(result) > MAX_RANGE:
        raise Refused(f"range() over more than {MAX_RANGE} items")
    return result


def refuse_big_repeat(seq: Any, count: Any) -> None:
    sized = isinstance(seq, (str, bytes, list, tuple)) and isinstance(count, int)
    if sized and len(seq) * count > MAX_OUTPUT_SIZE:
        raise Refused(f"repetition would exceed {MAX_OUTPUT_SIZE} items")


def refuse_big_power(left: Any, right: Any) -> None:
    both_int = isinstance(left, int) and isinstance(right, int)
    if both_int and abs(left) > 1 and right * max(abs(left).bit_length(), 1) > MAX_POWER_BITS:
        raise Refused("power too large")


def _refuse_width(number: str | None, spec: str) -> None:
    if number and int(number) > MAX_FORMAT_WIDTH:
        raise Refused(f"format width or precision in {spec!r} is over {MAX_FORMAT_WIDTH} characters")


def refuse_big_printf(template: str) -> None:
    """Every `%` conversion: widths and precisions bounded; `*` (taken from the values) refused."""
    for match in _PRINTF_SPEC.finditer(template):
        width, precision = match.groups()
        if "*" in (width, precision):
            raise Refused(f"format {match.group(0)!r}: a width taken from the values (*) is not supported")
        _refuse_width(width, match.group(0))
        _refuse_width(precision, match.group(0))


def refuse_big_str_format(template: str) -> None:
    """Every `{…:spec}` field of a `str.format` template, nested specs included, bounded."""
    try:
        fields = list(string.Formatter().parse(template))
    except ValueError:
        return  # a malformed template fails in str.format itself with a clear message
    for _, name, spec, _ in fields:
        if name is None or not spec:
            continue
        if "{" in spec:
            raise Refused(f"format spec {spec!r}: a width taken from the values is not supported")
        numbers = _FORMAT_SPEC_NUMBERS.match(spec)
        if numbers:
            _refuse_width(numbers.group(1), spec)
            _refuse_width(numbers.group(2), spec)


def bounded_format(inner: Any) -> Any:
    """The `format` filter is printf-style: its conversions are bounded, not its values."""

    def bounded(value: Any, *args: Any, **kwargs: Any) -> Any:
        if isinstance(value, str):
            refuse_big_printf(value)
        return check_size(inner(value, *args, **kwargs))

    bounded.__dict__.update(inner.__dict__)
    return bounded


def bounded_filter(inner: Any) -> Any:
    def bounded(*args: Any, **kwargs: Any) -> Any:
        for value in list(args[1:]) + list(kwargs.values()):
            if isinstance(value, int) and value > MAX_OUTPUT_SIZE:
                raise Refused("filter argument too large")
        if inner.__name__ == "do_replace" and len(args) >= 4:
            _refuse_big_replace(*args[1:4])
        return check_size(inner(*args, **kwargs))

    bounded.__dict__.update(inner.__dict__)  # keeps jinja's pass_eval_context marker
    return bounded


def _refuse_big_replace(text: Any, old: Any, new: Any) -> None:
    text, old, new = str(text), str(old), str(new)
    count = text.count(old) if old else len(text) + 1
    if len(text) + count * max(len(new) - len(old), 0) > MAX_OUTPUT_SIZE:
        raise Refused(f"replace would exceed {MAX_OUTPUT_SIZE} characters")
