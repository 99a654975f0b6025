"""The ORM journal: the engine's step records, persisted as ExecutionStep rows.

Durable before effects, not before every step: a record of a step with effects outside
the run (HTTP, email, a database, AI, chat, a sub-workflow) is written at once, with every
record before it, before the runner moves on; a pure step's record (set, if, switch,
merge, succeed, fail, a trigger, a wait) waits in memory for that next write, the park
or the end of the run. A worker that dies mid-run leaves on disk every step up to its
last effect; the pure steps after it are replayed: they are deterministic functions of
the journal, so the replay gives the same records.
"""

from __future__ import annotations

import threading
from collections.abc import Callable, Mapping
from typing import Any

from workflows.engine import StepRecord
from workflows.models import Execution, ExecutionLog, ExecutionStep
from workflows.redaction import Redactor
from workflows.step_rows import RECORD_FIELDS, write_step_rows


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


# The most step rows or log lines a journal keeps for `written()` (the API shows at most
# FLOWBUILDER_INLINE_STEPS, 100 by default, and counts the rest).
WRITTEN_KEPT = 1000

EventSink = Callable[[str, dict[str, Any]], None]
Deferrable = Callable[[StepRecord], bool]


class OrmJournal:
    """Journal for one execution. `on_event(kind, data)` hears every write (live events).

    `deferrable(record)` says which records may wait in memory for the next durable write
    (the records of pure steps); the others are written at once, together with everything
    waiting before them, so an effect never starts before what led to it is on disk.
    `fresh` says the execution has no steps yet (its first claim), so none are read.
    """

    def __init__(
        self,
        execution: Execution,
        on_event: EventSink | None = None,
        redactor: Redactor | None = None,
        *,
        deferrable: Deferrable | None = None,
        fresh: bool = False,
    ) -> None:
        self.execution = execution
        self.on_event = on_event or (lambda kind, data: None)
        self.redactor = redactor or Redactor()
        self.deferrable = deferrable or (lambda record: False)
        # The runner asks for the latest and the completed record of every step; one worker
        # holds the execution at a time, so the rows are read once and then kept in memory.
        self._lock = threading.Lock()
        self._latest: dict[str, StepRecord] | None = {} if fresh else None
        self._complete: dict[str, StepRecord] = {}
        # Records not yet written, by row (a step's start and finish are one row): written
        # in order with the next write that must be durable, and the writes one at a time.
        self._pending: dict[tuple[str, int], StepRecord] = {}
        self._write_lock = threading.RLock()
        self.rows: set[tuple[str, int]] = set()
        # A fresh execution's rows as written, in id order (`written()`): an inline run answers
        # from them instead of reading them back. None once unknown (no ids came back) or past
        # WRITTEN_KEPT rows or lines (a long run is read back, as before, not held in memory).
        self._written: dict[tuple[str, int], ExecutionStep] | None = {} if fresh else None
        self._written_logs: list[ExecutionLog] | None = [] if fresh else None

    def _load(self) -> dict[str, StepRecord]:
        if self._latest is None:
            self._latest = {}
            for row in self.execution.steps.order_by("attempt", "id"):
                self.rows.add((row.step_key, row.attempt))
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
        line = ExecutionLog.objects.create(execution=self.execution, node_id=node_id, level=level, message=message)
        if self._written_logs is not None:
            self._written_logs.append(line)
            if len(self._written_logs) > WRITTEN_KEPT:
                self._written_logs = None
        self.on_event("log", {"node_id": node_id, "level": level, "message": message})

    def completed_steps(self) -> Mapping[str, StepRecord]:
        with self._lock:
            self._load()
            return dict(self._complete)

    def last_record(self, step_key: str) -> StepRecord | None:
        with self._lock:
            return self._load().get(step_key)

    def row_count(self) -> int | None:
        """How many step rows the execution has once pending ones are written; None if unknown
        (the journal never read the execution's steps)."""
        with self._lock:
            if self._latest is None:
                return None
            return len(self.rows | set(self._pending))

    def written(self) -> tuple[list[ExecutionStep], list[ExecutionLog]] | None:
        """Every step row and log line of the execution as this journal wrote them, in id order;
        None unless the journal started the execution (it would not know the rows before it)."""
        with self._write_lock:
            if self._written is None or self._written_logs is None or self._pending:
                return None
            return list(self._written.values()), list(self._written_logs)

    @property
    def pending(self) -> int:
        """Records waiting in memory for the next durable write."""
        return len(self._pending)

    def _save(self, record: StepRecord) -> None:
        with self._write_lock:
            with self._lock:
                self._load()
            self._pending[(record.step_key, record.attempt)] = record
            if not self.deferrable(record):
                self.flush()
            with self._lock:
                self._remember(record)

    def flush(self, *, lease_checked: bool = False) -> None:
        """Write every waiting record, in one statement. `lease_checked`: the caller holds
        the execution's row lock and checked the lease in its own transaction."""
        with self._write_lock:
            if not self._pending:
                return
            records = list(self._pending.values())
            self._write(records, lease_checked=lease_checked)
            self._pending.clear()
            self.rows.update((record.step_key, record.attempt) for record in records)

    def _write(self, records: list[StepRecord], *, lease_checked: bool = False) -> None:
        # One upsert for all of them (INSERT … ON CONFLICT UPDATE) instead of select-then-write
        # (workflows.step_rows).
        rows = [
            ExecutionStep(execution=self.execution, step_key=record.step_key, attempt=record.attempt,
                          **_row_values(record))
            for record in records
        ]  # fmt: skip
        write_step_rows(rows)
        if self._written is not None:
            if any(row.pk is None for row in rows):
                self._written = None  # a database that does not return ids: read them back
                return
            for row in rows:  # a row written again keeps its place (its id)
                self._written[(row.step_key, row.attempt)] = row
            if len(self._written) > WRITTEN_KEPT:
                self._written = None
