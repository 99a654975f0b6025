"""The editor's test data: what "Test step" runs and what an expression preview sees (D24).

Pure: the host hands in the draft and the outputs of the run the data comes from
(`{node id: {"output", "port"}}`); pinned data in the draft wins over the run's.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from datetime import datetime
from typing import Any

from .definition import Definition
from .expression_checks import Upstream
from .expression_dates import zone_named
from .expressions import ExpressionError, date_helpers, evaluate
from .registry import NodeRegistry
from .values import NotJson, to_json_value


class NoTestData(Exception):
    """Nodes before the one to test have neither pinned data nor an output in the run."""

    def __init__(self, node_ids: list[str]) -> None:
        super().__init__(", ".join(node_ids))
        self.node_ids = node_ids


def step_definition(
    definition: Mapping[str, Any], node_id: str, run_outputs: Mapping[str, Mapping[str, Any]], registry: NodeRegistry
) -> dict[str, Any]:
    """The definition "Test step" runs: the node and what leads to it, every step before it pinned.

    Each pinned step leaves by the port that leads towards the node (so a branch the last
    run did not take can be tested); triggers without data run with the run's input.
    Raises KeyError for an unknown node, NoTestData naming the steps that lack data.
    """
    parsed = Definition.from_dict(definition)
    parsed.node(node_id)
    before = Upstream(parsed.edges).of(node_id)
    keep = before | {node_id}
    pinned: dict[str, Any] = {}
    missing: list[str] = []
    for node in parsed.nodes:
        if node.id not in before:
            continue
        entry = parsed.pinned.get(node.id) or run_outputs.get(node.id)
        node_type = registry.get(node.type)
        if entry is None:
            if node_type is None or not node_type.is_trigger:
                missing.append(node.id)
            continue
        towards = next(e.source_port for e in parsed.edges if e.source == node.id and e.target in keep)
        pinned[node.id] = {"output": entry.get("output"), "port": towards}
    if missing:
        raise NoTestData(missing)
    return {
        **parsed.to_dict(),
        "nodes": [n.to_dict() for n in parsed.nodes if n.id in keep],
        "edges": [e.to_dict() for e in parsed.edges if e.source in keep and e.target in keep],
        "pinned": pinned,
    }


def preview_names(
    definition: Mapping[str, Any],
    node_id: str,
    *,
    trigger: Any,
    run_outputs: Mapping[str, Mapping[str, Any]],
    run_input: Any = None,
    execution: Mapping[str, Any] | None = None,
) -> dict[str, Any]:
    """The names a node's expressions see, from pinned data over the run's outputs.

    `input` is the node's own input in the run when there is one, else the output of the
    first step before it that has data (pinned data first).
    """
    parsed = Definition.from_dict(definition)
    outputs = {**run_outputs, **parsed.pinned}
    steps = {key: {"output": entry.get("output")} for key, entry in outputs.items()}
    node_input = run_input
    sources = [e.source for e in parsed.edges if e.target == node_id]
    pinned_source = next((s for s in sources if s in parsed.pinned), None)
    if pinned_source is not None or node_input is None:
        chosen = pinned_source or next((s for s in sources if s in outputs), None)
        node_input = outputs[chosen].get("output") if chosen else {}
    return {
        "input": node_input,
        "trigger": trigger,
        "steps": steps,
        "vars": parsed.variables,
        "execution": dict(execution or {}),
        "loop": None,
    }


def preview_value(
    text: str, names: Mapping[str, Any], settings: Mapping[str, Any], clock: Callable[[], datetime]
) -> tuple[Any, str | None]:
    """(value, None) as the engine would render `text` with these names, or (None, the error in words)."""
    try:
        zone = zone_named(settings.get("timezone"))
        return to_json_value(evaluate(text, names, dates=date_helpers(clock, zone)), "value"), None
    except ExpressionError as exc:
        return None, exc.message
    except (ValueError, NotJson) as exc:
        return None, str(exc)
