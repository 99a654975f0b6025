"""Leases: how one worker holds a run, and how it learns it lost it.

A worker holds an execution through a lease it renews while it runs; a lease left to
expire means the worker died, and the scheduler hands the execution to another worker.
Every durable journal write renews the lease in its own transaction, so a worker that
lost it cannot write a step, and stops at the next step boundary.
"""

from __future__ import annotations

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
    """Renews the lease in the background while the engine runs."""

    def __init__(self, execution_id: str) -> None:
        self.execution_id = execution_id
        self.stopped = threading.Event()
        self.lost = threading.Event()
        self.thread = threading.Thread(target=self._beat, daemon=True, name=f"lease-{execution_id}")

    def start(self) -> None:
        self.thread.start()

    def stop(self) -> None:
        self.stopped.set()
        self.thread.join(timeout=5)

    def _beat(self) -> None:
        try:
            while not self.stopped.wait(settings.FLOWBUILDER_HEARTBEAT_SECONDS):
                try:
                    renew_lease(self.execution_id)
                except LeaseLost:
                    self.lost.set()
                    return
        finally:
            close_old_connections()


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
