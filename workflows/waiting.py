"""Waiting for a run to end without polling: a Redis message wakes the waiter.

The worker publishes on `execution-finished:<id>` after the terminal state is committed.
A waiter subscribes *before* it reads the row, so it cannot miss the message; it still
re-reads the row every second in case a message is lost (a Redis restart).
"""

from __future__ import annotations

import time

from flowbuilder.redis import get_redis
from workflows.models import Execution

SAFETY_RECHECK_SECONDS = 1.0
REFRESHED_FIELDS = ["status", "output", "error", "started_at", "completed_at", "resume_at", "waiting_for"]


def finished_channel(execution_id: str) -> str:
    return f"execution-finished:{execution_id}"


def announce_finished(execution_id: str, status: str) -> None:
    get_redis().publish(finished_channel(execution_id), status)


def wait_for_end(execution: Execution, timeout: float) -> Execution:
    """The execution, refreshed, once it is terminal or `timeout` seconds have passed."""
    pubsub = get_redis().pubsub(ignore_subscribe_messages=True)
    pubsub.subscribe(finished_channel(execution.id))
    try:
        deadline = time.monotonic() + timeout
        while True:
            execution.refresh_from_db(fields=REFRESHED_FIELDS)
            remaining = deadline - time.monotonic()
            if execution.is_terminal or remaining <= 0:
                return execution
            pubsub.get_message(timeout=min(remaining, SAFETY_RECHECK_SECONDS))
    finally:
        pubsub.close()
