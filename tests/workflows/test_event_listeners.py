"""A run's events are broadcast only when someone listens (workflows.events, D27).

Numbering a batch of events (one Lua script on the event log's Redis) also counts the members
of the run's two channel groups, so a run nobody watches costs no broadcast; the log keeps its
events all the same. Real runs, the real channels_redis layer on the test Redis, real group
membership; the spy wraps the real `_send` and only counts its calls.
"""

from __future__ import annotations

import asyncio
import time

import pytest
from asgiref.sync import async_to_sync, sync_to_async
from channels.layers import get_channel_layer
from channels_redis.core import RedisChannelLayer

from flowbuilder.redis import get_redis
from tests.workflows.conftest import edge, node
from workflows import events, services
from workflows.event_log import append_and_count_listeners, read_events
from workflows.events import execution_group, flush_events, unbatched, workflow_group

pytestmark = pytest.mark.django_db(transaction=True)

FLOW = {
    "nodes": [node("start", "trigger.manual"), node("one", "data.set", {"fields": {"a": 1}})],
    "edges": [edge("start", "one")],
}


@pytest.fixture
def sends(monkeypatch):
    """How many channel messages each run handed to the sender."""
    calls: list[list[str]] = []
    real = events._send

    def spy(execution, batch):
        calls.append([event["event"] for event in batch])
        real(execution, batch)

    monkeypatch.setattr(events, "_send", spy)
    return calls


def logged_kinds(execution_id: str) -> list[str]:
    return [event["event"] for event in read_events(execution_id, after=0, limit=100).events]


def test_the_test_settings_use_the_redis_layer_beside_the_event_log():
    layer = get_channel_layer()
    assert isinstance(layer, RedisChannelLayer)
    assert events._member_keys(layer, ["execution.x"]) == [layer._group_key("execution.x")]


def test_a_run_nobody_watches_is_logged_but_not_broadcast(make_workflow, run_now, sends):
    execution = services.start_execution(make_workflow(definition=FLOW), input={}, version=None)
    assert run_now(execution.id) == "completed"
    assert sends == []
    kinds = logged_kinds(execution.id)
    assert kinds[0] == "execution.started" and kinds[-1] == "execution.finished"


@pytest.mark.parametrize("watched", ["execution", "workflow"])
def test_a_member_of_either_group_receives_the_run(make_workflow, run_now, sends, watched):
    workflow = make_workflow(definition=FLOW)
    execution = services.start_execution(workflow, input={}, version=None)
    group = execution_group(execution.id) if watched == "execution" else workflow_group(workflow.id)

    async def watch_a_run():
        layer = get_channel_layer()
        channel = await layer.new_channel()
        await layer.group_add(group, channel)
        assert await sync_to_async(run_now)(execution.id) == "completed"
        await sync_to_async(flush_events)()
        received = []
        while not received or received[-1]["event"] != "execution.finished":
            received.extend(unbatched(await asyncio.wait_for(layer.receive(channel), 10)))
        await layer.group_discard(group, channel)
        return received

    received = async_to_sync(watch_a_run)()
    assert [event["event"] for event in received] == logged_kinds(execution.id)
    assert [event["seq"] for event in received] == list(range(1, len(received) + 1))
    assert sends  # the batch went out


def test_a_member_past_the_group_expiry_does_not_count(make_workflow, run_now, sends):
    layer = get_channel_layer()
    execution = services.start_execution(make_workflow(definition=FLOW), input={}, version=None)
    stale = time.time() - layer.group_expiry - 60  # channels_redis drops it at the next group_send
    get_redis().zadd(layer._group_key(execution_group(execution.id)), {"specific.gone!abc": stale})
    assert run_now(execution.id) == "completed"
    assert sends == []


def test_listeners_are_counted_with_the_numbering(make_workflow):
    layer = get_channel_layer()
    keys = [layer._group_key("execution.counted"), layer._group_key("workflow.counted")]
    now = time.time()
    get_redis().zadd(keys[0], {"specific.a!1": now, "specific.b!2": now})
    get_redis().zadd(keys[1], {"specific.c!3": now, "specific.old!4": now - 10_000})
    try:
        seqs, listeners = append_and_count_listeners("exe_counted", [{"event": "a", "data": {}}], keys, now - 100)
        assert (seqs, listeners) == ([1], 3)
        assert append_and_count_listeners("exe_counted", [{"event": "b", "data": {}}], [], 0) == ([2], 0)
    finally:
        get_redis().delete(*keys)


def another_redis_database(url: str) -> str:
    base, _, number = url.rpartition("/")
    return f"{base}/{(int(number or 0) + 1) % 16}"


@pytest.mark.parametrize("kind", ["in-memory", "other-redis"])
def test_other_layers_always_broadcast(make_workflow, run_now, sends, settings, kind):
    if kind == "in-memory":
        layer = {"BACKEND": "flowbuilder.channel_layer.InMemoryChannelLayer"}
    else:  # a layer on another Redis (or sharded) keeps its groups where the script cannot see them
        hosts = [another_redis_database(settings.REDIS_URL)]
        layer = {"BACKEND": "channels_redis.core.RedisChannelLayer", "CONFIG": {"hosts": hosts}}
    settings.CHANNEL_LAYERS = {"default": layer}
    execution = services.start_execution(make_workflow(definition=FLOW), input={}, version=None)
    assert run_now(execution.id) == "completed"
    assert sends and sends[-1][-1] == "execution.finished"
