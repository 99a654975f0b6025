"""The live view never misses a step: events are numbered and kept, gaps are filled from the log.

Runs are real (the job function on a thread, the ORM journal, the channel layer); the
channel capacity is forced low so the layer drops messages, in both the scaled layer
(channels_redis) and the embedded one (in memory). A client here behaves like the editor:
it applies events in seq order, and when the socket goes quiet it asks the API for what
is missing, until it holds the run's end.
"""

from __future__ import annotations

import asyncio
import threading

import pytest
from asgiref.sync import async_to_sync, sync_to_async
from channels.testing import WebsocketCommunicator

from flowbuilder.asgi import application
from tests.workflows.conftest import edge, node
from tests.workflows.test_consumers import ORIGIN, WAIT, open_stream, run_in_worker_thread, session_cookie  # noqa: F401
from workflows import services
from workflows.events import flush_events, publish_event
from workflows.models import Execution

pytestmark = pytest.mark.django_db(transaction=True)

RESUME = {"node_id": "approve", "payload": {"go": True}}
QUIET = 1.0  # seconds of silence after which the client asks the API (the editor's quiet timer)


def long_chain(count: int, pause_after: int | None = None) -> dict:
    """manual → s001 → … → s<count> (data.set each), optionally parked at `approve` after s<pause_after>."""
    nodes, edges, previous = [node("start", "trigger.manual")], [], "start"
    for index in range(1, count + 1):
        node_id = f"s{index:03d}"
        nodes.append(node(node_id, "data.set", {"fields": {"n": index}}))
        edges.append(edge(previous, node_id))
        previous = node_id
        if index == pause_after:
            nodes.append(node("approve", "logic.wait_for_event", {"event": "go", "timeout_seconds": 3600}))
            edges.append(edge(previous, "approve"))
            previous = "approve"
    return {"nodes": nodes, "edges": edges}


@pytest.fixture(params=["scaled", "embedded"])
def small_channels(request, settings):
    """A channel layer that holds 5 messages per channel, like either mode's, so bursts are dropped."""
    if request.param == "scaled":
        # A generous read timeout: run_blocking() holds the consumer's loop for the whole run, and
        # the read it had in flight must not time out meanwhile (daphne never blocks like that).
        hosts = [{"address": settings.REDIS_URL, "socket_timeout": 300}]
        layer = {"BACKEND": "channels_redis.core.RedisChannelLayer", "CONFIG": {"hosts": hosts, "capacity": 5}}
    else:
        layer = {"BACKEND": "flowbuilder.channel_layer.InMemoryChannelLayer", "CONFIG": {"capacity": 5}}
    settings.CHANNEL_LAYERS = {"default": layer}
    return request.param


@pytest.fixture
def alice_browser(alice, session_client_for):
    return session_client_for(alice)


def run_blocking(execution_id: str, resume: dict | None = None) -> None:
    """Run on another thread and wait for it, blocking this thread's event loop meanwhile.

    While the loop is blocked the consumer reads nothing, so its channel fills up and the
    layer drops the rest of the run's events: a burst no watcher could keep up with.
    """
    thread = threading.Thread(target=lambda: run_in_worker_thread_resuming(execution_id, resume))
    thread.start()
    thread.join()


def run_in_worker_thread_resuming(execution_id: str, resume: dict | None) -> None:
    from django.db import connections

    from workflows.jobs import run_execution

    try:
        run_execution(execution_id, resume=resume)
    finally:
        connections.close_all()


class Watcher:
    """The client side of the protocol: events by seq, gaps and quiet spells filled from the API."""

    def __init__(self, api, execution_id: str, applied_up_to: int = 0) -> None:
        self.api, self.execution_id = api, execution_id
        self.events: dict[int, dict] = {}
        self.last = applied_up_to
        self.from_socket = self.from_api = 0

    def take(self, event: dict, *, via: str) -> None:
        if event["seq"] <= self.last or event["seq"] in self.events:
            return
        self.events[event["seq"]] = event
        if via == "socket":
            self.from_socket += 1
        else:
            self.from_api += 1
        while self.last + 1 in self.events:
            self.last += 1

    @property
    def finished(self) -> bool:
        """Holds the run's end, and every event before it."""
        if not self.events or max(self.events) != self.last:
            return False
        return any(event["event"] == "execution.finished" for event in self.events.values())

    async def backfill(self) -> dict:
        after = self.last
        while True:
            answer = await sync_to_async(self.api.get)(f"/api/v1/executions/{self.execution_id}/events?after={after}")
            assert answer.status_code == 200, answer.content
            body = answer.json()
            assert body["meta"]["complete"] is True
            for event in body["data"]:
                self.take(event, via="api")
            if not body["meta"]["has_more"]:
                return body["meta"]
            after = body["meta"]["next_after"]

    async def watch(self, communicator: WebsocketCommunicator) -> None:
        while not self.finished:
            # receive_nothing, not a receive timeout: that one cancels the consumer.
            if await communicator.receive_nothing(timeout=QUIET, interval=0.05):
                await self.backfill()
                continue
            event = await communicator.receive_json_from(timeout=WAIT)
            self.take(event, via="socket")
            if event["seq"] > self.last + 1:
                await self.backfill()

    def step_states(self, snapshot_steps: list[dict] | None = None) -> dict[str, str]:
        """What the run panel shows: each node's latest status, from snapshot rows then events."""
        states = {step["node_id"]: step["status"] for step in snapshot_steps or []}
        for seq in sorted(self.events):
            event = self.events[seq]
            if event["event"].startswith("step."):
                states[event["data"]["node_id"]] = event["data"]["status"]
        return states


def every_node_succeeded(states: dict[str, str], count: int, *extra: str) -> bool:
    expected = {"start", *extra, *(f"s{index:03d}" for index in range(1, count + 1))}
    return set(states) == expected and set(states.values()) == {"succeeded"}


def test_a_watcher_of_a_500_step_run_gets_every_step_although_the_channel_drops_most(
    alice, make_workflow, alice_browser, small_channels, session_cookie  # noqa: F811
):
    workflow = make_workflow("Five hundred", long_chain(500))
    execution = services.start_execution(workflow, input={}, version=None, actor=alice)

    cookie = session_cookie(alice)

    async def scenario():
        communicator, snapshot = await open_stream(f"/ws/executions/{execution.id}/", cookie)
        watcher = Watcher(alice_browser, execution.id, snapshot["seq"])
        run_blocking(execution.id)
        await watcher.watch(communicator)
        await communicator.disconnect()
        return watcher

    watcher = async_to_sync(scenario)()
    assert every_node_succeeded(watcher.step_states(), 500)
    assert watcher.events[watcher.last]["event"] == "execution.finished"
    assert watcher.events[watcher.last]["data"]["status"] == "completed"
    assert list(watcher.events) == sorted(watcher.events) and set(watcher.events) == set(range(1, watcher.last + 1))
    # The layer carried at most a channel's worth (5) while the loop was blocked; the other ~1,000
    # came back from the log: over the socket when the consumer saw a gap (a message that outlived
    # the channel expiry reveals one), else from the API when the socket went quiet.
    assert watcher.from_socket + watcher.from_api == watcher.last > 1000


def test_the_consumer_fills_a_gap_from_the_log_before_the_next_event(
    alice, make_workflow, small_channels, session_cookie  # noqa: F811
):
    workflow = make_workflow("Gappy", long_chain(1))
    execution = services.start_execution(workflow, input={}, version=None, actor=alice)

    cookie = session_cookie(alice)

    async def scenario():
        communicator, snapshot = await open_stream(f"/ws/executions/{execution.id}/", cookie)
        assert snapshot["seq"] == 0
        # The loop is blocked while 20 events go out: the channel keeps 5 (6 with one in flight).
        for index in range(20):
            publish_event(execution, "log", {"node_id": "s001", "message": f"burst {index}"})
        flush_events()
        received = [await communicator.receive_json_from(timeout=WAIT) for _ in range(5)]
        # The channel has room again; the next event reveals the gap and the log fills it.
        await sync_to_async(publish_event)(execution, "log", {"node_id": "s001", "message": "after"})
        while received[-1]["seq"] < 21:
            received.append(await communicator.receive_json_from(timeout=WAIT))
        await communicator.disconnect()
        return received

    received = async_to_sync(scenario)()
    assert [event["seq"] for event in received] == list(range(1, 22))
    assert [event["data"]["message"] for event in received] == [f"burst {index}" for index in range(20)] + ["after"]


def test_a_client_connecting_mid_run_ends_with_the_full_step_list(alice, make_workflow, alice_browser, session_cookie):  # noqa: F811
    workflow = make_workflow("Half way", long_chain(500, pause_after=250))
    execution = services.start_execution(workflow, input={}, version=None, actor=alice)
    run_in_worker_thread(execution.id)
    assert Execution.objects.get(pk=execution.pk).status == "waiting"

    cookie = session_cookie(alice)

    async def scenario():
        communicator, snapshot = await open_stream(f"/ws/executions/{execution.id}/", cookie)
        rows = snapshot["execution"]["steps"]
        # A large run's snapshot lists the first steps; the rest are paged from the API.
        assert snapshot["execution"]["steps_complete"] is False
        cursor = snapshot["execution"]["steps_next_cursor"]
        while cursor:
            page = (await sync_to_async(alice_browser.get)(
                f"/api/v1/executions/{execution.id}/steps?cursor={cursor}&limit=100"
            )).json()  # fmt: skip
            rows += page["data"]
            cursor = page["meta"]["next_cursor"]
        watcher = Watcher(alice_browser, execution.id, snapshot["seq"])
        resumed = await sync_to_async(services.resume_execution)(
            await sync_to_async(Execution.objects.get)(pk=execution.pk), payload={"go": True}, node_id="approve"
        )
        worker = asyncio.get_running_loop().run_in_executor(
            None, run_in_worker_thread_resuming, resumed.id, RESUME
        )
        await watcher.watch(communicator)
        await worker
        await communicator.disconnect()
        return rows, watcher

    rows, watcher = async_to_sync(scenario)()
    assert len(rows) == 252  # start, 250 steps and the waiting approval
    assert every_node_succeeded(watcher.step_states(rows), 500, "approve")
    assert watcher.events[watcher.last]["data"]["status"] == "completed"


def test_a_client_that_reconnects_after_a_drop_resumes_from_its_seq(
    alice, make_workflow, alice_browser, session_cookie  # noqa: F811
):
    workflow = make_workflow("Dropped", long_chain(300, pause_after=100))
    execution = services.start_execution(workflow, input={}, version=None, actor=alice)

    cookie = session_cookie(alice)

    async def scenario():
        communicator, snapshot = await open_stream(f"/ws/executions/{execution.id}/", cookie)
        watcher = Watcher(alice_browser, execution.id, snapshot["seq"])
        # Up to the approval, on a worker thread (not blocking: the default capacity keeps every event).
        await asyncio.get_running_loop().run_in_executor(None, run_in_worker_thread_resuming, execution.id, None)
        while not any(event["event"] == "execution.waiting" for event in watcher.events.values()):
            watcher.take(await communicator.receive_json_from(timeout=WAIT), via="socket")
        await communicator.disconnect()  # the connection drops; the run goes on without us
        resumed = await sync_to_async(services.resume_execution)(
            await sync_to_async(Execution.objects.get)(pk=execution.pk), payload={"go": True}, node_id="approve"
        )
        await asyncio.get_running_loop().run_in_executor(
            None, run_in_worker_thread_resuming, resumed.id, RESUME
        )
        seen_before = watcher.last
        again = WebsocketCommunicator(
            application, f"/ws/executions/{execution.id}/?after={seen_before}", headers=[ORIGIN, cookie]
        )
        connected, _ = await again.connect(timeout=WAIT)
        assert connected
        first = await again.receive_json_from(timeout=WAIT)
        assert first["event"] != "snapshot" and first["seq"] == seen_before + 1
        watcher.take(first, via="socket")
        await watcher.watch(again)
        await again.disconnect()
        return watcher

    watcher = async_to_sync(scenario)()
    assert every_node_succeeded(watcher.step_states(), 300, "approve")
    assert watcher.from_api == 0  # the resumed socket alone brought the rest back
    assert set(watcher.events) == set(range(1, watcher.last + 1))
