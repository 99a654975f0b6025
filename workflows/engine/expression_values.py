"""How values behave inside expressions: missing keys, text rendering, equality, numbers.

The rules a builder relies on (docs/design.md D16):
- A missing key is *missing*, not an error: `input.x or 'y'`, `input.x | default('y')`,
  `input.x is defined` and `input.customer.name | default('anon')` all work. It renders as
  empty text inside text and as `null` for a whole-field expression or inside a list/object.
  Using it where a value is needed (`input.amount > 100`, `input.n + 1`) fails the step with
  "Amount is missing from the input". An unknown top-level name (`inptu.x`) is an error at once.
- Text shows values as JSON: `true`, `false`, `null`, `["a","b"]`, `{"a":1}`; text stays
  bare; dates are ISO 8601; a whole number held as a float shows without `.0`.
- `true` and `false` are not numbers: `true is number` is false, `true == 1` is false,
  `true > 0` and `true + 1` are errors.
"""

from __future__ import annotations

import json
import math
from collections.abc import Mapping
from typing import Any

from jinja2 import ChainableUndefined, Undefined
from jinja2.exceptions import UndefinedError
from jinja2.utils import missing

from .expression_limits import MAX_OUTPUT_SIZE, Refused, Unusable, check_deadline, check_size
from .values import NotJson, to_json_value


class MissingValue(UndefinedError):
    """A missing value was used where a value is needed; `owner` held no `name`."""

    def __init__(self, owner: Any, name: Any, action: str = "") -> None:
        super().__init__(f"{name!r} is missing")
        self.owner = owner
        self.name = name
        self.action = action


class Missing(ChainableUndefined):
    """The value of a missing key: falsy, empty in text, null in JSON, chainable.

    A name that is not one of the expression's names at all (`obj` is jinja's `missing`)
    is a typo, and fails as soon as it is used.
    """

    __slots__ = ()

    def _fail_with_undefined_error(self, *args: Any, **kwargs: Any) -> Any:
        raise MissingValue(self._undefined_obj, self._undefined_name)

    def _unknown_name(self) -> bool:
        return self._undefined_obj is missing and self._undefined_hint is None

    def __str__(self) -> str:
        if self._unknown_name():
            self._fail_with_undefined_error()
        return ""

    def __bool__(self) -> bool:
        if self._unknown_name():
            self._fail_with_undefined_error()
        return False

    def __iter__(self) -> Any:
        if self._unknown_name():
            self._fail_with_undefined_error()
        return iter(())

    def __len__(self) -> int:
        if self._unknown_name():
            self._fail_with_undefined_error()
        return 0

    def __eq__(self, other: Any) -> bool:
        # Missing and null are alike: `input.x == none` holds when x is absent.
        return other is None or isinstance(other, Undefined)

    def __ne__(self, other: Any) -> bool:
        return not self.__eq__(other)

    __hash__ = ChainableUndefined.__hash__


def is_missing(value: Any) -> bool:
    return isinstance(value, Undefined)


MAX_DEPTH = 500


def settle(value: Any) -> Any:
    """A whole-field value: missing becomes null, also inside lists and objects.

    The walk is bounded: at most MAX_OUTPUT_SIZE values in all (a list repeated a million
    times over a deep value is refused here, not walked for minutes later) and MAX_DEPTH levels.
    """
    if not isinstance(value, (list, tuple, dict, Undefined)):
        return value  # the common case: a scalar, nothing to walk
    budget = [MAX_OUTPUT_SIZE]

    def walk(item: Any, depth: int) -> Any:
        if isinstance(item, Undefined):
            if isinstance(item, Missing) and item._unknown_name():
                item._fail_with_undefined_error()
            return None
        if not isinstance(item, (list, tuple, dict)):
            return item
        if depth > MAX_DEPTH:
            raise Refused(f"the value is nested more than {MAX_DEPTH} levels deep")
        budget[0] -= len(item)
        if budget[0] < 0:
            raise Refused(f"result larger than {MAX_OUTPUT_SIZE} items in all")
        if budget[0] % 4096 < len(item):
            check_deadline()
        if isinstance(item, dict):
            return {key: walk(child, depth + 1) for key, child in item.items()}
        return [walk(child, depth + 1) for child in item]

    return walk(value, 0)


_SCALAR_TEXT = {None: "null", True: "true", False: "false"}


def to_text(value: Any) -> str:
    """How a value reads inside text: strings bare, everything else as compact JSON."""
    kind = type(value)
    if kind is str:
        return value
    if value is None or kind is bool:
        return _SCALAR_TEXT[value]
    if kind is int:
        return str(value) if value.bit_length() < 13_000 else dumps(value)  # D3 refuses huge ints
    if isinstance(value, str):
        return str(value)
    if isinstance(value, Undefined):
        return str(value)  # "" (or the unknown-name error)
    if isinstance(value, float) and math.isfinite(value) and value.is_integer() and abs(value) < 2**53:
        return str(int(value))
    if not isinstance(value, (list, tuple, dict)):
        try:
            plain = to_json_value(value, "value")
        except NotJson:
            plain = None
        if isinstance(plain, str):
            return plain  # dates, decimals as text: bare, like any text
    return dumps(value)


def dumps(value: Any, indent: int | None = None) -> str:
    """Plain JSON text (not HTML-escaped markup); missing values are null."""
    if indent is not None and (isinstance(indent, bool) or not isinstance(indent, int) or not 0 <= indent <= 8):
        raise Unusable("tojson's indent must be a whole number from 0 to 8")
    try:
        plain = to_json_value(settle(value), "value")
    except NotJson as exc:
        raise Unusable(f"{exc.path} has no JSON form ({exc.reason.removeprefix('is not a JSON value ')})") from None
    separators = (",", ":") if indent is None else (",", ": ")
    return check_size(json.dumps(plain, ensure_ascii=False, separators=separators, indent=indent))


def default(value: Any, fallback: Any = "", boolean: bool = False) -> Any:
    """`default` applies to missing values and to null (and to any falsy value with `true`)."""
    if value is None or isinstance(value, Undefined) or (boolean and not value):
        return fallback
    return value


def is_number(value: Any) -> bool:
    return isinstance(value, (int, float)) and not isinstance(value, bool)


def _kind(value: Any) -> str:
    if isinstance(value, bool):
        return "boolean"
    if isinstance(value, (int, float)):
        return "number"
    if isinstance(value, str):
        return "text"
    if isinstance(value, (list, tuple)):
        return "list"
    if isinstance(value, Mapping):
        return "object"
    return type(value).__name__


def same(left: Any, right: Any) -> bool:
    """Equality where a boolean never equals a number (`true == 1` is false), at any depth."""
    if isinstance(left, Undefined) or isinstance(right, Undefined):
        return (left is None or isinstance(left, Undefined)) and (right is None or isinstance(right, Undefined))
    if isinstance(left, bool) != isinstance(right, bool):
        return False
    if isinstance(left, (list, tuple)) and isinstance(right, (list, tuple)):
        return len(left) == len(right) and all(same(a, b) for a, b in zip(left, right, strict=True))
    if isinstance(left, Mapping) and isinstance(right, Mapping):
        return left.keys() == right.keys() and all(same(left[k], right[k]) for k in left)
    return bool(left == right)


def contains(container: Any, item: Any) -> bool:
    if isinstance(container, Undefined) or container is None:
        return False
    if isinstance(container, (list, tuple)):
        return any(same(element, item) for element in container)
    if isinstance(container, str) and not isinstance(item, str):
        raise Unusable(f"can't look for a {_kind(item)} inside text")
    return item in container


_ORDER = {"lt": "<", "lteq": "<=", "gt": ">", "gteq": ">="}


def compare(operator: str, left: Any, right: Any) -> bool:
    """One comparison with the expression rules (`eq`, `ne`, `lt`, …, `in`, `notin`)."""
    if operator == "eq":
        return same(left, right)
    if operator == "ne":
        return not same(left, right)
    if operator == "in":
        return contains(right, item=left)
    if operator == "notin":
        return not contains(right, item=left)
    for value in (left, right):
        if isinstance(value, Undefined):
            value._fail_with_undefined_error()
    if isinstance(left, bool) != isinstance(right, bool):
        raise Unusable(f"can't compare a {_kind(left)} with a {_kind(right)} (true and false are not numbers)")
    try:
        return bool(_ORDERINGS[operator](left, right))
    except TypeError:
        raise Unusable(f"can't compare a {_kind(left)} with a {_kind(right)} using {_ORDER[operator]}") from None


_ORDERINGS = {
    "lt": lambda a, b: a < b,
    "lteq": lambda a, b: a <= b,
    "gt": lambda a, b: a > b,
    "gteq": lambda a, b: a >= b,
}


def compare_chain(left: Any, *pairs: Any) -> bool:
    """`a < b < c` as `a < b and b < c` (every operand is evaluated: expressions have no effects)."""
    for index in range(0, len(pairs), 2):
        operator, right = pairs[index], pairs[index + 1]
        if not compare(operator, left, right):
            return False
        left = right
    return True


def refuse_boolean_arithmetic(operator: str, left: Any, right: Any) -> None:
    if operator == "%" and isinstance(left, str):
        return  # printf-style formatting, not arithmetic
    if isinstance(left, bool) or isinstance(right, bool):
        raise Unusable(f"can't use {operator} with true or false (they are not numbers)")
    for value in (left, right):
        if isinstance(value, Undefined):
            value._fail_with_undefined_error()


# The comparison tests (`select('gt', 3)`, `x is eq 1`) follow the same rules.
def _comparison_test(operator: str) -> Any:
    return lambda value, other: compare(operator, value, other)


COMPARISON_TESTS = {
    name: _comparison_test(op)
    for op, names in {
        "eq": ("eq", "equalto", "=="),
        "ne": ("ne", "!="),
        "lt": ("lt", "lessthan", "<"),
        "lteq": ("le", "<="),
        "gt": ("gt", "greaterthan", ">"),
        "gteq": ("ge", ">="),
        "in": ("in",),
    }.items()
    for name in names
}
