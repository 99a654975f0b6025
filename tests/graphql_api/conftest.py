"""GraphQL fixtures: the workflow factory and flows of the workflow tests, a flow with an input schema."""

from __future__ import annotations

import pytest

from tests.workflows.conftest import edge, make_workflow, node
from workflows import services

__all__ = ["make_workflow"]  # a fixture, shared

ORDER_SCHEMA = {
    "type": "object",
    "required": ["amount"],
    "properties": {"amount": {"type": "number"}, "customer": {"type": "string"}},
}


def order_flow(schema: dict | None = ORDER_SCHEMA) -> dict:
    """manual (with an input schema) → data.set echoing the amount."""
    return {
        "nodes": [
            node("start", "trigger.manual", {"input_schema": schema} if schema else {}),
            node("echo", "data.set", {"fields": {"amount": "{{ input.amount }}"}}),
        ],
        "edges": [edge("start", "echo")],
    }


def failing_flow() -> dict:
    """manual → logic.fail: every run fails at node `boom`."""
    return {
        "nodes": [
            node("start", "trigger.manual"),
            node("boom", "logic.fail", {"code": "ORDER_REJECTED", "message": "Amount too high"}),
        ],
        "edges": [edge("start", "boom")],
    }


@pytest.fixture
def orders(acme, alice):
    """A workflow whose trigger declares ORDER_SCHEMA."""
    return services.create_workflow(acme.default_project, name="Orders", definition=order_flow(), actor=alice)
