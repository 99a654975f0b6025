"""The scheduler loop: cron triggers, abandoned-run recovery, the sweep of pending runs and due waits.

Run one or more (`manage.py run_scheduler`); in the embedded mode it is a thread of the
server. Waits are RQ scheduled jobs too (workers run with its scheduler), but the sweep
queues a due wait itself when RQ's scheduler has not: its lock can outlive a killed worker.
"""

from __future__ import annotations

import logging
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass

from django.conf import settings
from django.db import close_old_connections

from workflows.recovery import reap_abandoned_executions, sweep_runs
from workflows.schedules import fire_due_schedules

logger = logging.getLogger(__name__)


@dataclass
class PeriodicTask:
    run: Callable[[], object]
    every: float  # seconds; 0 means every pass
    last_run: float = float("-inf")


# Passes other apps add (webhooks registers its delivery sweep) without workflows importing them.
PERIODIC_TASKS: dict[str, PeriodicTask] = {}


def register_periodic_task(name: str, task: Callable[[], object], *, every: float = 0) -> None:
    """Run `task` in every scheduler pass (or at most every `every` seconds); its result is reported."""
    PERIODIC_TASKS[name] = PeriodicTask(run=task, every=every)


def run_periodic_tasks() -> dict:
    results = {}
    for name, task in PERIODIC_TASKS.items():
        now = time.monotonic()
        if now - task.last_run < task.every:
            continue
        task.last_run = now
        try:
            results[name] = task.run()
        except Exception:  # noqa: BLE001 - one failing task must not stop the others
            logger.exception("scheduler task %s failed", name)
    return results


def run_scheduler_once() -> dict:
    close_old_connections()
    fired = fire_due_schedules()
    recovered = reap_abandoned_executions()
    swept = sweep_runs()
    return {
        "fired": len(fired),
        "recovered": len(recovered),
        "requeued_pending": len(swept["pending"]),
        "woken_waits": len(swept["due_waits"]),
        **run_periodic_tasks(),
    }


def run_scheduler_forever(stop: threading.Event, interval: float | None = None) -> None:
    interval = interval or settings.FLOWBUILDER_SCHEDULER_INTERVAL_SECONDS
    while not stop.is_set():
        try:
            run_scheduler_once()
        except Exception:  # noqa: BLE001 - one bad pass must not stop the scheduler
            logger.exception("scheduler pass failed")
        stop.wait(interval)
