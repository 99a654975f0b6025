from __future__ import annotations

import pytest

from workflows.engine import ExpressionError
from workflows.engine.expressions import evaluate, render_config

NAMES = {
    "input": {"amount": 150, "tags": ["a", "b"], "name": "Ada"},
    "trigger": {"from": "+34"},
    "steps": {"check": {"output": {"ok": True}}},
    "vars": {"threshold": 100},
    "execution": {"id": "exec-1"},
}


def test_a_lone_expression_keeps_its_native_type():
    assert evaluate("{{ input.tags }}", NAMES) == ["a", "b"]
    assert evaluate("  {{ input.amount > vars.threshold }}  ", NAMES) is True
    assert evaluate("{{ input.amount }}", NAMES) == 150
    assert evaluate("{{ steps.check.output }}", NAMES) == {"ok": True}


def test_a_mixed_string_renders_to_text():
    assert evaluate("Hi {{ input.name }}, {{ input.amount }}!", NAMES) == "Hi Ada, 150!"


def test_it_renders_expressions_through_nested_dicts_and_lists():
    config = {"url": "https://x/{{ execution.id }}", "body": {"ids": ["{{ input.amount }}", 2]}, "n": 3}
    assert render_config(config, NAMES) == {"url": "https://x/exec-1", "body": {"ids": [150, 2]}, "n": 3}


def test_a_failing_expression_names_the_field_path():
    # A missing value is only an error where a value is needed (here: arithmetic).
    with pytest.raises(ExpressionError) as caught:
        render_config({"body": {"items": ["{{ input.missing.deeper + 1 }}"]}}, NAMES)
    assert caught.value.field == "body.items[0]"
    assert caught.value.message == "Missing is missing from the input"


def test_it_reports_syntax_errors():
    with pytest.raises(ExpressionError, match="syntax error"):
        evaluate("{{ input.amount + }}", NAMES, field="url")


@pytest.mark.parametrize(
    "source",
    [
        "{{ input.__class__ }}",
        "{{ input.name.__class__.__mro__ }}",
        "{{ ''.__class__.__mro__[1].__subclasses__() }}",
        "{{ vars.get.__globals__ }}",
        "{{ cycler.__init__.__globals__ }}",
        "{{ '{0.__class__}'.format(input) }}",
        "{{ '{0.__class__.__mro__}'.format_map({'0': input}) }}",
        "{{ input.update({'amount': 1}) }}",
    ],
)
def test_it_refuses_sandbox_escapes(source):
    with pytest.raises(ExpressionError) as caught:
        evaluate(source, NAMES, field="f")
    assert caught.value.field == "f"


@pytest.mark.parametrize(
    ("source", "reason"),
    [
        ("{{ range(100000)|list }}", "range"),
        ("{{ 'x' * 10000000 }}", "repetition"),
        ("{{ [1, 2] * 10000000 }}", "repetition"),
        ("{{ 2 ** 1000000 }}", "power"),
        ("{{ '%999999999s' % 'x' }}", "format width"),
        ("{{ ('x' * 1000)|replace('x', 'y' * 10000) }}", "replace"),
        ("{{ 'x'|center(999999999) }}", "too large"),
    ],
)
def test_it_refuses_resource_blow_ups(source, reason):
    with pytest.raises(ExpressionError, match=reason):
        evaluate(source, NAMES, field="f")


def test_it_refuses_work_past_the_time_budget(monkeypatch):
    from workflows.engine import expressions

    monkeypatch.setattr(expressions, "TIME_BUDGET_SECONDS", -1.0)
    with pytest.raises(ExpressionError, match="took longer"):
        evaluate("{{ input.amount + 1 }}", NAMES, field="f")


def test_statements_are_not_executed():
    # Only {{ }} is evaluated; {% %} stays literal text, so there are no template loops.
    assert evaluate("{% for i in range(3) %}x{% endfor %}", NAMES) == "{% for i in range(3) %}x{% endfor %}"


# Each asks Python to build a string of ~1 GB: refused from the format itself, before any
# character is built (a check on the result's size would come after the allocation).
HUGE_FORMATS = [
    "{{ '%01000000000d'|format(1) }}",
    "{{ '%.900000000f'|format(1.0) }}",
    "{{ '%(a)0999999999d'|format(a=1) }}",
    "{{ '%0999999999d' % 1 }}",
    "{{ '%.999999999s' % 'x' }}",
    "{{ '{:>1000000000}'.format('') }}",
    "{{ '{0:0900000000}'.format(1) }}",
    "{{ '{:x<900000000}'.format('') }}",
    "{{ '{a:.900000000f}'.format_map({'a': 1.0}) }}",
    "{{ 'a{}b'.format('{:>900000000}'.format('')) }}",
]


@pytest.mark.parametrize("source", HUGE_FORMATS)
def test_a_huge_format_width_is_refused_before_the_string_is_built(source):
    with pytest.raises(ExpressionError, match="format width or precision .* is over 10000 characters"):
        evaluate(source, {})


@pytest.mark.parametrize(
    "source", ["{{ '%*d'|format(900000000, 1) }}", "{{ '{:>{w}}'.format('', w=900000000) }}"]
)
def test_a_width_taken_from_the_values_is_refused(source):
    with pytest.raises(ExpressionError, match="width taken from the values"):
        evaluate(source, {})


@pytest.mark.parametrize(
    ("source", "expected"),
    [
        ("{{ '%d'|format(123456789) }}", "123456789"),
        ("{{ '%05.2f'|format(3.14159) }}", "03.14"),
        ("{{ '%-6s|' % 'ab' }}", "ab    |"),
        ("{{ '{:>6}|{:.3f}'.format('ab', 2.5) }}", "    ab|2.500"),
        ("{{ '{:,}'.format(1234567) }}", "1,234,567"),
        ("{{ '{n:0>4}'.format_map({'n': 7}) }}", "0007"),
        ("{{ '100%' }}", "100%"),
    ],
)
def test_ordinary_formats_still_work(source, expected):
    assert evaluate(source, {}) == expected
