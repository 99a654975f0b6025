"""A corpus of hostile and odd values through every expression helper (issue 16, item 6).

Each case must end in a value or an ExpressionError whose message is a sentence — never
another exception (which would fail a step with a Python traceback), never a huge result.
"""

from __future__ import annotations

import uuid
from datetime import UTC, datetime
from decimal import Decimal

import pytest

from workflows.engine import ExpressionError
from workflows.engine.expression_limits import MAX_OUTPUT_SIZE
from workflows.engine.expressions import date_helpers, evaluate


def _deep(depth: int) -> list:
    value: list = []
    for _ in range(depth):
        value = [value]
    return value


class Opaque:
    pass


ODD_VALUES = {
    "huge": "x" * 900_000,
    "deep": _deep(400),
    "very_deep": _deep(5_000),
    "nan": float("nan"),
    "inf": float("inf"),
    "big_int": 10**4000,
    "bytes": b"\x00\xff",
    "set": {3, 1, 2},
    "decimal": Decimal("1.10"),
    "uuid": uuid.UUID(int=1),
    "opaque": Opaque(),
    "nul": "a\x00b",
    "surrogate": "\ud800",
    "when": datetime(2026, 1, 31, tzinfo=UTC),
    "none": None,
    "flag": True,
    "empty": {},
    "keys": {1: "a", (2, 3): "b"},
}
NAMES = {"input": ODD_VALUES, "trigger": {}, "steps": {}, "vars": {}, "execution": {}, "loop": None}
DATES = date_helpers(lambda: datetime(2026, 1, 31, 12, tzinfo=UTC), UTC)

HELPERS = [
    "{{{{ {v} }}}}",
    "Text {{{{ {v} }}}}",
    "{{{{ {v} | tojson }}}}",
    "{{{{ {v} | default('d') }}}}",
    "{{{{ {v} | date }}}}",
    "{{{{ {v} | datetime }}}}",
    "{{{{ {v} | format_date('%d %b %Y') }}}}",
    "{{{{ {v} | add_days(1) }}}}",
    "{{{{ {v} | add_hours(-1) }}}}",
    "{{{{ days_between({v}, today()) }}}}",
    "{{{{ seconds_between(now(), {v}) }}}}",
    "{{{{ {v} == 1 }}}}",
    "{{{{ {v} > 1 }}}}",
    "{{{{ {v} in [1, true] }}}}",
    "{{{{ {v} is number }}}}",
    "{{{{ {v} + 1 }}}}",
    "{{{{ {v} * 3 }}}}",
    "{{{{ {v} | length }}}}",
]
VALUES = [f"input.{name}" for name in ODD_VALUES] + ["input.missing", "input.missing.deeper", "nobody"]


def _assert_bounded(source: str) -> None:
    try:
        result = evaluate(source, NAMES, dates=DATES, field="f")
    except ExpressionError as exc:
        assert exc.message and not exc.message[0].islower(), exc.message
        assert "Traceback" not in exc.message
        assert len(exc.message) < 500
        return
    if isinstance(result, (str, list, dict)):
        assert len(result) <= MAX_OUTPUT_SIZE


@pytest.mark.parametrize("helper", HELPERS)
def test_every_helper_takes_every_odd_value_without_crashing(helper):
    for value in VALUES:
        _assert_bounded(helper.format(v=value))


SANDBOX_ESCAPES = [
    "{{ ''.__class__ }}",
    "{{ ''.__class__.__mro__[1].__subclasses__() }}",
    "{{ input.opaque.__dict__ }}",
    "{{ input.opaque._secret }}",
    "{{ now.__globals__ }}",
    "{{ now().__class__ }}",
    "{{ today().replace.__self__ }}",
    "{{ (input.missing).__class__ }}",
    "{{ input.missing.__init__.__globals__ }}",
    "{{ nobody.__class__ }}",
    "{{ ('2026-01-31' | date).__class__.__subclasses__() }}",
    "{{ input['__class__'] }}",
    "{{ input.empty.__class__.__base__ }}",
    "{{ namespace.__init__.__globals__ }}",
    "{{ '{0.__class__}'.format(input) }}",
    "{{ dict.__subclasses__() }}",
    "{{ range.__self__ }}",
    "{{ input.flag.__class__ }}",
]


@pytest.mark.parametrize("source", SANDBOX_ESCAPES)
def test_sandbox_escapes_are_refused_not_rendered_empty(source):
    with pytest.raises(ExpressionError) as caught:
        evaluate(source, NAMES, dates=DATES)
    # "refused" when a loaded machine spends the time budget first: refused all the same.
    assert caught.value.reason in ("unsafe", "error", "missing", "refused")
    assert "__" not in (caught.value.message.split("(")[0])


FORMAT_BOMBS = [
    "{{ now() | format_date('%999999999Y') }}",
    "{{ now() | format_date('%0999999999d') }}",
    "{{ now() | format_date('%-999999999H') }}",
    "{{ now() | format_date('%^999999999a') }}",
    "{{ now() | format_date('%Y' * 100000) }}",
    "{{ '01' | date('%999999999d') }}",
    "{{ input.huge | format_date }}",
    "{{ input.huge | date }}",
    "{{ [input.huge, input.huge] | tojson }}",
    "{{ input.huge ~ input.huge }}",
    "{{ [input.deep] * 1000000 }}",
    "{{ input | tojson(1000000) }}",
]


@pytest.mark.parametrize("source", FORMAT_BOMBS)
def test_format_bombs_and_huge_values_are_refused_before_they_are_built(source):
    with pytest.raises(ExpressionError):
        evaluate(source, NAMES, dates=DATES)


def test_odd_values_in_text_read_as_json_or_fail_with_the_path():
    assert evaluate("{{ input.set }}", NAMES) == {1, 2, 3}  # made JSON when the step ends (D3)
    assert evaluate("S {{ input.set }}", NAMES) == "S [1,2,3]"
    assert evaluate("B {{ input.bytes }}", NAMES) == 'B {"$bytes":"AP8="}'
    assert evaluate("D {{ input.decimal }}", NAMES) == "D 1.1"
    assert evaluate("U {{ input.uuid }}", NAMES) == "U 00000000-0000-0000-0000-000000000001"
    assert evaluate("N {{ input.nan }} {{ input.inf }}", NAMES) == "N NaN Infinity"
    with pytest.raises(ExpressionError, match="has no JSON form"):
        evaluate("O {{ [input.opaque] }}", NAMES)
