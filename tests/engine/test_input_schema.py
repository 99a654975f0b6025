"""A trigger's input_schema: checked as a schema at validation, applied to payloads with paths."""

from __future__ import annotations

from workflows.engine import default_registry, validate_definition
from workflows.engine.input_schema import input_problems, input_schema_of, schema_problems

AMOUNT = {
    "type": "object",
    "required": ["amount"],
    "properties": {
        "amount": {"type": "number", "minimum": 0},
        "email": {"type": "string", "format": "email"},
        "items": {"type": "array", "items": {"$ref": "#/$defs/item"}},
    },
    "$defs": {"item": {"type": "object", "required": ["qty"], "properties": {"qty": {"type": "integer"}}}},
}


def flow(trigger_type: str, config: dict) -> dict:
    return {"nodes": [{"id": "start", "type": trigger_type, "config": config}], "edges": []}


def problems_of(definition: dict) -> list[tuple[str, str]]:
    return [(problem.path, problem.code) for problem in validate_definition(definition, default_registry())]


def test_a_valid_schema_passes_validation_on_manual_and_webhook_triggers():
    assert problems_of(flow("trigger.manual", {"input_schema": AMOUNT})) == []
    assert problems_of(flow("trigger.webhook", {"input_schema": AMOUNT})) == []


def test_a_schema_that_breaks_the_meta_schema_is_refused_with_its_path():
    found = problems_of(flow("trigger.manual", {"input_schema": {"properties": {"amount": {"type": "nonsense"}}}}))
    assert found == [("nodes[0].config.input_schema.properties.amount.type", "INVALID_NODE_CONFIG")]
    assert problems_of(flow("trigger.manual", {"input_schema": "an object please"}))[0][1] == "INVALID_NODE_CONFIG"


def test_references_must_stay_inside_the_schema_and_point_somewhere():
    remote = {"properties": {"a": {"$ref": "http://169.254.169.254/latest/meta-data"}}}
    dangling = {"properties": {"a": {"$ref": "#/$defs/missing"}}}
    anchored = {"$defs": {"x": {"$anchor": "thing", "type": "string"}}, "properties": {"a": {"$ref": "#thing"}}}
    assert schema_problems(remote)[0][0] == ".properties.a.$ref"
    assert "only references inside this schema" in schema_problems(remote)[0][1]
    assert "points at nothing" in schema_problems(dangling)[0][1]
    assert schema_problems(anchored) == []


def test_an_oversized_schema_is_refused():
    huge = {"properties": {f"field{n}": {"type": "string", "description": "x" * 100} for n in range(1000)}}
    assert "limit" in schema_problems(huge)[0][1]


def test_triggers_without_a_payload_to_check_do_not_take_one():
    found = problems_of(flow("trigger.schedule", {"cron": "* * * * *", "input_schema": AMOUNT}))
    assert [code for _, code in found] == ["INVALID_NODE_CONFIG"]


def test_payload_failures_name_the_path_of_the_value():
    assert input_problems(AMOUNT, {"amount": 3, "items": [{"qty": 1}]}, "input") == []
    [wrong_type] = input_problems(AMOUNT, {"amount": "lots"}, "input")
    assert wrong_type.path == "input.amount"
    assert "is not of type 'number'" in wrong_type.message
    assert [p.path for p in input_problems(AMOUNT, {}, "input")] == ["input.amount"]
    assert [p.path for p in input_problems(AMOUNT, {"amount": 1, "items": [{"qty": "x"}]}, "body")] == [
        "body.items[0].qty"
    ]
    assert [p.path for p in input_problems(AMOUNT, {"amount": 1, "email": "not an address"}, "input")] == [
        "input.email"
    ]
    assert [p.path for p in input_problems(AMOUNT, None, "body")] == ["body"]


def test_a_stored_schema_with_a_remote_reference_fetches_nothing_and_fails_cleanly():
    [problem] = input_problems({"$ref": "http://127.0.0.1:9/schema.json"}, {}, "input")
    assert problem.path == "input"
    assert "cannot be applied" in problem.message


def test_the_schema_is_found_on_the_trigger_node():
    definition = flow("trigger.manual", {"input_schema": AMOUNT})
    assert input_schema_of(definition, "start") == AMOUNT
    assert input_schema_of(definition, "other") is None
    assert input_schema_of(flow("trigger.manual", {}), "start") is None
