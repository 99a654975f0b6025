"""Node types and the registry that names them.

A node type declares its config as JSON Schema once; validation, the node-types API and
the editor's settings form all read that one schema. Integrations living outside the
engine (credentials, db.query, email.send, ai.chat) register more types on a registry
and reach their collaborators through `NodeContext.services`, so the engine never
imports them.
"""

from __future__ import annotations

import threading
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any, ClassVar

from .credential_types import CREDENTIAL_TYPES, credential_fields
from .definition import RETRY_SCHEMA, RetryPolicy

ERROR_PORT = "error"


class NodeError(Exception):
    """A node failed in a way it can name; `retryable=False` skips the retry policy.

    A node never retries by itself: its type's `default_retry` or the node's `retry` is
    the one policy, and the runner applies it.
    """

    def __init__(
        self,
        code: str,
        message: str,
        *,
        retryable: bool = True,
        retry_after: float | None = None,
        field: str | None = None,
    ) -> None:
        super().__init__(message)
        self.code = code
        self.message = message
        # The config path the error is about (`config.url`), for the editor to point at.
        self.field = field
        self.retryable = retryable
        # Seconds the far side asked us to wait (Retry-After); lengthens the policy's delay.
        self.retry_after = retry_after


@dataclass(frozen=True)
class Wait:
    """Park the run: resume at a time, on an event, or both (whichever comes first)."""

    resume_at: datetime | None = None
    waiting_for: Mapping[str, Any] | None = None


@dataclass(frozen=True)
class NodeResult:
    output: Any = None
    port: str = "out"
    wait: Wait | None = None
    # `logic.succeed` ends the whole run with its output.
    ends_run: bool = False


@dataclass(frozen=True)
class NodeContext:
    node_id: str
    step_key: str
    config: Mapping[str, Any]
    input: Any
    trigger: Any
    steps: Mapping[str, Any]
    vars: Mapping[str, Any]
    execution: Mapping[str, Any]
    services: Mapping[str, Any]
    idempotency_key: str
    attempt: int
    clock: Callable[[], datetime]
    cancelled: threading.Event = field(default_factory=threading.Event)
    # What the API passed when resuming this very step (event payload or timeout).
    resume: Mapping[str, Any] | None = None
    # The `waiting_for`/`resume_at` recorded when this step parked earlier.
    wait_state: Mapping[str, Any] | None = None
    log: Callable[[str, str], None] = lambda level, message: None


class NodeType:
    """Base class for every node type; subclasses set the class attributes and `run`."""

    type: ClassVar[str] = ""
    category: ClassVar[str] = ""
    label: ClassVar[str] = ""
    description: ClassVar[str] = ""
    inputs: ClassVar[list[str]] = ["in"]
    outputs: ClassVar[list[str]] = ["out"]
    config_schema: ClassVar[dict[str, Any]] = {"type": "object"}
    example: ClassVar[dict[str, Any]] = {}
    # Runner-handled control constructs: "merge" joins branches, "for_each" loops.
    control: ClassVar[str | None] = None
    # The retry policy of a node of this type that sets none (the node's own `retry` wins).
    default_retry: ClassVar[RetryPolicy | None] = None
    # No effect outside the run: the step's record is a deterministic function of the journal
    # (set, if, switch, merge, succeed, fail, triggers, waits), so the host may write it
    # together with the next durable write instead of on its own. Anything that reaches
    # the world (HTTP, email, databases, AI, chat, sub-workflows, host functions) stays False.
    pure: ClassVar[bool] = False

    @property
    def is_trigger(self) -> bool:
        return self.category == "trigger"

    def output_ports(self, config: Mapping[str, Any]) -> list[str]:
        """Ports an edge may leave from; non-triggers can always route failures out of `error`."""
        ports = list(self.outputs)
        if not self.is_trigger and ERROR_PORT not in ports:
            ports.append(ERROR_PORT)
        return ports

    def check_config(self, config: Mapping[str, Any]) -> list[tuple[str, str]]:
        """Checks JSON Schema cannot express, as (field path, message) pairs."""
        return []

    def run(self, ctx: NodeContext) -> NodeResult:
        raise NotImplementedError

    @classmethod
    def describe(cls) -> dict[str, Any]:
        return {
            "type": cls.type,
            "category": cls.category,
            "label": cls.label,
            "description": cls.description,
            "inputs": list(cls.inputs),
            "outputs": list(cls.outputs),
            "config_schema": cls.config_schema,
            "example": cls.example,
            "retry_schema": RETRY_SCHEMA,
            "default_retry": (cls.default_retry or RetryPolicy()).to_dict(),
        }


class NodeRegistry:
    def __init__(self, types: Iterable[type[NodeType]] = ()) -> None:
        self._types: dict[str, NodeType] = {}
        for cls in types:
            self.register(cls)

    def register(self, cls: type[NodeType]) -> type[NodeType]:
        """Add a node type; usable as a class decorator."""
        if not cls.type:
            raise ValueError(f"{cls.__name__} has no `type`")
        if cls.type in self._types:
            raise ValueError(f"node type {cls.type!r} is already registered")
        for path, types in credential_fields(cls.config_schema):
            unknown = sorted(set(types) - set(CREDENTIAL_TYPES))
            if unknown:
                raise ValueError(f"{cls.type}: field {path!r} asks for unknown credential type(s) {unknown}")
        self._types[cls.type] = cls()
        return cls

    def get(self, type_name: str) -> NodeType | None:
        return self._types.get(type_name)

    def __contains__(self, type_name: object) -> bool:
        return type_name in self._types

    def all(self) -> list[NodeType]:
        return [self._types[name] for name in sorted(self._types)]

    def describe(self) -> list[dict[str, Any]]:
        """What GET /api/v1/node-types serves."""
        return [node_type.describe() for node_type in self.all()]


def default_registry() -> NodeRegistry:
    """A fresh registry holding every built-in node type."""
    # Imported here because the node modules import this one.
    from .nodes import BUILTIN_NODE_TYPES

    return NodeRegistry(BUILTIN_NODE_TYPES)
