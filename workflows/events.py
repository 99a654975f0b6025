"""One place broadcasts execution events to Channels groups (`execution.<id>`, `workflow.<id>`).

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
from typing import Any

from channels.layers import get_channel_layer
from django.core.serializers.json import DjangoJSONEncoder
from redis.exceptions import RedisError

from flowbuilder.redis import get_redis

logger = logging.getLogger(__name__)
SEQUENCE_TTL_SECONDS = 7 * 86_400


def execution_group(execution_id: str) -> str:
    return f"execution.{execution_id}"


def workflow_group(workflow_id: str) -> str:
    return f"workflow.{workflow_id}"


def next_sequence(execution_id: str) -> int:
    """Per-execution event order, shared by every worker that ever runs it."""
    redis = get_redis()
    key = f"events:seq:{execution_id}"
    seq = redis.incr(key)
    if seq == 1:
        redis.expire(key, SEQUENCE_TTL_SECONDS)
    return seq


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
        layer = get_channel_layer()
        while True:
            groups, message = await self.queue.get()
            try:
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


def publish_event(execution, kind: str, data: dict[str, Any], *, seq: int | None = None) -> None:
    """Queue one event for everyone watching the execution or its workflow."""
    if get_channel_layer() is None:
        return
    if seq is None:
        try:
            seq = next_sequence(execution.id)
        except (RedisError, OSError, ValueError):
            # Live events are a view of the run, never part of it: the journal already has it.
            logger.warning("event %s of %s not sent: Redis error", kind, execution.id, exc_info=True)
            return
    message = {
        "type": "execution.event",
        "event": kind,
        "execution_id": execution.id,
        "workflow_id": execution.workflow_id,
        "seq": seq,
        # Channels serialises with msgpack: keep the payload plain JSON types.
        "data": json.loads(json.dumps(data, cls=DjangoJSONEncoder, default=str)),
    }
    _get_sender().send([execution_group(execution.id), workflow_group(execution.workflow_id)], message)


def flush_events(timeout: float = 5.0) -> None:
    """Wait until every queued event has been handed to the channel layer."""
    if _sender is not None and _sender_pid == os.getpid():
        _sender.flush(timeout)
