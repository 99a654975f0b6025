"""The decisions behind execute_and_wait and stream, shared by the sync and async bodies in client.py."""

from __future__ import annotations

import time
from typing import Any

from flowbuilder_sdk._base import Page
from flowbuilder_sdk.errors import WaitTimeoutError
from flowbuilder_sdk.models import Execution

TERMINAL = frozenset({"completed", "failed", "cancelled"})
SERVER_WAIT_LIMIT = 60.0  # `wait` on execute: the server holds the call at most this long


def finished(value: Any) -> Execution | None:
    """The execution when it has ended (completed, failed, cancelled), else None."""
    return value if isinstance(value, Execution) and value.status in TERMINAL else None


def execution_id_of(value: Any) -> str:
    return getattr(value, "execution_id", None) or value.id


def server_wait(timeout: float) -> float:
    return max(0.0, min(SERVER_WAIT_LIMIT, timeout))


class Deadline:
    def __init__(self, seconds: float) -> None:
        self.seconds = seconds
        self.at = time.monotonic() + seconds

    def left(self) -> float:
        return self.at - time.monotonic()

    def expired(self, execution_id: str, status: str | None) -> WaitTimeoutError:
        return WaitTimeoutError(
            f"Execution {execution_id} had not ended after {self.seconds:g} s (status {status}); it goes on: "
            f"client.executions.wait({execution_id!r}) or .get() it later.",
            execution_id=execution_id,
            status=status,
        )


class EventCursor:
    """Where a stream is in a run's event log, and whether it has seen everything."""

    def __init__(self, after: int) -> None:
        self.after = after
        self.done = False

    def take(self, page: Page) -> list[Any]:
        """The page's new events; marks the stream done once the run has ended and the log is read."""
        fresh = [event for event in page.items if event.seq > self.after]
        if fresh:
            self.after = fresh[-1].seq
        meta = page.meta
        if meta.get("next_after") is not None:
            self.after = max(self.after, int(meta["next_after"]))
        caught_up = not meta.get("has_more") and self.after >= int(meta.get("last_seq") or 0)
        self.done = caught_up and meta.get("status") in TERMINAL
        return fresh

    @staticmethod
    def lost_events(page: Page) -> bool:
        """The log no longer reaches back to `after` (trimmed or expired)."""
        return page.meta.get("complete") is False

    def resync(self, execution: Execution) -> None:
        """Continue from the execution's `event_seq` (read it again for what was lost); done if it has ended."""
        self.after = max(self.after, int(execution.event_seq or 0))
        self.done = execution.status in TERMINAL
