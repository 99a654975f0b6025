"""An execution's `logs`: one time-ordered list of what happened, built from the journal.

Nothing new is stored: the run's own times, each step attempt (`ExecutionStep`) and the lines
nodes wrote (`ExecutionLog`) are read back as `{timestamp, level, node_id, message}` entries,
`node_id` null for the run itself. Levels: `info`, `warning` (a retry, a cancel) and
`error` (a failed step or run); node lines keep the level their node gave.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from workflows.models import Execution, ExecutionLog, ExecutionStep

LEVELS = ("debug", "info", "warning", "error")


def entry(timestamp, level: str, node_id: str | None, message: str) -> dict[str, Any]:
    return {"timestamp": timestamp, "level": level, "node_id": node_id, "message": message}


def describe_error(error: dict | None) -> str:
    error = error or {}
    code, message = error.get("code"), error.get("message")
    return ": ".join(str(part) for part in (code, message) if part) or "no details"


def run_opening(execution: Execution) -> Iterable[dict[str, Any]]:
    version = "the draft" if execution.version is None else f"version {execution.version}"
    yield entry(
        execution.created_at, "info", None,
        f"Run created ({execution.mode}, trigger {execution.trigger_node_id}, {version}).",
    )  # fmt: skip
    if execution.started_at:
        yield entry(execution.started_at, "info", None, "Run started.")


def run_closing(execution: Execution) -> dict[str, Any] | None:
    if not execution.completed_at:
        return None
    if execution.status == "completed":
        duration = f" in {execution.duration_ms} ms" if execution.duration_ms is not None else ""
        return entry(execution.completed_at, "info", None, f"Run completed{duration}.")
    if execution.status == "failed":
        return entry(execution.completed_at, "error", None, f"Run failed: {describe_error(execution.error)}.")
    if execution.status == "cancelled":
        return entry(execution.completed_at, "warning", None, "Run cancelled.")
    return None


def step_entries(step: ExecutionStep) -> Iterable[dict[str, Any]]:
    """What one attempt of one step says: it started, then how it ended (if it did)."""
    node, attempt = step.node_id, f"attempt {step.attempt}"
    if step.status == "skipped":
        yield entry(step.finished_at or step.started_at, "info", node, f"{step.node_type} skipped (branch not taken).")
        return
    if step.started_at:
        yield entry(step.started_at, "info", node, f"{step.node_type} started ({attempt}).")
    ended = step.finished_at or step.started_at
    if step.status == "succeeded":
        duration = f" in {step.duration_ms} ms" if step.duration_ms is not None else ""
        yield entry(ended, "info", node, f"{step.node_type} succeeded{duration} (port {step.output_port}).")
    elif step.status == "failed":
        yield entry(ended, "error", node, f"{step.node_type} failed ({attempt}): {describe_error(step.error)}.")
    elif step.status == "retrying":
        when = f"; next attempt at {step.resume_at.isoformat()}" if step.resume_at else "; retrying"
        yield entry(ended, "warning", node, f"{step.node_type} failed ({attempt}): {describe_error(step.error)}{when}.")
    elif step.status == "waiting":
        kind = (step.waiting_for or {}).get("kind", "an event")
        until = f" until {step.resume_at.isoformat()}" if step.resume_at else ""
        yield entry(ended, "info", node, f"{step.node_type} waiting for {kind}{until}.")


def execution_logs(
    execution: Execution, steps: Iterable[ExecutionStep], lines: Iterable[ExecutionLog] | None = None
) -> list[dict[str, Any]]:
    """The run's log, oldest first; at one moment: the run's start, the steps, the run's end.

    `lines`: the run's ExecutionLog rows in id order when the caller read them already (in a batch).
    """
    lines = execution.logs.order_by("id") if lines is None else lines
    ranked = [(0, item) for item in run_opening(execution)]
    ranked += [(1, item) for step in steps for item in step_entries(step)]
    ranked += [(1, entry(line.created_at, line.level, line.node_id, line.message)) for line in lines]
    closing = run_closing(execution)
    if closing is not None:
        ranked.append((2, closing))
    timed = [(rank, item) for rank, item in ranked if item["timestamp"] is not None]
    return [item for _, item in sorted(timed, key=lambda pair: (pair[1]["timestamp"], pair[0]))]
