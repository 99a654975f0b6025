"""Which unfinished runs are healthy, stuck or recovering: one rule for the pages and the metrics.

A run that never ends must not look healthy (issue 24, item 4). From what the database holds:

- *stuck*: running while its lease has run out (its worker stopped renewing it; the sweep will
  hand it back or end it, D9), or pending for more than a minute without ever having lost a
  worker (nobody claims it);
- *recovering*: unfinished and given back to the queue after losing a worker at least once
  (`recovered_count`), and not stuck right now;
- everything else unfinished (a live lease, a wait, a run just queued) is healthy.
"""

from __future__ import annotations

from datetime import datetime

from django.db.models import Q

from workflows.models import Execution, ExecutionStatus
from workflows.system import PENDING_STUCK_AFTER

UNFINISHED = (ExecutionStatus.PENDING, ExecutionStatus.RUNNING, ExecutionStatus.WAITING)
HEALTH_FILTERS = {"stuck": "Stuck", "recovering": "Recovering"}


def stuck_q(now: datetime) -> Q:
    expired = Q(lease_expires_at__lt=now) | Q(lease_expires_at=None)
    unclaimed = Q(status=ExecutionStatus.PENDING, recovered_count=0, created_at__lt=now - PENDING_STUCK_AFTER)
    return (Q(status=ExecutionStatus.RUNNING) & expired) | unclaimed


def recovering_q(now: datetime) -> Q:
    return Q(status__in=UNFINISHED, recovered_count__gt=0) & ~stuck_q(now)


def health_q(name: str, now: datetime) -> Q:
    return stuck_q(now) if name == "stuck" else recovering_q(now)


def run_health(execution: Execution, now: datetime) -> str:
    """"stuck", "recovering" or "" (finished, or unfinished and healthy), for one run in hand."""
    if execution.is_terminal:
        return ""
    lease = execution.lease_expires_at
    if execution.status == ExecutionStatus.RUNNING and (lease is None or lease < now):
        return "stuck"
    if execution.recovered_count:
        return "recovering"
    if execution.status == ExecutionStatus.PENDING and execution.created_at < now - PENDING_STUCK_AFTER:
        return "stuck"
    return ""
