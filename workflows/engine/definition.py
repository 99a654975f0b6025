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


@dataclass(frozen=True)
class RetryPolicy:
    max_attempts: int = 1
    backoff_seconds: float = 1.0
    backoff_multiplier: float = 2.0
    max_delay_seconds: float = 60.0

    def delay_before(self, attempt: int) -> float:
        """Seconds to wait before `attempt` (2 = the first retry)."""
        raw = self.backoff_seconds * self.backoff_multiplier ** max(attempt - 2, 0)
        return min(raw, self.max_delay_seconds)

    @classmethod
    def from_dict(cls, data: Mapping[str, Any] | None) -> RetryPolicy:
        if not data:
            return cls()
        return cls(
            max_attempts=int(data.get("max_attempts", 1)),
            backoff_seconds=float(data.get("backoff_seconds", 1.0)),
            backoff_multiplier=float(data.get("backoff_multiplier", 2.0)),
            max_delay_seconds=float(data.get("max_delay_seconds", 60.0)),
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

    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> Definition:
        """Build from the canonical JSON form; run `validate_definition` first on input."""
        return cls(
            nodes=tuple(Node.from_dict(n) for n in data.get("nodes") or ()),
            edges=tuple(Edge.from_dict(e) for e in data.get("edges") or ()),
            variables=dict(data.get("variables") or {}),
            settings={**DEFAULT_SETTINGS, **(data.get("settings") or {})},
        )

    def to_dict(self) -> dict[str, Any]:
        return {
            "nodes": [n.to_dict() for n in self.nodes],
            "edges": [e.to_dict() for e in self.edges],
            "variables": self.variables,
            "settings": self.settings,
        }

    def node(self, node_id: str) -> Node:
        for node in self.nodes:
            if node.id == node_id:
                return node
        raise KeyError(node_id)
