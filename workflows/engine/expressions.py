"""`{{ … }}` expressions in node config, evaluated in a bounded Jinja2 sandbox.

Only expressions are supported, never `{% … %}` statements: a mixed string is split into
literal text and expressions ourselves, so there are no template loops to bound. What is
left to bound are operators and calls, which the sandbox intercepts: each interception
checks a deadline and the size of what it produces.
"""

from __future__ import annotations

import functools
import operator
import re
import string
import threading
import time
from collections.abc import Mapping
from typing import Any

from jinja2 import StrictUndefined, TemplateSyntaxError, Undefined
from jinja2.exceptions import SecurityError, UndefinedError
from jinja2.sandbox import ImmutableSandboxedEnvironment

TIME_BUDGET_SECONDS = 1.0
MAX_OUTPUT_SIZE = 1_000_000
MAX_RANGE = 10_000
MAX_POWER_BITS = 100_000

_EXPRESSION = re.compile(r"{{(.*?)}}", re.DOTALL)
_WHOLE = re.compile(r"^\s*{{(.*?)}}\s*$", re.DOTALL)
_BINOPS = {
    "+": operator.add,
    "-": operator.sub,
    "*": operator.mul,
    "/": operator.truediv,
    "//": operator.floordiv,
    "%": operator.mod,
    "**": operator.pow,
}
# A format can ask for a huge field ("%0999999999d", "{:>999999999}", "%.999999999f"), which
# Python builds in full before any size check: widths and precisions are bounded up front.
MAX_FORMAT_WIDTH = 10_000
_PRINTF_SPEC = re.compile(r"%(?:\([^)]*\))?[-+ #0]*(\*|\d+)?(?:\.(\*|\d*))?")
_FORMAT_SPEC_NUMBERS = re.compile(r"^(?:.?[<>=^])?[-+ ]?z?#?0?(\d*)[_,]?(?:\.(\d*))?[a-zA-Z%]?$")


class ExpressionError(Exception):
    def __init__(self, field: str, message: str) -> None:
        super().__init__(f"{field}: {message}" if field else message)
        self.field = field
        self.message = message


class _Refused(Exception):
    """Raised inside the sandbox; turned into an ExpressionError at the boundary."""


_deadline = threading.local()


def _check_deadline() -> None:
    limit = getattr(_deadline, "at", None)
    if limit is not None and time.monotonic() > limit:
        raise _Refused(f"took longer than {TIME_BUDGET_SECONDS:g}s")


def _check_size(value: Any) -> Any:
    if isinstance(value, (str, bytes, list, tuple, dict)) and len(value) > MAX_OUTPUT_SIZE:
        raise _Refused(f"result larger than {MAX_OUTPUT_SIZE} items")
    return value


def _safe_range(*args: int) -> range:
    result = range(*args)
    if len(result) > MAX_RANGE:
        raise _Refused(f"range() over more than {MAX_RANGE} items")
    return result


class BoundedSandbox(ImmutableSandboxedEnvironment):
    """A sandbox that also bounds time, sizes and format widths.

    `str.format` stays usable: Jinja routes it through its sandboxed formatter (no
    `{0.__class__}` tricks), and `wrap_str_format` below bounds its fields first.
    """

    intercepted_binops = frozenset(_BINOPS)

    def call_binop(self, context: Any, operator: str, left: Any, right: Any) -> Any:
        _check_deadline()
        if operator == "*":
            _refuse_big_repeat(left, right)
            _refuse_big_repeat(right, left)
        elif operator == "**" and isinstance(left, int) and isinstance(right, int):
            if abs(left) > 1 and right * max(abs(left).bit_length(), 1) > MAX_POWER_BITS:
                raise _Refused("power too large")
        elif operator == "%" and isinstance(left, str):
            _refuse_big_printf(left)
        return _check_size(_BINOPS[operator](left, right))

    def wrap_str_format(self, value: Any) -> Any:
        """`str.format` / `format_map` reached in an expression: its fields are bounded first."""
        wrapped = super().wrap_str_format(value)
        if wrapped is None:
            return None
        template = str(value.__self__)

        def bounded(*args: Any, **kwargs: Any) -> str:
            _refuse_big_str_format(template)
            return _check_size(wrapped(*args, **kwargs))

        return bounded

    def getattr(self, obj: Any, attribute: str) -> Any:
        """`input.items` is the data under "items" when there is such a key, not dict.items.

        Jinja looks up attributes before items; for the JSON objects flows carry, the data
        is what a builder means (the `items`, `keys`, `values` filters reach the methods).
        """
        _check_deadline()
        if isinstance(obj, Mapping):
            try:
                return obj[attribute]
            except (KeyError, TypeError):
                pass
        return super().getattr(obj, attribute)

    def getitem(self, obj: Any, argument: Any) -> Any:
        _check_deadline()
        return super().getitem(obj, argument)

    def call(__self, __context: Any, __obj: Any, *args: Any, **kwargs: Any) -> Any:  # noqa: N805
        _check_deadline()
        return _check_size(super().call(__context, __obj, *args, **kwargs))


def _refuse_big_repeat(seq: Any, count: Any) -> None:
    sized = isinstance(seq, (str, bytes, list, tuple)) and isinstance(count, int)
    if sized and len(seq) * count > MAX_OUTPUT_SIZE:
        raise _Refused(f"repetition would exceed {MAX_OUTPUT_SIZE} items")


def _refuse_width(number: str | None, spec: str) -> None:
    if number and int(number) > MAX_FORMAT_WIDTH:
        raise _Refused(f"format width or precision in {spec!r} is over {MAX_FORMAT_WIDTH} characters")


def _refuse_big_printf(template: str) -> None:
    """Every `%` conversion: widths and precisions bounded; `*` (taken from the values) refused."""
    for match in _PRINTF_SPEC.finditer(template):
        width, precision = match.groups()
        if "*" in (width, precision):
            raise _Refused(f"format {match.group(0)!r}: a width taken from the values (*) is not supported")
        _refuse_width(width, match.group(0))
        _refuse_width(precision, match.group(0))


def _refuse_big_str_format(template: str) -> None:
    """Every `{…:spec}` field of a `str.format` template, nested specs included, bounded."""
    try:
        fields = list(string.Formatter().parse(template))
    except ValueError:
        return  # a malformed template fails in str.format itself with a clear message
    for _, name, spec, _ in fields:
        if name is None or not spec:
            continue
        if "{" in spec:
            raise _Refused(f"format spec {spec!r}: a width taken from the values is not supported")
        numbers = _FORMAT_SPEC_NUMBERS.match(spec)
        if numbers:
            _refuse_width(numbers.group(1), spec)
            _refuse_width(numbers.group(2), spec)


def _build_environment() -> BoundedSandbox:
    env = BoundedSandbox(undefined=StrictUndefined, autoescape=False)
    # Drop lipsum/cycler/joiner: nothing here needs them and each is an object to poke at.
    env.globals = {"range": _safe_range, "dict": dict, "namespace": env.globals["namespace"]}
    for name in ("center", "indent", "wordwrap", "replace"):
        env.filters[name] = _bounded_filter(env.filters[name])
    env.filters["format"] = _bounded_format(env.filters["format"])
    return env


def _bounded_format(inner: Any) -> Any:
    """The `format` filter is printf-style: its conversions are bounded, not its values."""

    def bounded(value: Any, *args: Any, **kwargs: Any) -> Any:
        if isinstance(value, str):
            _refuse_big_printf(value)
        return _check_size(inner(value, *args, **kwargs))

    bounded.__dict__.update(inner.__dict__)
    return bounded


def _bounded_filter(inner: Any) -> Any:
    def bounded(*args: Any, **kwargs: Any) -> Any:
        for value in list(args[1:]) + list(kwargs.values()):
            if isinstance(value, int) and value > MAX_OUTPUT_SIZE:
                raise _Refused("filter argument too large")
        if inner.__name__ == "do_replace" and len(args) >= 4:
            _refuse_big_replace(*args[1:4])
        return _check_size(inner(*args, **kwargs))

    bounded.__dict__.update(inner.__dict__)  # keeps jinja's pass_eval_context marker
    return bounded


def _refuse_big_replace(text: Any, old: Any, new: Any) -> None:
    text, old, new = str(text), str(old), str(new)
    count = text.count(old) if old else len(text) + 1
    if len(text) + count * max(len(new) - len(old), 0) > MAX_OUTPUT_SIZE:
        raise _Refused(f"replace would exceed {MAX_OUTPUT_SIZE} characters")


_ENV = _build_environment()


def has_expression(value: Any) -> bool:
    return isinstance(value, str) and "{{" in value


def evaluate(source: str, names: Mapping[str, Any], *, field: str = "") -> Any:
    """Evaluate one string: native value for a lone `{{ x }}`, else rendered text."""
    _deadline.at = time.monotonic() + TIME_BUDGET_SECONDS
    try:
        whole = _WHOLE.match(source)
        if whole and "{{" not in whole.group(1):
            return _check_size(_evaluate_one(whole.group(1), names))
        return _check_size(_render_mixed(source, names))
    except ExpressionError:
        raise
    except _Refused as exc:
        raise ExpressionError(field, f"refused: {exc}") from None
    except SecurityError as exc:
        raise ExpressionError(field, f"refused: {exc}") from None
    except TemplateSyntaxError as exc:
        raise ExpressionError(field, f"syntax error: {exc.message}") from None
    except UndefinedError as exc:
        raise ExpressionError(field, f"undefined: {exc}") from None
    except Exception as exc:  # noqa: BLE001 - any failure inside user code is the user's error
        raise ExpressionError(field, f"{type(exc).__name__}: {exc}") from None
    finally:
        _deadline.at = None


@functools.lru_cache(maxsize=4096)
def _compile(expression: str) -> Any:
    """Compiling is ~95% of an evaluation's cost; a compiled expression is reusable."""
    return _ENV.compile_expression(expression, undefined_to_none=False)


def _evaluate_one(expression: str, names: Mapping[str, Any]) -> Any:
    compiled = _compile(expression.strip())
    result = compiled(**names)
    if isinstance(result, Undefined):
        # Calling str() on a StrictUndefined raises with the helpful message.
        str(result)
    return result


def _render_mixed(source: str, names: Mapping[str, Any]) -> str:
    parts: list[str] = []
    position = 0
    for match in _EXPRESSION.finditer(source):
        parts.append(source[position : match.start()])
        value = _evaluate_one(match.group(1), names)
        parts.append("" if value is None else str(value))
        position = match.end()
    parts.append(source[position:])
    return "".join(parts)


def render_config(value: Any, names: Mapping[str, Any], *, path: str = "") -> Any:
    """Evaluate every expression in a config value, recursing through dicts and lists."""
    if isinstance(value, str):
        return evaluate(value, names, field=path) if has_expression(value) else value
    if isinstance(value, dict):
        return {
            key: render_config(item, names, path=f"{path}.{key}" if path else str(key))
            for key, item in value.items()
        }
    if isinstance(value, list):
        return [render_config(item, names, path=f"{path}[{i}]") for i, item in enumerate(value)]
    return value


def expression_environment() -> BoundedSandbox:
    """The sandbox expressions run in; validation parses with it (never evaluates)."""
    return _ENV
