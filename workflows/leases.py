"""Leases: how one worker holds a run, and how it learns it lost it.

A worker holds an execution through a lease it renews while it runs; a lease left to
expire means the worker died, and the scheduler hands the execution to another worker.
Every durable journal write renews the lease in its own transaction, so a worker that
lost it cannot write a step, and stops at the next step boundary.
"""

from __future__ import annotations

import logging
import os
import socket
import threading
import time
import uuid
from datetime import timedelta

from django.conf import settings
from django.db import close_old_connections, transaction
from django.utils import timezone

from workflows.journal import OrmJournal
from workflows.models import Execution
from workflows.nodes import get_registry

logger = logging.getLogger(__name__)
WORKER_ID = f"{socket.gethostname()}:{os.getpid()}:{uuid.uuid4().hex[:8]}"


class LeaseLost(Exception):
    """Another worker took the execution over; this one must stop writing."""


class HandOff(Exception):
    """A run in the web process used its time budget: a worker carries on from the next step."""


def renew_lease(execution_id: str) -> None:
    renewed = Execution.objects.filter(pk=execution_id, lease_owner=WORKER_ID).update(
        lease_expires_at=timezone.now() + timedelta(seconds=settings.FLOWBUILDER_LEASE_SECONDS)
    )
    if not renewed:
        raise LeaseLost(execution_id)


class LeaseHeartbeat:
    """Renews the lease in the background while the engine runs (every FLOWBUILDER_HEARTBEAT_SECONDS).

    One renewer thread per process serves every run's heartbeat: a thread of its own per run
    cost its start and join on every short sync run (~5 % of a webhook's CPU, D19 addendum (2)).
    """

    def __init__(self, execution_id: str) -> None:
        self.execution_id = execution_id
        self.stopped = threading.Event()
        self.lost = threading.Event()

    def start(self) -> None:
        _renewer().add(self)

    def stop(self) -> None:
        self.stopped.set()
        _renewer().discard(self)


class LeaseRenewer:
    """A daemon thread that renews each registered heartbeat's lease when it falls due."""

    def __init__(self) -> None:
        self.due: dict[LeaseHeartbeat, float] = {}
        self.changed = threading.Condition()
        threading.Thread(target=self._run, daemon=True, name="lease-renewer").start()

    def add(self, beat: LeaseHeartbeat) -> None:
        with self.changed:
            self.due[beat] = time.monotonic() + settings.FLOWBUILDER_HEARTBEAT_SECONDS
            self.changed.notify()

    def discard(self, beat: LeaseHeartbeat) -> None:
        with self.changed:
            self.due.pop(beat, None)

    def _next_due(self) -> list[LeaseHeartbeat]:
        """Wait until some heartbeat is due; those, with their next time set."""
        with self.changed:
            while True:
                now = time.monotonic()
                ready = [beat for beat, at in self.due.items() if at <= now]
                if ready:
                    for beat in ready:
                        self.due[beat] = now + settings.FLOWBUILDER_HEARTBEAT_SECONDS
                    return ready
                self.changed.wait(timeout=min(self.due.values(), default=now + 60) - now)

    def _run(self) -> None:
        while True:
            for beat in self._next_due():
                if beat.stopped.is_set():
                    continue
                try:
                    renew_lease(beat.execution_id)
                except LeaseLost:
                    beat.lost.set()
                    self.discard(beat)
                except Exception:  # noqa: BLE001 - a database hiccup: try again at the next beat
                    logger.warning("could not renew the lease on %s", beat.execution_id, exc_info=True)
            close_old_connections()


_renewer_instance: LeaseRenewer | None = None
_renewer_pid: int | None = None
_renewer_lock = threading.Lock()


def _renewer() -> LeaseRenewer:
    """The process's renewer (a forked work horse starts its own: threads do not survive fork)."""
    global _renewer_instance, _renewer_pid
    with _renewer_lock:
        if _renewer_instance is None or _renewer_pid != os.getpid():
            _renewer_instance, _renewer_pid = LeaseRenewer(), os.getpid()
        return _renewer_instance


class LeasedJournal(OrmJournal):
    """Refuses to write once another worker owns the execution (lease check and write commit together).

    Each durable write is one transaction: the lease renewal (`UPDATE … WHERE lease_owner
    = me`, which also locks the row against a claim) and one INSERT of every waiting
    record. A pure step's record waits for the next such write (`OrmJournal`), so a run of
    pure steps costs no statement until its next effect, park or end; the finish writes
    what is left in its own row-locked transaction (`flush(lease_checked=True)`).
    """

    def __init__(self, *args, heartbeat: LeaseHeartbeat, over_budget=None, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.heartbeat = heartbeat
        # Asked before each step starts (runs in the web process, workflows.inline).
        self.over_budget = over_budget or (lambda: False)

    def log(self, node_id: str, level: str, message: str) -> None:
        self._check_heartbeat()
        super().log(node_id, level, message)

    def _check_heartbeat(self) -> None:
        if self.heartbeat.lost.is_set():
            raise LeaseLost(self.execution.id)

    def _save(self, record) -> None:
        # Every step start and finish passes here: a lost lease stops the run at the next step.
        self._check_heartbeat()
        if record.status == "running" and self.over_budget():
            raise HandOff(self.execution.id)
        super()._save(record)

    def _write(self, records, *, lease_checked: bool = False) -> None:
        if lease_checked:
            super()._write(records)
            return
        with transaction.atomic():
            renew_lease(self.execution.id)
            super()._write(records)


def deferrable(record) -> bool:
    """A record that may wait for the next durable write: a skipped step or a pure node's."""
    if record.status == "skipped":
        return True
    node_type = get_registry().get(record.node_type)
    return bool(node_type is not None and node_type.pure)


class CancelCheck:
    """Asks the database whether a cancel was requested, at most every `interval` seconds."""

    def __init__(self, execution_id: str, interval: float = 0.5, *, checked_now: bool = False) -> None:
        """`checked_now`: the caller just read `cancel_requested` false (the claim did)."""
        self.execution_id, self.interval = execution_id, interval
        self.checked_at, self.cancelled = (time.monotonic() if checked_now else 0.0), False

    def __call__(self) -> bool:
        now = time.monotonic()
        if not self.cancelled and now - self.checked_at >= self.interval:
            self.checked_at = now
            self.cancelled = Execution.objects.filter(pk=self.execution_id, cancel_requested=True).exists()
        return self.cancelled
