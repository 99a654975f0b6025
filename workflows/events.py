"""One place numbers, keeps and broadcasts execution events (`execution.<id>`, `workflow.<id>`).

Every event is appended to the execution's event log first (`workflows.event_log`: a
sequence number and a bounded Redis stream, in one atomic step), then broadcast. The
broadcast may drop messages (a channel layer discards what a full channel cannot hold);
the log does not, so consumers and clients fill any gap from it.

Events leave through one background event loop per process, in order: `async_to_sync`
on every event would build a loop (and a new channels_redis connection pool) each time,
which cost ~5 ms per event. Workers call `flush_events()` before a job ends, because RQ's
forked work horse exits without running anything else.
"""

from __future__ import annotations

import asyncio
import json
import logging
import os
import threading
import time
from typing import Any

from channels.layers import get_channel_layer
from channels_redis.core import RedisChannelLayer
from django.conf import settings
from django.core.serializers.json import DjangoJSONEncoder
from redis.exceptions import RedisError

from workflows.event_log import append_and_count_listeners
from workflows.previews import preview_step_values, preview_value

logger = logging.getLogger(__name__)


def execution_group(execution_id: str) -> str:
    return f"execution.{execution_id}"


def workflow_group(workflow_id: str) -> str:
    return f"workflow.{workflow_id}"


class EventSender:
    """A daemon thread with an event loop that sends queued events one after another."""

    def __init__(self) -> None:
        self.loop = asyncio.new_event_loop()
        self.queue: asyncio.Queue | None = None
        self.ready = threading.Event()
        self.thread = threading.Thread(target=self._run, name="event-sender", daemon=True)
        self.thread.start()
        self.ready.wait()

    def _run(self) -> None:
        asyncio.set_event_loop(self.loop)
        self.queue = asyncio.Queue()
        self.loop.call_soon(self.ready.set)
        self.loop.run_until_complete(self._drain_forever())

    async def _drain_forever(self) -> None:
        while True:
            groups, message = await self.queue.get()
            try:
                # Looked up per message: settings (and tests) may swap the layer.
                layer = get_channel_layer()
                for group in groups:
                    await layer.group_send(group, message)
            except Exception:  # noqa: BLE001 - a broken event bus must not fail the run
                logger.warning("could not publish %s", message.get("event"), exc_info=True)
            finally:
                self.queue.task_done()

    def send(self, groups: list[str], message: dict[str, Any]) -> None:
        self.loop.call_soon_threadsafe(self.queue.put_nowait, (groups, message))

    def flush(self, timeout: float = 5.0) -> None:
        future = asyncio.run_coroutine_threadsafe(self.queue.join(), self.loop)
        try:
            future.result(timeout)
        except TimeoutError:
            logger.warning("events still unsent after %.1f s", timeout)


_sender: EventSender | None = None
_sender_lock = threading.Lock()
_sender_pid: int | None = None


def _get_sender() -> EventSender:
    """One sender per process (a forked work horse gets its own: threads do not survive fork)."""
    global _sender, _sender_pid
    with _sender_lock:
        if _sender is None or _sender_pid != os.getpid():
            _sender, _sender_pid = EventSender(), os.getpid()
        return _sender


def prepared_event(execution, kind: str, data: dict[str, Any]) -> dict[str, Any]:
    """The event as the log keeps it (without its seq): plain JSON, large step values as previews.

    Step values over FLOWBUILDER_INLINE_VALUE_BYTES travel as previews (workflows.previews),
    which keeps channel messages and the log small; clients fetch the full value on demand.
    """
    data = json.loads(json.dumps(data, cls=DjangoJSONEncoder, default=str))
    if kind.startswith("step."):
        data = preview_step_values(data, execution.id)
    elif data.get("output") is not None:
        data["output"] = preview_value(data["output"], f"/api/v1/executions/{execution.id}")
    # Channels serialises with msgpack and the log stores JSON: plain JSON types only.
    return {"event": kind, "execution_id": execution.id, "workflow_id": execution.workflow_id, "data": data}


def publish_event(execution, kind: str, data: dict[str, Any], *, seq: int | None = None) -> None:
    """Keep one event in the execution's log, then queue it for everyone watching.

    `seq` given: broadcast that number again without logging (tests replay a stale event).
    """
    event = prepared_event(execution, kind, data)
    if seq is None:
        _log_and_send(execution, [event])
    else:
        _send(execution, [{**event, "seq": seq}])


def _log_and_send(execution, events: list[dict[str, Any]]) -> None:
    layer = get_channel_layer()
    keys = _member_keys(layer, _groups(execution))
    try:
        alive_since = time.time() - layer.group_expiry if keys else 0
        seqs, listeners = append_and_count_listeners(execution.id, events, keys or [], alive_since)
    except (RedisError, OSError, ValueError):
        # Live events are a view of the run, never part of it: the journal already has it.
        logger.warning("%d event(s) of %s not sent: Redis error", len(events), execution.id, exc_info=True)
        return
    if keys is not None and listeners == 0:
        return  # nobody watches this run or its workflow: a broadcast would reach no one
    _send(execution, [{**event, "seq": seq} for event, seq in zip(events, seqs, strict=True)])


def _member_keys(layer, groups: list[str]) -> list[bytes] | None:
    """The Redis keys of the groups' members when the channel layer keeps them beside the event
    log (one Redis, as settings configure it), so numbering the events also counts who listens.
    None for any other layer (in memory, sharded, swapped by a test): events are then always
    sent, as a broadcast to an in-memory group costs no round trip."""
    if not isinstance(layer, RedisChannelLayer) or not settings.REDIS_URL:
        return None
    if [host.get("address") for host in layer.hosts] != [settings.REDIS_URL]:
        return None
    return [layer._group_key(group) for group in groups]


def _send(execution, events: list[dict[str, Any]]) -> None:
    """One channel message per group: a lone event as is, several as a `batch` (in seq order)."""
    if get_channel_layer() is None:
        return
    one = len(events) == 1
    message = {"type": "execution.event", **events[0]} if one else {"type": "execution.event", "batch": events}
    _get_sender().send(_groups(execution), message)


def _groups(execution) -> list[str]:
    """Who a run's events go to: its own watchers and its workflow's (the editor's canvas)."""
    return [execution_group(execution.id), workflow_group(execution.workflow_id)]


def unbatched(message: dict[str, Any]) -> list[dict[str, Any]]:
    """The events one channel message carries, oldest first (consumers read both shapes)."""
    return message.get("batch", [message])


class RunEvents:
    """A run's events, numbered, logged and broadcast together: one Redis call and one channel
    message per group for a batch, instead of five round trips per event (D19 addendum (2)).

    Events wait while the run's journal holds records in memory too (pure steps): `add(…,
    urgent=True)` (a durable write just happened, e.g. an effectful step starts) sends the
    batch, and so do `flush()` at the run's end, park or hand-off, a batch older than
    FLOWBUILDER_EVENT_BATCH_SECONDS and a full batch. Watchers see a pure step's events at
    the latest when the run reaches its next effect or ends, never after its records are durable.
    """

    MAX_BATCH = 200

    def __init__(self, execution, clock=time.monotonic) -> None:
        self.execution, self.clock = execution, clock
        self.pending: list[dict[str, Any]] = []
        self.since = 0.0

    def add(self, kind: str, data: dict[str, Any], *, urgent: bool = False) -> None:
        if not self.pending:
            self.since = self.clock()
        self.pending.append(prepared_event(self.execution, kind, data))
        overdue = self.clock() - self.since >= settings.FLOWBUILDER_EVENT_BATCH_SECONDS
        if urgent or overdue or len(self.pending) >= self.MAX_BATCH:
            self.flush()

    def flush(self) -> None:
        events, self.pending = self.pending, []
        if events:
            _log_and_send(self.execution, events)


def flush_events(timeout: float = 5.0) -> None:
    """Wait until every queued event has been handed to the channel layer."""
    if _sender is not None and _sender_pid == os.getpid():
        _sender.flush(timeout)
