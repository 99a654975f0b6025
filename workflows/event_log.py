"""Execution events are a log, not only a broadcast: numbered, kept, and readable by sequence.

Each event gets the next per-execution sequence number and is appended to a Redis stream
(`events:log:<id>`, entry id `0-<seq>`) in one Lua script, so numbering and keeping are one
atomic step: whatever a client receives with seq N, every event before N is already in the
log. The stream is bounded (`FLOWBUILDER_EVENT_LOG_MAX_EVENTS`) and expires
(`FLOWBUILDER_EVENT_LOG_SECONDS` after the last event); clients that find the log no longer
reaches back far enough reload the execution from the API instead (the journal holds it all).
In the embedded mode the same script runs on fakeredis (with lupa), so both modes share it.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from typing import Any

from django.conf import settings

from flowbuilder.redis import get_redis

# KEYS: the sequence counter, the stream, then the channel groups the events go to. ARGV:
# counter TTL, stream TTL, max length, the oldest group membership still alive (a time, as
# channels_redis scores members), then the events as JSON without their seq (objects, so "{"
# then the rest), numbered in order. One call numbers and keeps a whole batch
# (workflows.events.RunEvents) and counts who listens: one round trip. A counter that expired
# while its stream lived on would restart at 1 below the stream's last id; a fresh counter
# therefore starts a fresh stream.
APPEND_SCRIPT = """
local count = #ARGV - 4
local last = redis.call('INCRBY', KEYS[1], count)
redis.call('EXPIRE', KEYS[1], ARGV[1])
local first = last - count + 1
if first == 1 then redis.call('DEL', KEYS[2]) end
for i = 1, count do
  local body = ARGV[4 + i]
  local seq = first + i - 1
  local event = '{"seq":' .. seq .. (string.len(body) > 2 and ',' or '') .. string.sub(body, 2)
  redis.call('XADD', KEYS[2], 'MAXLEN', ARGV[3], '0-' .. seq, 'e', event)
end
redis.call('EXPIRE', KEYS[2], ARGV[2])
local listeners = 0
for i = 3, #KEYS do
  listeners = listeners + redis.call('ZCOUNT', KEYS[i], '(' .. ARGV[4], '+inf')
end
return {first, listeners}
"""


def sequence_key(execution_id: str) -> str:
    return f"events:seq:{execution_id}"


def log_key(execution_id: str) -> str:
    return f"events:log:{execution_id}"


def append_event(execution_id: str, event: dict[str, Any]) -> int:
    """Number and keep one event; returns its seq."""
    return append_events(execution_id, [event])[0]


def append_events(execution_id: str, events: list[dict[str, Any]]) -> list[int]:
    """Number and keep events in order, in one round trip; returns their seqs."""
    return append_and_count_listeners(execution_id, events, [], 0)[0]


def append_and_count_listeners(
    execution_id: str, events: list[dict[str, Any]], group_keys: list[bytes], alive_since: float
) -> tuple[list[int], int]:
    """Number and keep events, and count the members of channel groups (their Redis keys) that
    joined after `alive_since`, in the same atomic step: a member that joins later reads these
    events from the log (workflows.consumers joins first, then reads)."""
    if not events:
        return [], 0
    bodies = [json.dumps(event, separators=(",", ":")) for event in events]
    log_seconds = settings.FLOWBUILDER_EVENT_LOG_SECONDS
    first, listeners = get_redis().eval(
        APPEND_SCRIPT,
        2 + len(group_keys),
        sequence_key(execution_id),
        log_key(execution_id),
        *group_keys,
        max(log_seconds, settings.FLOWBUILDER_EVENT_SEQUENCE_SECONDS),
        log_seconds,
        settings.FLOWBUILDER_EVENT_LOG_MAX_EVENTS,
        int(alive_since),
        *bodies,
    )
    return list(range(int(first), int(first) + len(events))), int(listeners)


@dataclass(frozen=True)
class EventPage:
    """Events after a sequence number, as the log holds them."""

    events: list[dict[str, Any]]
    last_seq: int  # the newest seq handed out for this execution (0: none yet)
    complete: bool  # False when the log no longer holds every event after `after`
    has_more: bool  # more events after the last one returned


def read_events(execution_id: str, after: int, limit: int) -> EventPage:
    """Up to `limit` events with seq > `after`, oldest first, read in one consistent view."""
    pipe = get_redis().pipeline(transaction=True)
    pipe.get(sequence_key(execution_id))
    pipe.xrange(log_key(execution_id), min=f"0-{after + 1}", max="+", count=limit + 1)
    raw_seq, entries = pipe.execute()
    last_seq = int(raw_seq or 0)
    events = [json.loads(fields[b"e"]) for _entry_id, fields in entries]
    has_more = len(events) > limit
    events = events[:limit]
    expected_first = after + 1
    complete = (events[0]["seq"] == expected_first) if events else last_seq <= after
    return EventPage(events=events, last_seq=last_seq, complete=complete, has_more=has_more)


def read_sequences(execution_ids: list[str]) -> dict[str, int]:
    """The last seq handed out for each execution (0 when none yet)."""
    if not execution_ids:
        return {}
    values = get_redis().mget([sequence_key(execution_id) for execution_id in execution_ids])
    return {execution_id: int(value or 0) for execution_id, value in zip(execution_ids, values, strict=True)}
