"""The ORM journal: the engine's step records, persisted as ExecutionStep rows.

Each write commits on its own before the runner moves on, so a worker that dies
mid-run leaves every finished step on disk for the next worker to replay.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any

from django.db import close_old_connections

from workflows.engine import StepRecord
from workflows.models import Execution, ExecutionLog, ExecutionStep

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

    def __init__(self, execution: Execution, on_event: EventSink | None = None) -> None:
        self.execution = execution
        self.on_event = on_event or (lambda kind, data: None)

    def step_started(self, record: StepRecord) -> None:
        self._save(record)
        self.on_event("step.started", record.to_dict())

    def step_finished(self, record: StepRecord) -> None:
        self._save(record)
        self.on_event(f"step.{record.status}", record.to_dict())

    def log(self, node_id: str, level: str, message: str) -> None:
        ExecutionLog.objects.create(execution=self.execution, node_id=node_id, level=level, message=message)
        self.on_event("log", {"node_id": node_id, "level": level, "message": message})

    def completed_steps(self) -> Mapping[str, StepRecord]:
        rows = self.execution.steps.exclude(output_port=None).order_by("id")
        return {row.step_key: _to_record(row) for row in rows}

    def last_record(self, step_key: str) -> StepRecord | None:
        row = self.execution.steps.filter(step_key=step_key).order_by("-attempt", "-id").first()
        return _to_record(row) if row else None

    def _save(self, record: StepRecord) -> None:
        ExecutionStep.objects.update_or_create(
            execution=self.execution,
            step_key=record.step_key,
            attempt=record.attempt,
            defaults=_row_values(record),
        )


def release_thread_connection() -> None:
    """for_each runs iterations in threads; each must give back its DB connection."""
    close_old_connections()
