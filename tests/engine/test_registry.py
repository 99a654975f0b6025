from __future__ import annotations

import pytest
from jsonschema import Draft202012Validator

from workflows.engine import NodeContext, NodeRegistry, NodeResult, NodeType, default_registry

EXPECTED_TYPES = {
    "trigger.manual", "trigger.webhook", "trigger.schedule", "trigger.form", "trigger.message", "trigger.error",
    "logic.if", "logic.switch", "logic.merge", "logic.for_each", "logic.wait", "logic.wait_for_event",
    "logic.sub_workflow", "logic.succeed", "logic.fail", "data.set", "http.request", "chat.message", "chat.ask",
    "chat.form",
    "function.call",
}  # fmt: skip


def test_the_default_registry_holds_every_built_in_type():
    assert {t.type for t in default_registry().all()} == EXPECTED_TYPES


@pytest.mark.parametrize("node_type", default_registry().all(), ids=lambda t: t.type)
def test_each_schema_is_valid_and_accepts_its_example(node_type):
    Draft202012Validator.check_schema(node_type.config_schema)
    assert list(Draft202012Validator(node_type.config_schema).iter_errors(node_type.example)) == []
    assert node_type.check_config(node_type.example) == []


def test_describe_serves_what_the_editor_needs():
    described = {d["type"]: d for d in default_registry().describe()}
    http = described["http.request"]
    assert set(http) == {
        "type",
        "category",
        "label",
        "description",
        "inputs",
        "outputs",
        "config_schema",
        "example",
        "retry_schema",
        "default_retry",
    }
    assert http["config_schema"]["properties"]["url"]["x-expression"] is True
    assert http["config_schema"]["properties"]["credential"]["x-credential-types"] == [
        "bearer",
        "basic",
        "api_key",
        "oauth2_token",
    ]
    assert described["trigger.manual"]["inputs"] == []


def test_ports_include_switch_cases_and_the_error_port():
    registry = default_registry()
    assert registry.get("logic.switch").output_ports({"cases": ["a", True]}) == [
        "a",
        "true",
        "default",
        "error",
    ]
    assert registry.get("trigger.webhook").output_ports({}) == ["out"]


def test_integrations_can_register_more_types_and_use_services(run, registry):
    class Shout(NodeType):
        type = "demo.shout"
        category = "action"
        label = "Shout"

        def run(self, ctx: NodeContext) -> NodeResult:
            return NodeResult(output=ctx.services["loudener"](ctx.input))

    registry.register(Shout)
    definition = {
        "nodes": [{"id": "start", "type": "trigger.manual"}, {"id": "s", "type": "demo.shout"}],
        "edges": [{"id": "e", "source": "start", "source_port": "out", "target": "s"}],
    }
    assert run(definition, "hi", services={"loudener": str.upper}).output == "HI"


def test_it_refuses_to_register_a_type_twice():
    registry = NodeRegistry()
    registry.register(type("A", (NodeType,), {"type": "x.a"}))
    with pytest.raises(ValueError, match="already registered"):
        registry.register(type("B", (NodeType,), {"type": "x.a"}))


def test_a_definition_round_trips_through_its_canonical_json():
    from workflows.engine import Definition

    data = {
        "nodes": [
            {
                "id": "start",
                "type": "trigger.webhook",
                "name": "New lead",
                "config": {},
                "position": {"x": 0, "y": 0},
            },
            {
                "id": "call",
                "type": "http.request",
                "name": "Call",
                "config": {"url": "https://x"},
                "position": {"x": 1, "y": 2},
                "retry": {
                    "max_attempts": 3,
                    "backoff_seconds": 1,
                    "backoff_multiplier": 2,
                    "max_delay_seconds": 10,
                },
                "timeout_seconds": 30,
            },
        ],
        "edges": [{"id": "e1", "source": "start", "source_port": "out", "target": "call"}],
        "variables": {"threshold": 100},
        "settings": {"timeout_seconds": 3600, "max_steps": 10000},
    }
    definition = Definition.from_dict(data)
    assert definition.node("call").retry.delay_before(3) == 2
    assert definition.to_dict() == data
