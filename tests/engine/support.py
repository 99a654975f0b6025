"""Helpers for the engine tests: fake time, a probe node type and definition builders."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Any

from workflows.engine import (
    NodeContext,
    NodeError,
    NodeResult,
    NodeType,
)

T0 = datetime(2024, 1, 1, 12, 0, tzinfo=UTC)


class FakeClock:
    def __init__(self, now: datetime = T0) -> None:
        self.now = now

    def __call__(self) -> datetime:
        return self.now

    def advance(self, seconds: float) -> None:
        self.now += timedelta(seconds=seconds)


class RecordingSleep:
    def __init__(self) -> None:
        self.delays: list[float] = []

    def __call__(self, seconds: float) -> None:
        self.delays.append(seconds)


class Probe(NodeType):
    """A test node: counts calls per step key and fails the first `fail_times` attempts."""

    type = "test.probe"
    category = "action"
    label = "Probe"
    config_schema = {"type": "object"}
    calls: list[NodeContext] = []

    def run(self, ctx: NodeContext) -> NodeResult:
        Probe.calls.append(ctx)
        failures = int(ctx.config.get("fail_times", 0))
        attempts = sum(1 for c in Probe.calls if c.step_key == ctx.step_key)
        if attempts <= failures:
            raise NodeError("FLAKY", f"failure {attempts}")
        if ctx.config.get("crash"):
            raise ZeroDivisionError("division by zero")
        if ctx.config.get("block"):
            ctx.cancelled.wait(5)
            return NodeResult(output="too late")
        return NodeResult(output=ctx.config.get("output", ctx.input))


def node(node_id: str, node_type: str, config: dict | None = None, **extra: Any) -> dict[str, Any]:
    return {"id": node_id, "type": node_type, "name": node_id, "config": config or {}, **extra}


def link(source: str, target: str, port: str = "out") -> dict[str, str]:
    return {"id": f"{source}-{port}-{target}", "source": source, "source_port": port, "target": target}


def flow(nodes: list[dict], edges: list[dict], **extra: Any) -> dict[str, Any]:
    return {"nodes": [node("start", "trigger.manual"), *nodes], "edges": edges, **extra}


def probe_calls(step_key: str) -> int:
    return sum(1 for c in Probe.calls if c.step_key == step_key)
