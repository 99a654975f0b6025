"""Executing one step: replay, expressions, retries, timeout, journaling, error routing."""

from __future__ import annotations

import re
import threading
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field, replace
from datetime import datetime, timedelta
from typing import Any

from .annotations import pinned_port
from .definition import Definition, Node, RetryPolicy
from .expression_dates import zone_named
from .expressions import ExpressionError, date_helpers, render_config
from .graph import LOOP_PORT, outgoing_edges
from .journal import Journal, StepRecord
from .plain_words import label_at
from .registry import ERROR_PORT, NodeContext, NodeError, NodeRegistry, NodeResult, NodeType, Wait
from .values import NotJson, to_json_value


@dataclass
class RunState:
    """Everything one `run_workflow` call shares between its walks and steps."""

    definition: Definition
    registry: NodeRegistry
    journal: Journal
    trigger_payload: Any
    execution: Mapping[str, Any]
    clock: Callable[[], datetime]
    sleep: Callable[[float], None]
    park_retries_over: float
    services: Mapping[str, Any]
    cancel_check: Callable[[], bool]
    resume: Mapping[str, Any] | None
    completed: Mapping[str, StepRecord] = field(default_factory=dict)
    # for_each node id -> the node ids of its loop body.
    bodies: dict[str, set[str]] = field(default_factory=dict)
    step_count: int = 0
    # Test runs only: node id -> {"output", "port"?} used instead of running the node (D24).
    pinned: Mapping[str, Any] = field(default_factory=dict)
    lock: threading.Lock = field(default_factory=threading.Lock)

    def __post_init__(self) -> None:
        self.out_edges = outgoing_edges(self.definition.edges)
        self.nodes = {node.id: node for node in self.definition.nodes}

    def count_step(self) -> int:
        with self.lock:
            self.step_count += 1
            return self.step_count


@dataclass(frozen=True)
class StepOutcome:
    """How a step ended. `error` set and `port` None means the run must fail."""

    port: str | None = None
    output: Any = None
    wait: Wait | None = None
    error: Mapping[str, Any] | None = None
    ends_run: bool = False
    cancelled: bool = False


@dataclass(frozen=True)
class StepScope:
    step_key: str
    input: Any
    steps: Mapping[str, Any]
    loop: Mapping[str, Any] | None = None


def error_object(node_id: str, code: str, message: str, field: str | None = None) -> dict[str, str]:
    error = {"node_id": node_id, "code": code, "message": message}
    if field:
        error["field"] = field
    return error


def guard_step(run: RunState, node: Node) -> StepOutcome | None:
    """Run-wide limits checked between steps: cancel, max_steps, overall timeout."""
    if run.cancel_check():
        return StepOutcome(cancelled=True)
    max_steps = int(run.definition.settings.get("max_steps") or 0)
    if max_steps and run.count_step() > max_steps:
        message = f"the run exceeded max_steps={max_steps}"
        return StepOutcome(error=error_object(node.id, "MAX_STEPS_EXCEEDED", message))
    started = run.execution.get("started_at")
    limit = run.definition.settings.get("timeout_seconds")
    if isinstance(started, datetime) and limit and (run.clock() - started).total_seconds() > float(limit):
        message = f"the run exceeded its timeout of {limit}s"
        return StepOutcome(error=error_object(node.id, "EXECUTION_TIMEOUT", message))
    return None


def replayed(run: RunState, step_key: str) -> StepOutcome | None:
    record = run.completed.get(step_key)
    if record is None:
        return None
    return StepOutcome(port=record.output_port, output=record.output)


def prepare_config(run: RunState, node: Node, scope: StepScope) -> dict[str, Any]:
    """Evaluate the node's expressions; raises NodeError naming the node and field."""
    names = {
        "input": scope.input,
        "trigger": run.trigger_payload,
        "steps": scope.steps,
        "vars": run.definition.variables,
        "execution": run.execution,
        "loop": scope.loop,
    }
    try:
        zone = zone_named(run.definition.settings.get("timezone"))
    except ValueError as exc:
        raise NodeError("INVALID_SETTINGS", str(exc), retryable=False) from None
    try:
        return render_config(node.config, names, dates=date_helpers(run.clock, zone))
    except ExpressionError as exc:
        node_type = run.registry.get(node.type)
        schema = node_type.config_schema if node_type is not None else {}
        label = label_at(schema, _path_parts(exc.field)) or exc.field
        # The sentence names the field by its label; the machine path stays in `field`.
        message = f"{label}: {exc.message}" if label else exc.message
        raise NodeError("EXPRESSION_ERROR", message, retryable=False, field=f"config.{exc.field}") from None


def _path_parts(path: str) -> list[str | int]:
    """`body.items[0]` → ["body", "items", 0]."""
    parts: list[str | int] = []
    for name, index in re.findall(r"([^.\[\]]+)|\[(\d+)\]", path):
        parts.append(int(index) if index else name)
    return parts


def base_record(run: RunState, node: Node, scope: StepScope, attempt: int, status: str) -> StepRecord:
    return StepRecord(
        step_key=scope.step_key,
        node_id=node.id,
        node_type=node.type,
        status=status,
        attempt=attempt,
        idempotency_key=idempotency_key(run, scope.step_key),
        input=scope.input,
        started_at=run.clock(),
    )


def idempotency_key(run: RunState, step_key: str) -> str:
    # Stable across attempts and crash re-runs so the receiver can deduplicate.
    return f"{run.execution.get('id', '')}:{step_key}"


def execute_node(run: RunState, node: Node, node_type: NodeType, scope: StepScope) -> StepOutcome:
    """Run a plain (non-control) node through its retry policy, journaling every attempt.

    Attempts count across parks and crash re-runs: a step whose last record is `retrying`
    continues its budget instead of starting a new one.
    """
    previous = run.journal.last_record(scope.step_key)
    parked = parked_retry(run, node, scope, previous)
    if parked is not None:
        return parked
    policy = node.retry or node_type.default_retry or RetryPolicy()
    first_attempt = (previous.attempt if previous else 0) + 1
    used = previous.attempt if previous is not None and previous.status == "retrying" else 0
    attempts = max(policy.max_attempts - used, 1)
    for index in range(attempts):
        attempt = first_attempt + index
        started = base_record(run, node, scope, attempt, "running")
        run.journal.step_started(started)
        try:
            config = prepare_config(run, node, scope)
            ctx = _context(run, node, scope, config, attempt, previous)
            result = json_result(call_with_timeout(node_type.run, ctx, node.timeout_seconds))
        except NodeError as exc:
            failure = exc
        except Exception as exc:  # noqa: BLE001 - a node's bug becomes a step error, not a crash
            failure = NodeError("NODE_ERROR", f"{type(exc).__name__}: {exc}")
        else:
            return finish_succeeded(run, started, result)
        if index == attempts - 1 or not failure.retryable:
            return finish_failed(run, node, started, failure.code, failure.message, final=True, field=failure.field)
        delay = policy.delay_before(used + index + 2, failure.retry_after)
        if delay > run.park_retries_over:
            return park_retry(run, node, started, failure, delay)
        finish_failed(run, node, started, failure.code, failure.message, final=False)
        run.sleep(delay)
    raise AssertionError("unreachable: the last attempt always returns")


def retry_wait(node: Node, step_key: str, attempt: int, resume_at: datetime) -> Wait:
    waiting_for = {"kind": "retry", "node_id": node.id, "step_key": step_key, "attempt": attempt}
    return Wait(resume_at=resume_at, waiting_for=waiting_for)


def park_retry(run: RunState, node: Node, started: StepRecord, failure: NodeError, delay: float) -> StepOutcome:
    """A long backoff holds no worker: record the failed attempt and park the run until then."""
    resume_at = run.clock() + timedelta(seconds=delay)
    error = error_object(node.id, failure.code, failure.message, failure.field)
    record = replace(started, status="retrying", error=error, finished_at=run.clock(), resume_at=resume_at)
    run.journal.step_finished(record)
    return StepOutcome(wait=retry_wait(node, started.step_key, started.attempt + 1, resume_at))


def parked_retry(run: RunState, node: Node, scope: StepScope, previous: StepRecord | None) -> StepOutcome | None:
    """A run woken before its retry is due (a stray job, a recovery) parks again, unrun."""
    if previous is None or previous.status != "retrying" or previous.resume_at is None:
        return None
    if run.clock() >= previous.resume_at:
        return None
    return StepOutcome(wait=retry_wait(node, scope.step_key, previous.attempt + 1, previous.resume_at))


def json_value(value: Any, path: str) -> Any:
    """`value` as JSON (see values.py); a value with no JSON form fails the step for good."""
    try:
        return to_json_value(value, path)
    except NotJson as exc:
        raise NodeError("OUTPUT_NOT_JSON", str(exc), retryable=False) from None


def json_result(result: NodeResult) -> NodeResult:
    """The node's result with its output (or parked details) converted to JSON."""
    if result.wait is not None:
        waiting_for = json_value(result.wait.waiting_for, "waiting_for")
        return replace(result, wait=replace(result.wait, waiting_for=waiting_for))
    return replace(result, output=json_value(result.output, "output"))


def _context(
    run: RunState,
    node: Node,
    scope: StepScope,
    config: dict[str, Any],
    attempt: int,
    previous: StepRecord | None,
) -> NodeContext:
    resume = run.resume
    targeted = resume is not None and (
        resume.get("step_key") == scope.step_key
        or (resume.get("step_key") is None and resume.get("node_id") == node.id)
    )
    wait_state = None
    if previous is not None and previous.status == "waiting":
        wait_state = {"resume_at": previous.resume_at, "waiting_for": previous.waiting_for}
    return NodeContext(
        node_id=node.id,
        step_key=scope.step_key,
        config=config,
        input=scope.input,
        trigger=run.trigger_payload,
        steps=scope.steps,
        vars=run.definition.variables,
        execution=run.execution,
        services=run.services,
        idempotency_key=idempotency_key(run, scope.step_key),
        attempt=attempt,
        clock=run.clock,
        resume=resume if targeted else None,
        wait_state=wait_state,
        log=lambda level, message: run.journal.log(node.id, level, message),
    )


def call_with_timeout(
    function: Callable[[NodeContext], NodeResult], ctx: NodeContext, seconds: float | None
) -> NodeResult:
    """Run inline, or in a worker thread when the node has a timeout.

    A thread cannot be killed, so on timeout we set `ctx.cancelled` for the node to notice
    and move on; the daemon thread dies with the process at worst.
    """
    if not seconds:
        return function(ctx)
    box: dict[str, Any] = {}

    def target() -> None:
        try:
            box["result"] = function(ctx)
        except BaseException as exc:  # noqa: BLE001 - re-raised in the caller's thread
            box["error"] = exc

    worker = threading.Thread(target=target, name=f"node-{ctx.node_id}", daemon=True)
    worker.start()
    worker.join(seconds)
    if worker.is_alive():
        ctx.cancelled.set()
        raise NodeError("TIMEOUT", f"node '{ctx.node_id}' did not finish within {seconds:g}s")
    if "error" in box:
        raise box["error"]
    return box["result"]


def finish_succeeded(run: RunState, started: StepRecord, result: NodeResult) -> StepOutcome:
    if result.wait is not None:
        run.journal.step_finished(
            replace(
                started,
                status="waiting",
                finished_at=run.clock(),
                resume_at=result.wait.resume_at,
                waiting_for=result.wait.waiting_for,
            )
        )
        return StepOutcome(wait=result.wait)
    record = replace(
        started, status="succeeded", output=result.output, output_port=result.port, finished_at=run.clock()
    )
    run.journal.step_finished(record)
    return StepOutcome(port=result.port, output=result.output, ends_run=result.ends_run)


def finish_failed(
    run: RunState, node: Node, started: StepRecord, code: str, message: str, *, final: bool, field: str | None = None
) -> StepOutcome:
    error = error_object(node.id, code, message, field)
    if not final:
        run.journal.step_finished(replace(started, status="retrying", error=error, finished_at=run.clock()))
        return StepOutcome(error=error)
    routed = any(e.source_port == ERROR_PORT for e in run.out_edges.get(node.id, []))
    port = ERROR_PORT if routed else None
    record = replace(
        started,
        status="failed",
        error=error,
        output=error if routed else None,
        output_port=port,
        finished_at=run.clock(),
    )
    run.journal.step_finished(record)
    return StepOutcome(port=port, output=error if routed else None, error=None if routed else error)


def pinned_step(run: RunState, node: Node, node_type: NodeType, scope: StepScope) -> StepOutcome:
    """A test run's pinned node: its pinned output, journaled as a succeeded step, never run."""
    entry = run.pinned[node.id]
    ports = [p for p in node_type.output_ports(node.config) if p not in (ERROR_PORT, LOOP_PORT)]
    port = pinned_port(entry, ports)
    output = json_value(entry.get("output"), "pinned")
    run.journal.log(node.id, "info", "Pinned data used instead of running this step (test run).")
    record = base_record(run, node, scope, 1, "succeeded")
    run.journal.step_finished(replace(record, output=output, output_port=port, finished_at=record.started_at))
    return StepOutcome(port=port, output=output)


def journal_skipped(run: RunState, node: Node, step_key: str) -> None:
    scope = StepScope(step_key=step_key, input=None, steps={})
    record = base_record(run, node, scope, 0, "skipped")
    run.journal.step_finished(replace(record, finished_at=record.started_at))
