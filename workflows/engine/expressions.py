"""`{{ … }}` expressions in node config, evaluated in a bounded Jinja2 sandbox.

Only expressions are supported, never `{% … %}` statements: a mixed string is split into
literal text and expressions ourselves, so there are no template loops to bound. A field
holding a statement fails with a sentence pointing to the row filters (`table`, `lines`,
expression_rows; validation reports it first, D22). What is left to bound are operators and
calls, which the sandbox intercepts: each interception checks a deadline and the size of
what it produces (expression_limits).

What values do inside expressions (missing keys, JSON in text, equality, booleans) is in
expression_values; the date helpers are in expression_dates (docs/design.md D16).
"""

from __future__ import annotations

import functools
import operator
import re
import threading
from collections.abc import Callable, Mapping
from datetime import UTC, datetime, tzinfo
from typing import Any

from jinja2 import TemplateSyntaxError, Undefined
from jinja2.compiler import CodeGenerator
from jinja2.exceptions import SecurityError, UndefinedError
from jinja2.sandbox import ImmutableSandboxedEnvironment

from . import expression_rows
from . import expression_values as values
from .expression_dates import DateHelpers
from .expression_limits import (
    MAX_OUTPUT_SIZE,
    MAX_POWER_BITS,
    MAX_RANGE,
    Refused,
    bounded_filter,
    bounded_format,
    check_deadline,
    check_size,
    refuse_big_power,
    refuse_big_printf,
    refuse_big_repeat,
    refuse_big_str_format,
    safe_range,
    start_clock,
    stop_clock,
)
from .plain_words import explain_expression_failure

__all__ = [
    "MAX_OUTPUT_SIZE",
    "MAX_POWER_BITS",
    "MAX_RANGE",
    "TIME_BUDGET_SECONDS",
    "ExpressionError",
    "evaluate",
    "has_expression",
    "render_config",
]

TIME_BUDGET_SECONDS = 1.0

_EXPRESSION = re.compile(r"{{(.*?)}}", re.DOTALL)
_WHOLE = re.compile(r"^\s*{{(.*?)}}\s*$", re.DOTALL)
STATEMENT = re.compile(r"{%.*?%}", re.DOTALL)
STATEMENT_MESSAGE = (
    "“{% … %}” statements (for, if, set) do not run in expressions: only {{ … }} does. List rows with "
    "{{ input.rows | table }} or {{ input.rows | lines('{id}: {name}') }}, and choose with if … else inside {{ }}"
)
_BINOPS = {
    "+": operator.add,
    "-": operator.sub,
    "*": operator.mul,
    "/": operator.truediv,
    "//": operator.floordiv,
    "%": operator.mod,
    "**": operator.pow,
}


class ExpressionError(Exception):
    """An expression failed; `message` is a sentence for the builder, `reason` a stable code."""

    def __init__(self, field: str, message: str, reason: str = "error") -> None:
        super().__init__(f"{field}: {message}" if field else message)
        self.field = field
        self.message = message
        self.reason = reason


class _CompareCodeGenerator(CodeGenerator):
    """Comparisons go through `environment.compare_chain`, so `true == 1` is false."""

    def visit_Compare(self, node: Any, frame: Any) -> None:
        self.write("environment.compare_chain(")
        self.visit(node.expr, frame)
        for operand in node.ops:
            self.write(f", {operand.op!r}, ")
            self.visit(operand.expr, frame)
        self.write(")")


class BoundedSandbox(ImmutableSandboxedEnvironment):
    """A sandbox that also bounds time, sizes and format widths.

    `str.format` stays usable: Jinja routes it through its sandboxed formatter (no
    `{0.__class__}` tricks), and `wrap_str_format` below bounds its fields first.
    """

    intercepted_binops = frozenset(_BINOPS)
    code_generator_class = _CompareCodeGenerator

    @staticmethod
    def compare_chain(left: Any, *pairs: Any) -> bool:
        check_deadline()
        return values.compare_chain(left, *pairs)

    def call_binop(self, context: Any, operator: str, left: Any, right: Any) -> Any:
        check_deadline()
        values.refuse_boolean_arithmetic(operator, left, right)
        if operator == "*":
            refuse_big_repeat(left, right)
            refuse_big_repeat(right, left)
        elif operator == "**":
            refuse_big_power(left, right)
        elif operator == "%" and isinstance(left, str):
            refuse_big_printf(left)
        return check_size(_BINOPS[operator](left, right))

    def wrap_str_format(self, value: Any) -> Any:
        """`str.format` / `format_map` reached in an expression: its fields are bounded first."""
        wrapped = super().wrap_str_format(value)
        if wrapped is None:
            return None
        template = str(value.__self__)

        def bounded(*args: Any, **kwargs: Any) -> str:
            refuse_big_str_format(template)
            return check_size(wrapped(*args, **kwargs))

        return bounded

    def getattr(self, obj: Any, attribute: str) -> Any:
        """`input.items` is the data under "items" when there is such a key, not dict.items.

        Jinja looks up attributes before items; for the JSON objects flows carry, the data
        is what a builder means (the `items`, `keys`, `values` filters reach the methods).
        """
        check_deadline()
        if isinstance(obj, Mapping):
            try:
                return obj[attribute]
            except (KeyError, TypeError):
                pass
        if attribute.startswith("__") or (attribute.startswith("_") and not isinstance(obj, Mapping)):
            # Python internals are never reachable, whether or not they exist on this object.
            self.unsafe_undefined(obj, attribute)
        if attribute.startswith("_"):
            return self.undefined(obj=obj, name=attribute)  # `input._id` when there is no `_id` key
        return super().getattr(obj, attribute)

    def getitem(self, obj: Any, argument: Any) -> Any:
        check_deadline()
        return super().getitem(obj, argument)

    def unsafe_undefined(self, obj: Any, attribute: str) -> Any:
        """Refuse at once (a chainable missing value would otherwise render as empty text)."""
        raise SecurityError(f"access to attribute {attribute!r} of {type(obj).__name__!r} object is unsafe.")

    def call(__self, __context: Any, __obj: Any, *args: Any, **kwargs: Any) -> Any:  # noqa: N805
        check_deadline()
        return check_size(super().call(__context, __obj, *args, **kwargs))


# The date helpers of the evaluation running on this thread (its run's clock and zone).
_current = threading.local()
_UTC_HELPERS = DateHelpers(lambda: datetime.now(UTC), UTC)


def _dates() -> DateHelpers:
    return getattr(_current, "dates", None) or _UTC_HELPERS


def date_helpers(clock: Callable[[], datetime], zone: tzinfo) -> DateHelpers:
    """Helpers for one run: `now()` reads `clock`, dates are shown in `zone`."""
    return DateHelpers(clock, zone)


def _through_dates(name: str) -> Callable[..., Any]:
    def helper(*args: Any, **kwargs: Any) -> Any:
        return getattr(_dates(), name)(*args, **kwargs)

    helper.__name__ = name
    return helper


def _build_environment() -> BoundedSandbox:
    env = BoundedSandbox(undefined=values.Missing, autoescape=False)
    # Constant folding would evaluate comparisons at compile time, around compare_chain.
    env.optimized = False
    # Drop lipsum/cycler/joiner: nothing here needs them and each is an object to poke at.
    env.globals = {"range": safe_range, "dict": dict, "namespace": env.globals["namespace"]}
    for name in ("now", "today", "days_between", "seconds_between"):
        env.globals[name] = _through_dates(name)
    for name in ("center", "indent", "wordwrap", "replace"):
        env.filters[name] = bounded_filter(env.filters[name])
    env.filters["format"] = bounded_format(env.filters["format"])
    env.filters["default"] = env.filters["d"] = values.default
    env.filters["tojson"] = values.dumps
    env.filters["table"] = expression_rows.table
    env.filters["lines"] = expression_rows.lines
    for name, method in {
        "date": "to_date",
        "datetime": "to_datetime",
        "format_date": "format_date",
        "add_days": "add_days",
        "add_hours": "add_hours",
        "add_minutes": "add_minutes",
    }.items():
        env.filters[name] = _through_dates(method)
    env.tests["number"] = values.is_number
    env.tests["none"] = lambda value: value is None or isinstance(value, Undefined)
    env.tests.update(values.COMPARISON_TESTS)
    return env


_ENV = _build_environment()


def has_expression(value: Any) -> bool:
    return isinstance(value, str) and "{{" in value


def evaluate(source: str, names: Mapping[str, Any], *, field: str = "", dates: DateHelpers | None = None) -> Any:
    """Evaluate one string: the value itself for a lone `{{ x }}`, else text (values as JSON)."""
    start_clock(TIME_BUDGET_SECONDS)
    _current.dates = dates
    try:
        whole = _WHOLE.match(source)
        if whole and "{{" not in whole.group(1):
            return check_size(values.settle(_evaluate_one(whole.group(1), names)))
        return check_size(_render_mixed(source, names))
    except ExpressionError:
        raise
    except Refused as exc:
        raise ExpressionError(field, explain_expression_failure(exc, names, source), "refused") from None
    except SecurityError as exc:
        raise ExpressionError(field, explain_expression_failure(exc, names, source), "unsafe") from None
    except TemplateSyntaxError as exc:
        raise ExpressionError(field, explain_expression_failure(exc, names, source), "syntax") from None
    except UndefinedError as exc:
        raise ExpressionError(field, explain_expression_failure(exc, names, source), "missing") from None
    except Exception as exc:  # noqa: BLE001 - any failure inside user code is the user's error
        raise ExpressionError(field, explain_expression_failure(exc, names, source), "error") from None
    finally:
        stop_clock()
        _current.dates = None


@functools.lru_cache(maxsize=4096)
def _compile(expression: str) -> Any:
    """Compiling is ~95% of an evaluation's cost; a compiled expression is reusable."""
    return _ENV.compile_expression(expression, undefined_to_none=False)


def _evaluate_one(expression: str, names: Mapping[str, Any]) -> Any:
    return _compile(expression.strip())(**names)


def _render_mixed(source: str, names: Mapping[str, Any]) -> str:
    parts: list[str] = []
    position = 0
    for match in _EXPRESSION.finditer(source):
        parts.append(source[position : match.start()])
        parts.append(values.to_text(_evaluate_one(match.group(1), names)))
        position = match.end()
    parts.append(source[position:])
    return "".join(parts)


def render_config(
    value: Any, names: Mapping[str, Any], *, path: str = "", dates: DateHelpers | None = None
) -> Any:
    """Evaluate every expression in a config value, recursing through dicts and lists."""
    if isinstance(value, str):
        if "{%" in value and STATEMENT.search(value):
            raise ExpressionError(path, STATEMENT_MESSAGE, "statement")
        return evaluate(value, names, field=path, dates=dates) if has_expression(value) else value
    if isinstance(value, dict):
        return {
            key: render_config(item, names, path=f"{path}.{key}" if path else str(key), dates=dates)
            for key, item in value.items()
        }
    if isinstance(value, list):
        return [render_config(item, names, path=f"{path}[{i}]", dates=dates) for i, item in enumerate(value)]
    return value


def expression_environment() -> BoundedSandbox:
    """The sandbox expressions run in; validation parses with it (never evaluates)."""
    return _ENV
