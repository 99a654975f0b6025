"""The editor's test data on the host: "Test step" runs and expression previews (D24).

Both read the draft and a run of the workflow (the one named, else the newest): pinned data
in the draft wins over the run's outputs. A test step is an ordinary test run (mode "test":
counted apart, like the editor's Run) of the node and what leads to it, every step before
it pinned, so the engine runs exactly one node.
"""

from __future__ import annotations

from typing import Any

from django.utils import timezone

from workflows.engine.editor_data import preview_names, preview_value, step_definition
from workflows.models import TEST_MODE, Execution, Workflow
from workflows.nodes import get_registry
from workflows.services import pick_trigger, start_execution


class UnknownExecution(Exception):
    """The run named is not one of this workflow's."""


def source_execution(workflow: Workflow, execution_id: str | None) -> Execution | None:
    """The run the data comes from: the one named (it must be this workflow's), else the newest."""
    runs = Execution.objects.filter(workflow=workflow)
    if execution_id:
        found = runs.filter(pk=execution_id).first()
        if found is None:
            raise UnknownExecution(execution_id)
        return found
    return runs.order_by("-created_at", "-id").first()


def run_outputs(execution: Execution | None) -> dict[str, dict[str, Any]]:
    """{node id: {"output", "port"}} of the run's steps that succeeded (outside loops), last attempt."""
    if execution is None:
        return {}
    steps = execution.steps.filter(status="succeeded").order_by("attempt", "id")
    return {
        step.node_id: {"output": step.output, "port": step.output_port}
        for step in steps.only("node_id", "step_key", "output", "output_port")
        if step.step_key == step.node_id
    }


def start_test_step(workflow: Workflow, node_id: str, execution_id: str | None, actor=None) -> Execution:
    """Queue a test run of one node; raises KeyError (unknown node), NoTestData, UnknownExecution, DefinitionError."""
    source = source_execution(workflow, execution_id)
    definition = step_definition(workflow.definition, node_id, run_outputs(source), get_registry())
    trigger = pick_trigger(definition, None)
    if source is not None:
        run_input = source.input
    else:
        config = next(n.get("config") or {} for n in definition["nodes"] if n["id"] == trigger)
        run_input = config.get("sample_input", {})
    return start_execution(
        workflow, input=run_input, version=None, mode=TEST_MODE, actor=actor, trigger_node_id=trigger,
        definition=definition,
    )


def preview_expression(workflow: Workflow, node_id: str, text: str, execution_id: str | None) -> dict[str, Any]:
    """What `text` gives in `node_id`'s settings with the run's data and the draft's pins."""
    definition = workflow.definition
    if not any(isinstance(n, dict) and n.get("id") == node_id for n in definition.get("nodes") or []):
        raise KeyError(node_id)
    source = source_execution(workflow, execution_id)
    own_step = source.steps.filter(step_key=node_id).order_by("-attempt").first() if source else None
    names = preview_names(
        definition,
        node_id,
        trigger=source.input if source else {},
        run_outputs=run_outputs(source),
        run_input=own_step.input if own_step else None,
        execution={"id": source.id, "workflow_id": workflow.id, "mode": source.mode} if source else {},
    )
    value, error = preview_value(text, names, definition.get("settings") or {}, timezone.now)
    pinned = definition.get("pinned") if isinstance(definition.get("pinned"), dict) else {}
    edges = [e for e in definition.get("edges") or [] if isinstance(e, dict)]
    feeding = {e.get("source") for e in edges if e.get("target") == node_id}
    data_from = "pinned" if feeding & set(pinned) else ("run" if source else "none")
    return {"value": value, "error": error, "data_from": data_from, "execution_id": source.id if source else None}
