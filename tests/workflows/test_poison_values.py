"""A value that is not JSON never wedges a run on the real job function and the ORM journal."""

from __future__ import annotations

import pytest

from tests.workflows.conftest import edge, node
from workflows import services
from workflows.models import ExecutionStep

pytestmark = pytest.mark.django_db


def set_flow(expression: str) -> dict:
    return {
        "nodes": [node("start", "trigger.manual"), node("set", "data.set", {"fields": {"x": expression}})],
        "edges": [edge("start", "set")],
    }


def run_flow(make_workflow, run_now, expression: str, payload: dict):
    workflow = make_workflow(definition=set_flow(expression))
    execution = services.start_execution(workflow, input=payload, version=None)
    run_now(execution.id)
    execution.refresh_from_db()
    return execution


def test_a_data_key_named_like_a_dict_method_gives_the_data(make_workflow, run_now):
    execution = run_flow(make_workflow, run_now, "{{ input.items }}", {"items": [1, 2]})
    assert execution.status == "completed", execution.error
    assert execution.output == {"x": [1, 2]}


@pytest.mark.parametrize("expression", ["{{ self }}", "{{ input.keys }}", "{{ [1, 2] | map('string') }}"])
def test_a_value_that_is_not_json_fails_the_run_and_leaves_no_step_running(make_workflow, run_now, expression):
    execution = run_flow(make_workflow, run_now, expression, {"items": [1, 2]})
    assert execution.status == "failed"
    assert execution.error["code"] == "OUTPUT_NOT_JSON"
    assert execution.error["node_id"] == "set"
    assert "output.x" in execution.error["message"]
    assert execution.lease_owner == ""
    statuses = list(ExecutionStep.objects.filter(execution=execution, node_id="set").values_list("status", flat=True))
    assert statuses == ["failed"]


def test_the_execution_object_in_an_expression_is_stored_as_json(make_workflow, run_now):
    execution = run_flow(make_workflow, run_now, "{{ execution }}", {})
    assert execution.status == "completed", execution.error
    assert execution.output["x"]["id"] == execution.id
    assert execution.output["x"]["started_at"].startswith(str(execution.started_at.date()))
