"""The ORM journal: the engine's step records, persisted as ExecutionStep rows.

Each write commits on its own before the runner moves on, so a worker that dies
mid-run leaves every finished step on disk for the next worker to replay.
"""

from __future__ import annotations

import threading
from collections.abc import Callable, Mapping
from typing import Any

from workflows.engine import StepRecord
from workflows.models import Execution, ExecutionLog, ExecutionStep
from workflows.redaction import Redactor

RECORD_FIELDS = (
    "node_id", "node_type", "status", "idempotency_key", "input", "output", "output_port",
    "error", "started_at", "finished_at", "resume_at", "waiting_for",
)  # fmt: skip


def _row_values(record: StepRecord) -> dict[str, Any]:
    values = {name: getattr(record, name) for name in RECORD_FIELDS}
    values["error"] = dict(record.error) if record.error else None
    values["waiting_for"] = dict(record.waiting_for) if record.waiting_for else None
    return values


def _to_record(row: ExecutionStep) -> StepRecord:
    return StepRecord(
        step_key=row.step_key,
        attempt=row.attempt,
        **{name: getattr(row, name) for name in RECORD_FIELDS},
    )


EventSink = Callable[[str, dict[str, Any]], None]


class OrmJournal:
    """Journal for one execution. `on_event(kind, data)` hears every write (live events)."""

    def __init__(
        self, execution: Execution, on_event: EventSink | None = None, redactor: Redactor | None = None
    ) -> None:
        self.execution = execution
        self.on_event = on_event or (lambda kind, data: None)
        self.redactor = redactor or Redactor()
        # The runner asks for the latest and the completed record of every step; one worker
        # holds the execution at a time, so the rows are read once and then kept in memory.
        self._lock = threading.Lock()
        self._latest: dict[str, StepRecord] | None = None
        self._complete: dict[str, StepRecord] = {}

    def _load(self) -> dict[str, StepRecord]:
        if self._latest is None:
            self._latest = {}
            for row in self.execution.steps.order_by("attempt", "id"):
                self._remember(_to_record(row))
        return self._latest

    def _remember(self, record: StepRecord) -> None:
        latest = self._latest.get(record.step_key)
        if latest is None or record.attempt >= latest.attempt:
            self._latest[record.step_key] = record
        if record.is_complete:
            self._complete[record.step_key] = record

    def step_started(self, record: StepRecord) -> None:
        record = self.redactor.record(record)
        self._save(record)
        self.on_event("step.started", record.to_dict())

    def step_finished(self, record: StepRecord) -> None:
        record = self.redactor.record(record)
        self._save(record)
        self.on_event(f"step.{record.status}", record.to_dict())

    def log(self, node_id: str, level: str, message: str) -> None:
        message = self.redactor.scrub(message)
        ExecutionLog.objects.create(execution=self.execution, node_id=node_id, level=level, message=message)
        self.on_event("log", {"node_id": node_id, "level": level, "message": message})

    def completed_steps(self) -> Mapping[str, StepRecord]:
        with self._lock:
            self._load()
            return dict(self._complete)

    def last_record(self, step_key: str) -> StepRecord | None:
        with self._lock:
            return self._load().get(step_key)

    def _save(self, record: StepRecord) -> None:
        # One upsert per write (INSERT … ON CONFLICT UPDATE) instead of select-then-write.
        row = ExecutionStep(execution=self.execution, step_key=record.step_key, attempt=record.attempt,
                            **_row_values(record))  # fmt: skip
        ExecutionStep.objects.bulk_create(
            [row],
            update_conflicts=True,
            unique_fields=["execution", "step_key", "attempt"],
            update_fields=list(RECORD_FIELDS),
        )
        with self._lock:
            self._load()
            self._remember(record)
