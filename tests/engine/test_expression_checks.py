"""Validation reads expressions: syntax, names, variables and step references (issue 16, item 3)."""

from __future__ import annotations

from workflows.engine import default_registry, validate_definition


def node(node_id: str, node_type: str, config: dict | None = None) -> dict:
    return {"id": node_id, "type": node_type, "name": node_id, "config": config or {}}


def edge(source: str, target: str, port: str = "out") -> dict:
    return {"id": f"{source}-{port}-{target}", "source": source, "source_port": port, "target": target}


def flow(*nodes: dict, edges: list[dict], variables: dict | None = None) -> dict:
    return {"nodes": list(nodes), "edges": edges, "variables": variables or {}}


def problems_of(definition: dict) -> list[dict]:
    return [problem.to_dict() for problem in validate_definition(definition, default_registry())]


def test_a_malformed_expression_is_reported_with_its_node_field_and_position():
    definition = flow(
        node("start", "trigger.manual"),
        node("check", "logic.if", {"condition": "{{ input.amount > }}"}),
        edges=[edge("start", "check")],
    )
    [problem] = problems_of(definition)
    assert problem["path"] == "nodes[1].config.condition"
    assert problem["code"] == "EXPRESSION_SYNTAX"
    assert problem["position"] == 0
    assert "{{ input.amount > }}" in problem["message"]


def test_the_position_points_at_the_broken_expression_inside_text():
    text = "Hello {{ trigger.name }}, you owe {{ input.total + }} today"
    definition = flow(
        node("start", "trigger.manual"),
        node("greet", "data.set", {"fields": {"message": text}}),
        edges=[edge("start", "greet")],
    )
    [problem] = problems_of(definition)
    assert problem["path"] == "nodes[1].config.fields.message"
    assert problem["position"] == text.index("{{ input.total")
    assert f"character {text.index('{{ input.total') + 1}" in problem["message"]


def test_an_unclosed_expression_is_a_syntax_error_and_a_statement_is_not_run():
    definition = flow(
        node("start", "trigger.manual"),
        node("a", "data.set", {"fields": {"x": "total: {{ input.total"}}),
        node("b", "data.set", {"fields": {"y": "{% for row in input.rows %}{{ row }}"}}),
        edges=[edge("start", "a"), edge("a", "b")],
    )
    found = {(p["path"], p["code"]) for p in problems_of(definition)}
    assert found == {
        ("nodes[1].config.fields.x", "EXPRESSION_SYNTAX"),
        ("nodes[2].config.fields.y", "EXPRESSION_STATEMENT"),
    }


def test_steps_that_do_not_exist_or_run_later_are_reported():
    definition = flow(
        node("start", "trigger.manual"),
        node("first", "data.set", {"fields": {"a": "{{ steps.second.output.b }}", "c": "{{ steps.nope.output }}"}}),
        node("second", "data.set", {"fields": {"b": "{{ steps['first'].output.a }}"}}),
        edges=[edge("start", "first"), edge("first", "second")],
    )
    found = {(p["path"], p["code"]) for p in problems_of(definition)}
    assert found == {
        ("nodes[1].config.fields.a", "STEP_NOT_BEFORE"),
        ("nodes[1].config.fields.c", "UNKNOWN_STEP"),
    }


def test_a_step_on_another_branch_does_not_run_before():
    definition = flow(
        node("start", "trigger.manual"),
        node("check", "logic.if", {"condition": "{{ input.ok }}"}),
        node("yes", "data.set", {"fields": {"a": 1}}),
        node("no", "data.set", {"fields": {"b": "{{ steps.yes.output.a }}"}}),
        edges=[edge("start", "check"), edge("check", "yes", "true"), edge("check", "no", "false")],
    )
    [problem] = problems_of(definition)
    assert (problem["path"], problem["code"]) == ("nodes[3].config.fields.b", "STEP_NOT_BEFORE")


def test_unknown_names_and_variables_are_reported_and_known_ones_pass():
    definition = flow(
        node("start", "trigger.manual"),
        node(
            "use",
            "data.set",
            {
                "fields": {
                    "typo": "{{ inptu.amount }}",
                    "var": "{{ vars.limit }}",
                    "ok": "{{ input.a }} {{ trigger.b }} {{ vars.threshold }} {{ execution.id }} {{ range(3) | list }}",
                }
            },
        ),
        edges=[edge("start", "use")],
        variables={"threshold": 10},
    )
    found = {(p["path"], p["code"]): p for p in problems_of(definition)}
    assert set(found) == {
        ("nodes[1].config.fields.typo", "UNKNOWN_VARIABLE"),
        ("nodes[1].config.fields.var", "UNKNOWN_VARIABLE"),
    }
    assert "inptu" in found[("nodes[1].config.fields.typo", "UNKNOWN_VARIABLE")]["message"]
    assert "threshold" in found[("nodes[1].config.fields.var", "UNKNOWN_VARIABLE")]["message"]


def test_a_valid_flow_with_expressions_everywhere_has_no_problems():
    definition = flow(
        node("start", "trigger.manual"),
        node("check", "logic.if", {"condition": "{{ input.amount > vars.limit }}"}),
        node("big", "data.set", {"fields": {"total": "{{ steps.start.output.amount * 2 }}"}}),
        edges=[edge("start", "check"), edge("check", "big", "true")],
        variables={"limit": 100},
    )
    assert problems_of(definition) == []
