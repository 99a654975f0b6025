"""A `logic.sub_workflow` step parks its run until the child run ends, on a real worker."""

from __future__ import annotations

import pytest

from tests.workflows.conftest import edge, node
from tests.workflows.processes import start_worker, wait_until
from workflows import services
from workflows.models import Execution

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.slow]


def child_flow(fail: bool = False) -> dict:
    last = (
        node("double", "logic.fail", {"code": "NOPE", "message": "child refused"})
        if fail
        else node("double", "data.set", {"fields": {"doubled": "{{ input.x * 2 }}"}})
    )
    return {"nodes": [node("start", "trigger.manual"), last], "edges": [edge("start", "double")]}


def parent_flow(child_id: str) -> dict:
    return {
        "nodes": [
            node("start", "trigger.manual"),
            node("call", "logic.sub_workflow", {"workflow_id": child_id, "input": {"x": "{{ input.x }}"}}),
            node("use", "data.set", {"fields": {"result": "{{ input.doubled }}"}}),
        ],
        "edges": [edge("start", "call"), edge("call", "use")],
    }


def run_to_the_end(workflow, payload) -> Execution:
    worker = start_worker()
    try:
        execution = services.start_execution(workflow, input=payload, version=None)
        wait_until(lambda: Execution.objects.get(pk=execution.pk).is_terminal, timeout=60, what="the parent run")
    finally:
        worker.stop()
    return Execution.objects.get(pk=execution.pk)


def test_the_parent_waits_for_the_child_and_continues_with_its_output(make_workflow):
    child = make_workflow(name="Child", definition=child_flow())
    parent = make_workflow(name="Parent", definition=parent_flow(child.id))
    execution = run_to_the_end(parent, {"x": 21})
    assert execution.status == "completed" and execution.output == {"result": 42}
    child_run = Execution.objects.get(parent=execution)
    assert child_run.status == "completed" and child_run.mode == "sub_workflow"
    assert child_run.input == {"x": 21}


def test_a_failed_child_fails_the_parent_with_a_clear_error(make_workflow):
    child = make_workflow(name="Child", definition=child_flow(fail=True))
    parent = make_workflow(name="Parent", definition=parent_flow(child.id))
    execution = run_to_the_end(parent, {"x": 1})
    assert execution.status == "failed"
    assert execution.error["code"] == "SUB_WORKFLOW_FAILED" and execution.error["node_id"] == "call"
