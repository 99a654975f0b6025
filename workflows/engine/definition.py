"""The canonical workflow definition: nodes joined by edges that leave named ports.

Per-node execution policy lives on the node itself, beside `config`, so a node type's
JSON Schema only ever describes that type's own settings:

    {"id": "call", "type": "http.request", "config": {...},
     "retry": {"max_attempts": 3, "backoff_seconds": 1, "backoff_multiplier": 2,
               "max_delay_seconds": 60},
     "timeout_seconds": 30}
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

DEFAULT_SETTINGS: dict[str, Any] = {"timeout_seconds": 3600, "max_steps": 10000}


# Caps on a node's retry policy (docs/design.md, D4). Parked retries hold no worker,
# so a delay may be long; attempts are few because each one may have side effects.
MAX_ATTEMPTS = 10
MAX_DELAY_SECONDS = 86_400
MAX_BACKOFF_MULTIPLIER = 10
# A retry delay longer than this parks the run as a delayed job; shorter ones sleep.
PARK_RETRIES_OVER_SECONDS = 5.0

RETRY_SCHEMA: dict[str, Any] = {
    "type": "object",
    "description": (
        "Attempts in all (1 = no retry) and the delay before each retry: backoff_seconds × "
        f"backoff_multiplier^(retry − 1), at most max_delay_seconds. A delay over "
        f"{PARK_RETRIES_OVER_SECONDS:g} s parks the run instead of holding a worker."
    ),
    "properties": {
        "max_attempts": {"type": "integer", "minimum": 1, "maximum": MAX_ATTEMPTS, "default": 1},
        "backoff_seconds": {"type": "number", "minimum": 0, "maximum": MAX_DELAY_SECONDS, "default": 1},
        "backoff_multiplier": {"type": "number", "minimum": 1, "maximum": MAX_BACKOFF_MULTIPLIER, "default": 2},
        "max_delay_seconds": {"type": "number", "minimum": 0, "maximum": MAX_DELAY_SECONDS, "default": 60},
    },
    "additionalProperties": False,
}


def _clamp(value: float, low: float, high: float) -> float:
    return min(max(value, low), high)


@dataclass(frozen=True)
class RetryPolicy:
    max_attempts: int = 1
    backoff_seconds: float = 1.0
    backoff_multiplier: float = 2.0
    max_delay_seconds: float = 60.0

    def delay_before(self, attempt: int, retry_after: float | None = None) -> float:
        """Seconds to wait before `attempt` (2 = the first retry).

        A server's Retry-After (passed on by the node) lengthens the delay; max_delay_seconds
        stays the maximum, so the builder always knows the longest wait.
        """
        raw = self.backoff_seconds * self.backoff_multiplier ** max(attempt - 2, 0)
        return _clamp(max(raw, retry_after or 0.0), 0.0, min(self.max_delay_seconds, MAX_DELAY_SECONDS))

    @classmethod
    def from_dict(cls, data: Mapping[str, Any] | None) -> RetryPolicy:
        """The policy, clamped to the caps (definitions stored before the caps existed)."""
        if not data:
            return cls()
        return cls(
            max_attempts=int(_clamp(int(data.get("max_attempts", 1)), 1, MAX_ATTEMPTS)),
            backoff_seconds=_clamp(float(data.get("backoff_seconds", 1.0)), 0, MAX_DELAY_SECONDS),
            backoff_multiplier=_clamp(float(data.get("backoff_multiplier", 2.0)), 1, MAX_BACKOFF_MULTIPLIER),
            max_delay_seconds=_clamp(float(data.get("max_delay_seconds", 60.0)), 0, MAX_DELAY_SECONDS),
        )

    def to_dict(self) -> dict[str, Any]:
        return {
            "max_attempts": self.max_attempts,
            "backoff_seconds": self.backoff_seconds,
            "backoff_multiplier": self.backoff_multiplier,
            "max_delay_seconds": self.max_delay_seconds,
        }


@dataclass(frozen=True)
class Node:
    id: str
    type: str
    name: str = ""
    config: dict[str, Any] = field(default_factory=dict)
    position: dict[str, Any] = field(default_factory=lambda: {"x": 0, "y": 0})
    retry: RetryPolicy | None = None
    timeout_seconds: float | None = None

    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> Node:
        timeout = data.get("timeout_seconds")
        return cls(
            id=str(data["id"]),
            type=str(data["type"]),
            name=str(data.get("name") or ""),
            config=dict(data.get("config") or {}),
            position=dict(data.get("position") or {"x": 0, "y": 0}),
            retry=RetryPolicy.from_dict(data["retry"]) if data.get("retry") else None,
            timeout_seconds=float(timeout) if timeout is not None else None,
        )

    def to_dict(self) -> dict[str, Any]:
        out: dict[str, Any] = {
            "id": self.id,
            "type": self.type,
            "name": self.name,
            "config": self.config,
            "position": self.position,
        }
        if self.retry is not None:
            out["retry"] = self.retry.to_dict()
        if self.timeout_seconds is not None:
            out["timeout_seconds"] = self.timeout_seconds
        return out


@dataclass(frozen=True)
class Edge:
    id: str
    source: str
    source_port: str
    target: str

    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> Edge:
        return cls(
            id=str(data["id"]),
            source=str(data["source"]),
            source_port=str(data.get("source_port") or "out"),
            target=str(data["target"]),
        )

    def to_dict(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "source": self.source,
            "source_port": self.source_port,
            "target": self.target,
        }


@dataclass(frozen=True)
class Definition:
    nodes: tuple[Node, ...]
    edges: tuple[Edge, ...] = ()
    variables: dict[str, Any] = field(default_factory=dict)
    settings: dict[str, Any] = field(default_factory=lambda: dict(DEFAULT_SETTINGS))
    # Editor annotations (docs/design.md D24): node id -> {"output", "port"?} used instead of
    # running that node in test runs only, and sticky notes, which nothing executes.
    pinned: dict[str, Any] = field(default_factory=dict)
    notes: list[Any] = field(default_factory=list)

    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> Definition:
        """Build from the canonical JSON form; run `validate_definition` first on input."""
        return cls(
            nodes=tuple(Node.from_dict(n) for n in data.get("nodes") or ()),
            edges=tuple(Edge.from_dict(e) for e in data.get("edges") or ()),
            variables=dict(data.get("variables") or {}),
            settings={**DEFAULT_SETTINGS, **(data.get("settings") or {})},
            pinned=dict(data.get("pinned") or {}),
            notes=list(data.get("notes") or []),
        )

    def to_dict(self) -> dict[str, Any]:
        out: dict[str, Any] = {
            "nodes": [n.to_dict() for n in self.nodes],
            "edges": [e.to_dict() for e in self.edges],
            "variables": self.variables,
            "settings": self.settings,
        }
        if self.pinned:
            out["pinned"] = self.pinned
        if self.notes:
            out["notes"] = self.notes
        return out

    def node(self, node_id: str) -> Node:
        for node in self.nodes:
            if node.id == node_id:
                return node
        raise KeyError(node_id)
