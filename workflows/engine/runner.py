"""The step runner: walks a definition from the trigger that fired.

Edges are resolved as *fired* (with a value) or *dead*. A node runs once all of its
incoming edges are resolved and at least one fired; if none fired it is skipped and its
own edges die. That single rule gives branching (untaken ports die), fan-out (one port,
many edges) and joins (a merge waits only for branches still alive).

Branches run one after another in a deterministic order; only `logic.for_each` runs
work concurrently (bounded by its `concurrency`). Every step is journaled before the
runner moves on, and completed steps found in the journal are replayed, not re-run, so
a crashed or parked run resumes by calling `run_workflow` again with the same journal.
"""

from __future__ import annotations

import time
from collections import deque
from collections.abc import Callable, Mapping
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, replace
from datetime import UTC, datetime
from typing import Any

from .definition import PARK_RETRIES_OVER_SECONDS, Definition, Node
from .graph import LOOP_PORT, loop_bodies, walk_members
from .journal import Journal, StepRecord
from .registry import NodeError, NodeRegistry, Wait
from .steps import (
    RunState,
    StepOutcome,
    StepScope,
    base_record,
    error_object,
    execute_node,
    guard_step,
    journal_skipped,
    json_value,
    pinned_step,
    prepare_config,
    replayed,
)
from .values import NotJson, to_json_value

RUN_STATUSES = ("completed", "failed", "waiting", "cancelled")
TEST_MODE = "test"


@dataclass(frozen=True)
class RunOutcome:
    status: str
    output: Any = None
    error: Mapping[str, Any] | None = None
    resume_at: datetime | None = None
    waiting_for: Mapping[str, Any] | None = None

    def to_dict(self) -> dict[str, Any]:
        return {
            "status": self.status,
            "output": self.output,
            "error": dict(self.error) if self.error else None,
            "resume_at": self.resume_at.isoformat() if self.resume_at else None,
            "waiting_for": dict(self.waiting_for) if self.waiting_for else None,
        }


@dataclass(frozen=True)
class _Walk:
    """Where one walk (the whole run, or one loop iteration) drives and what it ended with."""

    members: frozenset[str]
    prefix: str
    owner: str | None = None


def utc_now() -> datetime:
    return datetime.now(UTC)


def run_workflow(
    definition: Definition | Mapping[str, Any],
    *,
    registry: NodeRegistry,
    journal: Journal,
    trigger_node_id: str,
    trigger_payload: Any = None,
    execution: Mapping[str, Any] | None = None,
    clock: Callable[[], datetime] = utc_now,
    sleep: Callable[[float], None] = time.sleep,
    services: Mapping[str, Any] | None = None,
    cancel_check: Callable[[], bool] = lambda: False,
    resume: Mapping[str, Any] | None = None,
    park_retries_over: float = PARK_RETRIES_OVER_SECONDS,
) -> RunOutcome:
    """Run (or resume) one execution; never raises for problems inside the workflow.

    `resume` targets a parked step: {"node_id" or "step_key", "payload"} delivers an
    event or a sub-workflow's output; add "timed_out": True to take the timeout port.
    A retry delay over `park_retries_over` seconds parks the run (waiting_for kind "retry").
    """
    if not isinstance(definition, Definition):
        definition = Definition.from_dict(definition)
    try:
        trigger_payload = to_json_value(trigger_payload, "trigger")
    except NotJson as exc:
        return RunOutcome("failed", error=error_object(trigger_node_id, "OUTPUT_NOT_JSON", str(exc)))
    run = RunState(
        definition=definition,
        registry=registry,
        journal=journal,
        trigger_payload=trigger_payload,
        execution=dict(execution or {}),
        clock=clock,
        sleep=sleep,
        park_retries_over=park_retries_over,
        services=dict(services or {}),
        cancel_check=cancel_check,
        resume=resume,
        completed=dict(journal.completed_steps()),
        # Pinned data stands in for nodes in the editor's test runs only, never in production.
        pinned=definition.pinned if (execution or {}).get("mode") == TEST_MODE else {},
    )
    trigger = registry.get(run.nodes[trigger_node_id].type) if trigger_node_id in run.nodes else None
    if trigger is None or not trigger.is_trigger:
        message = f"{trigger_node_id!r} is not a trigger node of this workflow"
        return RunOutcome("failed", error=error_object(trigger_node_id, "UNKNOWN_TRIGGER", message))
    loops = [n.id for n in definition.nodes if _control(run, n) == "for_each"]
    run.bodies = loop_bodies(loops, definition.edges)
    walk = _Walk(members=frozenset(walk_members(set(run.nodes), run.bodies)), prefix="")
    outcome, _ = _drive(run, walk, seeds={trigger_node_id: {"": trigger_payload}}, steps={}, loop=None)
    return outcome


def _control(run: RunState, node: Node) -> str | None:
    node_type = run.registry.get(node.type)
    return node_type.control if node_type else None


class _Frontier:
    """Edge bookkeeping of one walk: which nodes have all inputs resolved, and with what."""

    def __init__(self, run: RunState, walk: _Walk, seeds: Mapping[str, Mapping[str, Any]]) -> None:
        self.run = run
        self.walk = walk
        self.remaining = {node_id: 0 for node_id in walk.members}
        for edge in run.definition.edges:
            if edge.target in walk.members and edge.source in walk.members:
                self.remaining[edge.target] += 1
        self.fired: dict[str, dict[str, Any]] = {n: dict(seeds.get(n, {})) for n in walk.members}
        ordered = [n.id for n in run.definition.nodes if n.id in walk.members]
        ready = [n for n in ordered if self.remaining[n] == 0]
        self.queue = deque(sorted(ready, key=lambda n: n not in seeds))
        self.loop_result: Any = None

    def resolve(self, node_id: str, outcome: StepOutcome) -> None:
        """Fire the taken port's edges, kill the others; a parked step resolves nothing."""
        if outcome.wait is not None:
            return
        for edge in self.run.out_edges.get(node_id, []):
            taken = edge.source_port == outcome.port
            if edge.target in self.walk.members:
                if taken:
                    self.fired[edge.target][node_id] = outcome.output
                self.remaining[edge.target] -= 1
                if self.remaining[edge.target] == 0:
                    self.queue.append(edge.target)
            elif taken and edge.target == self.walk.owner:
                self.loop_result = outcome.output


def _drive(
    run: RunState,
    walk: _Walk,
    seeds: Mapping[str, Mapping[str, Any]],
    steps: dict[str, Any],
    loop: Mapping[str, Any] | None,
) -> tuple[RunOutcome, Any]:
    """Run the nodes of one walk; returns the outcome and the value sent back to the loop."""
    frontier = _Frontier(run, walk, seeds)
    last_output: Any = None
    parked: RunOutcome | None = None
    while frontier.queue:
        node_id = frontier.queue.popleft()
        node = run.nodes[node_id]
        if not frontier.fired[node_id]:
            journal_skipped(run, node, walk.prefix + node_id)
            frontier.resolve(node_id, StepOutcome())
            continue
        arrived = _input_for(run, node, frontier.fired[node_id])
        outcome = _step(run, node, StepScope(walk.prefix + node_id, arrived, steps, loop))
        if outcome.cancelled:
            return RunOutcome("cancelled"), None
        if outcome.error is not None and outcome.port is None:
            return RunOutcome("failed", error=outcome.error), None
        if outcome.wait is not None:
            parked = parked or _parked(outcome)
            continue
        steps[node_id] = {"output": outcome.output}
        last_output = outcome.output
        if outcome.ends_run:
            return RunOutcome("completed", output=outcome.output), outcome.output
        frontier.resolve(node_id, outcome)
    if parked is not None:
        return parked, None
    loop_value = frontier.loop_result if frontier.loop_result is not None else last_output
    return RunOutcome("completed", output=last_output), loop_value


def _input_for(run: RunState, node: Node, arrived: Mapping[str, Any]) -> Any:
    if _control(run, node) == "merge":
        return dict(arrived)
    # Several live edges into a plain node: the first one (in edge order) wins; use a merge to join.
    return next(iter(arrived.values()))


def _parked(outcome: StepOutcome) -> RunOutcome:
    wait = outcome.wait
    assert wait is not None
    return RunOutcome("waiting", resume_at=wait.resume_at, waiting_for=wait.waiting_for)


def _step(run: RunState, node: Node, scope: StepScope) -> StepOutcome:
    done = replayed(run, scope.step_key)
    if done is not None:
        return done
    blocked = guard_step(run, node)
    if blocked is not None:
        return blocked
    node_type = run.registry.get(node.type)
    if node_type is None:
        return StepOutcome(
            error=error_object(node.id, "UNKNOWN_NODE_TYPE", f"unknown node type {node.type!r}")
        )
    if node.id in run.pinned:
        try:
            return pinned_step(run, node, node_type, scope)
        except NodeError as exc:
            return StepOutcome(error=error_object(node.id, exc.code, exc.message))
    if node_type.control == "for_each":
        return _run_loop(run, node, scope)
    return execute_node(run, node, node_type, scope)


def _run_loop(run: RunState, node: Node, scope: StepScope) -> StepOutcome:
    """Journal the for_each step around its iterations; each iteration is its own walk."""
    previous = run.journal.last_record(scope.step_key)
    started = base_record(run, node, scope, (previous.attempt if previous else 0) + 1, "running")
    run.journal.step_started(started)
    try:
        config = prepare_config(run, node, scope)
        items = json_value(config.get("items"), "items")
        if not isinstance(items, list):
            raise NodeError(
                "NOT_A_LIST", f"node '{node.id}', field 'items': got {type(items).__name__}, not a list"
            )
    except NodeError as exc:
        error = error_object(node.id, exc.code, exc.message, exc.field)
        run.journal.step_finished(replace(started, status="failed", error=error, finished_at=run.clock()))
        return StepOutcome(error=error)
    body = run.bodies[node.id]
    entry = [e.target for e in run.out_edges.get(node.id, []) if e.source_port == LOOP_PORT]
    members = frozenset(walk_members(body, run.bodies))

    def iterate(index: int) -> tuple[RunOutcome, Any]:
        walk = _Walk(members=members, prefix=f"{scope.step_key}[{index}]/", owner=node.id)
        seeds = {target: {node.id: items[index]} for target in entry}
        loop = {"item": items[index], "index": index}
        return _drive(run, walk, seeds, dict(scope.steps), loop)

    concurrency = int(config.get("concurrency", 1))
    if concurrency <= 1 or len(items) <= 1:
        results = [iterate(i) for i in range(len(items))]
    else:
        with ThreadPoolExecutor(
            max_workers=min(concurrency, 32), thread_name_prefix=f"loop-{node.id}"
        ) as pool:
            results = list(pool.map(iterate, range(len(items))))
    return _finish_loop(run, started, [r for r, _ in results], [value for _, value in results])


def _finish_loop(
    run: RunState, started: StepRecord, outcomes: list[RunOutcome], values: list[Any]
) -> StepOutcome:
    for status in ("cancelled", "failed", "waiting"):
        first = next((o for o in outcomes if o.status == status), None)
        if first is None:
            continue
        if status == "cancelled":
            return StepOutcome(cancelled=True)
        if status == "failed":
            finished = replace(started, status="failed", error=first.error, finished_at=run.clock())
            run.journal.step_finished(finished)
            return StepOutcome(error=first.error)
        run.journal.step_finished(
            replace(
                started,
                status="waiting",
                resume_at=first.resume_at,
                waiting_for=first.waiting_for,
                finished_at=run.clock(),
            )
        )
        return StepOutcome(wait=_wait_of(first))
    run.journal.step_finished(
        replace(started, status="succeeded", output=values, output_port="done", finished_at=run.clock())
    )
    return StepOutcome(port="done", output=values)


def _wait_of(outcome: RunOutcome) -> Wait:
    return Wait(resume_at=outcome.resume_at, waiting_for=outcome.waiting_for)
