"""The scheduler loop: cron triggers, abandoned-run recovery, overdue waits.

Run one or more (`manage.py run_scheduler`); in the embedded mode it is a thread of the
server. Delayed jobs themselves (waits, retries) are RQ's: workers run with its scheduler.
"""

from __future__ import annotations

import logging
import threading

from django.conf import settings
from django.db import close_old_connections

from workflows.recovery import reap_abandoned_executions, requeue_overdue_waits
from workflows.schedules import fire_due_schedules

logger = logging.getLogger(__name__)


def run_scheduler_once() -> dict:
    close_old_connections()
    fired = fire_due_schedules()
    recovered = reap_abandoned_executions()
    overdue = requeue_overdue_waits()
    return {"fired": len(fired), "recovered": len(recovered), "overdue_waits": len(overdue)}


def run_scheduler_forever(stop: threading.Event, interval: float | None = None) -> None:
    interval = interval or settings.FLOWBUILDER_SCHEDULER_INTERVAL_SECONDS
    while not stop.is_set():
        try:
            run_scheduler_once()
        except Exception:  # noqa: BLE001 - one bad pass must not stop the scheduler
            logger.exception("scheduler pass failed")
        stop.wait(interval)
