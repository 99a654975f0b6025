"""Expressions behave as a builder expects (issue 16, item 6; docs/design.md D16)."""

from __future__ import annotations

from datetime import UTC, date, datetime
from zoneinfo import ZoneInfo

import pytest

from workflows.engine import ExpressionError
from workflows.engine.expressions import date_helpers, evaluate

NAMES = {
    "input": {"amount": 150, "tags": ["a", "b"], "name": "Ada", "flag": True, "nothing": None, "obj": {"a": 1}},
    "trigger": {"from": "+34"},
    "steps": {"check": {"output": {"ok": True}}},
    "vars": {"threshold": 100},
    "execution": {"id": "exec-1"},
    "loop": None,
}


# ---- values in text are JSON; a whole-field expression keeps its type ----------------------


@pytest.mark.parametrize(
    ("source", "expected"),
    [
        ("Flag: {{ input.flag }}", "Flag: true"),
        ("Off: {{ not input.flag }}", "Off: false"),
        ("Nothing: {{ input.nothing }}", "Nothing: null"),
        ("Tags: {{ input.tags }}", 'Tags: ["a","b"]'),
        ("Obj: {{ input.obj }}", 'Obj: {"a":1}'),
        ("Name: {{ input.name }}", "Name: Ada"),
        ("Half: {{ 5 / 2 }}, whole: {{ 4 / 2 }}", "Half: 2.5, whole: 2"),
        ('{"tags": {{ input.tags }}, "flag": {{ input.flag }}}', '{"tags": ["a","b"], "flag": true}'),
        ("Ünïcode: {{ ['é'] }}", 'Ünïcode: ["é"]'),
    ],
)
def test_values_render_into_text_as_json(source, expected):
    assert evaluate(source, NAMES) == expected


@pytest.mark.parametrize(
    ("source", "expected"),
    [
        ("{{ input.flag }}", True),
        ("{{ input.nothing }}", None),
        ("{{ input.tags }}", ["a", "b"]),
        ("{{ 4 / 2 }}", 2.0),
        (" {{ input.amount }} ", 150),
    ],
)
def test_a_whole_field_expression_keeps_its_type(source, expected):
    result = evaluate(source, NAMES)
    assert result == expected and type(result) is type(expected)


def test_a_json_body_built_from_text_is_valid_json():
    import json

    body = evaluate('{"name": {{ input.name | tojson }}, "tags": {{ input.tags }}, "n": {{ input.nothing }}}', NAMES)
    assert json.loads(body) == {"name": "Ada", "tags": ["a", "b"], "n": None}


# ---- missing keys --------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("source", "expected"),
    [
        ("{{ input.x or 'y' }}", "y"),
        ("{{ input.x | default('y') }}", "y"),
        ("{{ input.nothing | default('x') }}", "x"),
        ("{{ none | default('x') }}", "x"),
        ("{{ input.name | default('x') }}", "Ada"),
        ("{{ '' | default('x') }}", ""),
        ("{{ '' | default('x', true) }}", "x"),
        ("{{ input.x is defined }}", False),
        ("{{ input.amount is defined }}", True),
        ("{{ input.x is none }}", True),
        ("{{ input.x == none }}", True),
        ("{{ input.customer.name | default('anon') }}", "anon"),
        ("{{ input.x }}", None),
        ("{{ [input.x, 1] }}", [None, 1]),
        ("{{ input.x | length }}", 0),
        ("{{ 'vip' in input.x }}", False),
        ("{{ input._id | default('none') }}", "none"),
    ],
)
def test_a_missing_key_is_a_missing_value_not_an_error(source, expected):
    assert evaluate(source, NAMES) == expected


def test_a_missing_key_renders_as_empty_text_inside_text():
    assert evaluate("Hi {{ input.nickname }}!", NAMES) == "Hi !"


@pytest.mark.parametrize(
    ("source", "message"),
    [
        ("{{ input.total > 100 }}", "Total is missing from the input"),
        ("{{ input.total + 1 }}", "Total is missing from the input"),
        ("{{ trigger.amount * 2 }}", "Amount is missing from the trigger data"),
        ("{{ vars.limit > 1 }}", "Limit is missing from the workflow variables"),
        ("{{ steps.check.output.count > 1 }}", "Count is missing from the output of step “check”"),
        ("{{ input.obj.b - 1 }}", "B is missing from input.obj"),
        ("{{ input.name.first + 'x' }}", "“first” can't be read from text (“Ada”)"),
        ("{{ input.nothing.first + 1 }}", "“first” can't be read from null (an empty value)"),
        ("{{ steps.later.output.x + 1 }}", "Step “later” has no output here"),
        ("{{ inptu.amount }}", "“inptu” is not a name expressions know (use input, trigger, steps, vars,"),
        ("Hi {{ inptu }}", "“inptu” is not a name expressions know"),
    ],
)
def test_using_a_missing_value_fails_in_plain_words(source, message):
    with pytest.raises(ExpressionError) as caught:
        evaluate(source, NAMES, field="condition")
    assert caught.value.message.startswith(message)
    assert caught.value.field == "condition"
    assert caught.value.reason == "missing"


# ---- tojson ---------------------------------------------------------------------------------


def test_tojson_is_plain_json_text_not_html_escaped_markup():
    result = evaluate("{{ {'html': '<b>&\\'</b>'} | tojson }}", NAMES)
    assert result == '{"html":"<b>&\'</b>"}'
    assert type(result) is str


def test_tojson_indents_and_turns_dates_and_missing_values_into_json():
    assert evaluate("{{ [1] | tojson(2) }}", NAMES) == "[\n  1\n]"
    assert evaluate("{{ {'d': '2026-01-31' | date, 'x': input.x} | tojson }}", NAMES) == '{"d":"2026-01-31","x":null}'


# ---- booleans are not numbers ----------------------------------------------------------------


@pytest.mark.parametrize(
    ("source", "expected"),
    [
        ("{{ true is number }}", False),
        ("{{ 1 is number }}", True),
        ("{{ 1.5 is number }}", True),
        ("{{ true is integer }}", False),
        ("{{ true == 1 }}", False),
        ("{{ false == 0 }}", False),
        ("{{ true != 1 }}", True),
        ("{{ [true] == [1] }}", False),
        ("{{ {'a': false} == {'a': 0} }}", False),
        ("{{ 1 in [true] }}", False),
        ("{{ true in [true] }}", True),
        ("{{ 1 == 1.0 }}", True),
        ("{{ 1 < 2 < 3 }}", True),
        ("{{ 3 > 2 > 2 }}", False),
        ("{{ [1, true, 2] | select('eq', 1) | list }}", [1]),
        ("{{ true and 1 == 1 }}", True),
    ],
)
def test_booleans_are_not_numbers(source, expected):
    assert evaluate(source, NAMES) == expected


@pytest.mark.parametrize("source", ["{{ true > 0 }}", "{{ 1 <= false }}", "{{ true + 1 }}", "{{ input.flag * 3 }}"])
def test_ordering_or_arithmetic_with_a_boolean_is_an_error(source):
    with pytest.raises(ExpressionError, match="not numbers"):
        evaluate(source, NAMES)


def test_comparing_text_with_a_number_says_so():
    with pytest.raises(ExpressionError) as caught:
        evaluate("{{ input.name > 3 }}", NAMES)
    assert caught.value.message == "Can't compare a text with a number using >"


# ---- dates and times --------------------------------------------------------------------------

NOW = datetime(2026, 1, 31, 23, 30, tzinfo=UTC)
UTC_DATES = date_helpers(lambda: NOW, UTC)
MADRID_DATES = date_helpers(lambda: NOW, ZoneInfo("Europe/Madrid"))


@pytest.mark.parametrize(
    ("source", "expected"),
    [
        ("{{ now() }}", NOW),
        ("{{ today() }}", date(2026, 1, 31)),
        ("{{ '2026-01-31' | date }}", date(2026, 1, 31)),
        ("{{ '31/01/2026' | date('%d/%m/%Y') }}", date(2026, 1, 31)),
        ("{{ '2026-01-31T10:15:00Z' | date }}", date(2026, 1, 31)),
        ("{{ '2026-01-31' | format_date('%d %b %Y') }}", "31 Jan 2026"),
        ("{{ now() | format_date('%Y-%m-%d %H:%M') }}", "2026-01-31 23:30"),
        ("{{ '2026-01-31' | add_days(1) }}", date(2026, 2, 1)),
        ("{{ '2026-03-01' | add_days(-1) | format_date }}", "2026-02-28"),
        ("{{ now() | add_hours(2) | format_date('%d %H:%M') }}", "01 01:30"),
        ("{{ now() | add_minutes(-30) | format_date('%H:%M') }}", "23:00"),
        ("{{ days_between('2026-01-01', '2026-01-31') }}", 30),
        ("{{ days_between(today(), '2026-01-01') }}", -30),
        ("{{ seconds_between('2026-01-31T00:00:00Z', '2026-01-31T00:01:30Z') }}", 90),
        ("{{ '2026-02-01' | date > today() }}", True),
        ("{{ 0 | datetime | format_date('%Y') }}", "1970"),
        ("Due {{ '2026-01-31' | date | add_days(3) }}", "Due 2026-02-03"),
        ("At {{ now() }}", "At 2026-01-31T23:30:00+00:00"),
    ],
)
def test_date_helpers_in_utc(source, expected):
    assert evaluate(source, NAMES, dates=UTC_DATES) == expected


@pytest.mark.parametrize(
    ("source", "expected"),
    [
        # 23:30 UTC is already 1 February in Madrid (UTC+1 in winter).
        ("{{ today() }}", date(2026, 2, 1)),
        ("{{ now() | format_date('%d %H:%M %Z') }}", "01 00:30 CET"),
        ("{{ '2026-01-31T23:30:00Z' | date }}", date(2026, 2, 1)),
        ("{{ '2026-01-31T09:00' | datetime | format_date('%H:%M %z') }}", "09:00 +0100"),
        # Across the DST change a day is 23 hours, and add_days keeps the wall-clock time.
        ("{{ '2026-03-28T12:00' | datetime | add_days(1) | format_date('%d %H:%M %z') }}", "29 12:00 +0200"),
        ("{{ seconds_between('2026-03-29T00:00', '2026-03-30T00:00') }}", 82800),
    ],
)
def test_date_helpers_in_the_workflow_time_zone(source, expected):
    assert evaluate(source, NAMES, dates=MADRID_DATES) == expected


@pytest.mark.parametrize(
    ("source", "message"),
    [
        ("{{ 'next tuesday' | date }}", "“next tuesday” is not a date and time"),
        ("{{ '31/01/2026' | date('%Y-%m-%d') }}", "“31/01/2026” does not match the format '%Y-%m-%d'"),
        ("{{ true | date }}", "True is not a date"),
        ("{{ '2026-01-31' | add_days('1') }}", "Add_days needs a number"),
        ("{{ '2026-01-31' | add_days(true) }}", "Add_days needs a number"),
        ("{{ '9999-12-31' | add_days(1) }}", "The date would leave the calendar"),
        ("{{ '2026-01-31' | add_days(10 ** 9) }}", "Add_days(1000000000) moves too far"),
        ("{{ now() | format_date('%1000000Y') }}", "'%1' is not a date format code we support"),
        ("{{ now() | format_date('%_9999Y') }}", "'%_' is not a date format code we support"),
        ("{{ now() | format_date('%Y' * 300) }}", "A date format is at most 200 characters"),
        ("{{ (10 ** 30) | datetime }}", "A very large number is out of range for Unix seconds"),
    ],
)
def test_date_helpers_refuse_bad_values_in_plain_words(source, message):
    with pytest.raises(ExpressionError) as caught:
        evaluate(source, NAMES, dates=UTC_DATES)
    assert caught.value.message.startswith(message), caught.value.message


def test_without_run_helpers_now_reads_the_real_clock_in_utc():
    before = datetime.now(UTC)
    value = evaluate("{{ now() }}", NAMES)
    assert value.tzinfo is not None and value.utcoffset().total_seconds() == 0
    assert value >= before


# ---- syntax and other runtime errors in plain words ---------------------------------------------


@pytest.mark.parametrize(
    ("source", "message"),
    [
        ("{{ input.amount > }}", "The expression has a syntax error: "),
        ("{{ $json.amount }}", "The expression has a syntax error: n8n's $json is written input here"),
        ("{{ input.name + 1 }}", "Can't add a number to text: join text with ~"),
        ("{{ 1 + input.name }}", "Can't use + with a number and text"),
        ("{{ input.amount / 0 }}", "Division by zero"),
        ("{{ input.name() }}", "Text is not a function"),
        ("{{ input.__class__ }}", "This expression reaches for something that is not allowed (__class__)"),
        ("{{ range(100000) | list }}", "This expression does too much: range() over more than"),
    ],
)
def test_errors_are_sentences(source, message):
    with pytest.raises(ExpressionError) as caught:
        evaluate(source, NAMES)
    assert caught.value.message.startswith(message), caught.value.message
