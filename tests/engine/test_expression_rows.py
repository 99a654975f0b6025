"""Rows into text without `{% for %}` (issue 24, problem 2; D22): the `table` and `lines`
filters, and a `{% … %}` statement reported by validation and refused by runs, never passed."""

from __future__ import annotations

import pytest

from tests.engine.test_expression_checks import edge, flow, node, problems_of
from workflows.engine import ExpressionError
from workflows.engine.expressions import evaluate, render_config

ROWS = [{"id": 7, "customer": "Ada", "total": 12.5}, {"id": 9, "customer": "Grace Hopper", "total": None}]
COLUMNS = [{"name": "id", "type": "int4"}, {"name": "customer", "type": "text"}, {"name": "total", "type": "numeric"}]


def test_table_lists_object_rows_under_a_header_of_column_names():
    text = evaluate("{{ input.rows | table }}", {"input": {"rows": ROWS}})
    assert text.splitlines() == [
        "id | customer     | total",
        "---+--------------+------",
        "7  | Ada          | 12.5",
        "9  | Grace Hopper |",
    ]


def test_table_follows_the_columns_given_and_reads_positional_rows():
    names = {"input": {"rows": [[1, "Ada", True]], "columns": COLUMNS}}
    assert evaluate("{{ input.rows | table(input.columns) }}", names).splitlines()[2] == "1  | Ada      | true"
    picked = evaluate("{{ rows | table(['total', 'id']) }}", {"rows": ROWS}).splitlines()
    assert picked[0] == "total | id" and picked[2] == "12.5  | 7"


def test_lines_fills_each_row_by_column_name():
    text = evaluate("{{ input.rows | lines('Order {id} for {customer}: {total}') }}", {"input": {"rows": ROWS}})
    assert text == "Order 7 for Ada: 12.5\nOrder 9 for Grace Hopper: "
    assert evaluate("{{ [[1, 'a']] | lines('{1}#{0}', ', ') }}", {}) == "a#1"


def test_a_placeholder_is_a_column_name_only_never_an_attribute():
    assert evaluate("{{ input.rows | lines('[{id.__class__}]', ',') }}", {"input": {"rows": ROWS}}) == "[],[]"


@pytest.mark.parametrize(
    "source",
    [
        "{{ [[1]] | lines('{id}') }}",  # lists are read by position
        "{{ [[1]] | table }}",  # lists need their column names
        "{{ 'text' | table }}",
    ],
)
def test_the_row_filters_refuse_what_they_cannot_read_with_a_sentence(source):
    with pytest.raises(ExpressionError) as failure:
        evaluate(source, {"input": {"rows": ROWS}})
    assert failure.value.reason == "error" and "rows" in failure.value.message.lower()


def test_a_huge_text_is_refused_by_the_size_bound():
    with pytest.raises(ExpressionError) as failure:
        evaluate("{{ rows | lines('{x}') }}", {"rows": [{"x": "y" * 1000}] * 6000})
    assert failure.value.reason == "refused"


def test_a_for_statement_is_reported_by_validation_and_refused_by_a_run():
    """The old alert template's `{% for row in input.rows %}` validated, then could never send."""
    loop = "{% for row in input.rows %}{{ row.id }}{% endfor %}"
    definition = flow(
        node("start", "trigger.manual"),
        node("mail", "data.set", {"fields": {"text": f"Failed: {loop}"}}),
        edges=[edge("start", "mail")],
    )
    [problem] = problems_of(definition)
    assert (problem["path"], problem["code"]) == ("nodes[1].config.fields.text", "EXPRESSION_STATEMENT")
    assert problem["position"] == len("Failed: ")
    assert "| table" in problem["message"]
    with pytest.raises(ExpressionError) as failure:
        render_config({"text": f"Failed: {loop}"}, {"input": {"rows": ROWS}})
    assert failure.value.reason == "statement" and failure.value.field == "text"
