"""The journal: where the runner persists every step attempt before moving on.

Django adapts this to ExecutionStep rows (and broadcasts events from it); tests use
`InMemoryJournal`. Replay relies on it: a step whose finished record carries an
`output_port` is complete, and a resumed run reuses that record instead of running again.
"""

from __future__ import annotations

import threading
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime
from typing import Any, Protocol

STEP_STATUSES = ("running", "succeeded", "failed", "retrying", "waiting", "skipped")


@dataclass(frozen=True)
class StepRecord:
    step_key: str
    node_id: str
    node_type: str
    status: str
    attempt: int
    idempotency_key: str
    input: Any = None
    output: Any = None
    # The port the step's output left by; set only when the step is complete.
    output_port: str | None = None
    error: Mapping[str, Any] | None = None
    started_at: datetime | None = None
    finished_at: datetime | None = None
    resume_at: datetime | None = None
    waiting_for: Mapping[str, Any] | None = None

    @property
    def is_complete(self) -> bool:
        return self.output_port is not None

    def to_dict(self) -> dict[str, Any]:
        return {
            "step_key": self.step_key,
            "node_id": self.node_id,
            "node_type": self.node_type,
            "status": self.status,
            "attempt": self.attempt,
            "idempotency_key": self.idempotency_key,
            "input": self.input,
            "output": self.output,
            "output_port": self.output_port,
            "error": dict(self.error) if self.error else None,
            "started_at": self.started_at.isoformat() if self.started_at else None,
            "finished_at": self.finished_at.isoformat() if self.finished_at else None,
            "resume_at": self.resume_at.isoformat() if self.resume_at else None,
            "waiting_for": dict(self.waiting_for) if self.waiting_for else None,
        }


class Journal(Protocol):
    """Implementations must be thread-safe: for_each iterations journal concurrently."""

    def step_started(self, record: StepRecord) -> None: ...

    def step_finished(self, record: StepRecord) -> None: ...

    def log(self, node_id: str, level: str, message: str) -> None: ...

    def completed_steps(self) -> Mapping[str, StepRecord]:
        """Latest complete record per step key (for replay)."""
        ...

    def last_record(self, step_key: str) -> StepRecord | None:
        """Latest record of any status for a step key (attempt numbers, parked waits)."""
        ...


class InMemoryJournal:
    def __init__(self) -> None:
        self.records: list[StepRecord] = []
        self.logs: list[tuple[str, str, str]] = []
        self._lock = threading.Lock()

    def step_started(self, record: StepRecord) -> None:
        with self._lock:
            self.records.append(record)

    def step_finished(self, record: StepRecord) -> None:
        with self._lock:
            self.records.append(record)

    def log(self, node_id: str, level: str, message: str) -> None:
        with self._lock:
            self.logs.append((node_id, level, message))

    def completed_steps(self) -> Mapping[str, StepRecord]:
        with self._lock:
            return {r.step_key: r for r in self.records if r.is_complete}

    def last_record(self, step_key: str) -> StepRecord | None:
        with self._lock:
            for record in reversed(self.records):
                if record.step_key == step_key:
                    return record
        return None

    def statuses(self, step_key: str) -> list[tuple[str, int]]:
        """(status, attempt) for every record of a step, in order; handy in tests."""
        with self._lock:
            return [(r.status, r.attempt) for r in self.records if r.step_key == step_key]
