"""The live-event WebSockets, driven through the real ASGI app (origin check, sessions, routing).

Runs are executed by the real job function in a thread while the test listens, so events
travel the real way: ORM journal → publish_event → channel layer (Redis in the test setup).
pytest-asyncio is not installed: each test wraps its async scenario in async_to_sync.
"""

from __future__ import annotations

import asyncio
from datetime import timedelta

import pytest
from asgiref.sync import async_to_sync, sync_to_async
from channels.testing import WebsocketCommunicator
from django.db import connections
from django.test import Client
from django.utils import timezone

from accounts import services as accounts_services
from accounts.models import Plan, Project
from flowbuilder.asgi import application
from tests.workflows.conftest import edge, node
from workflows import services
from workflows.events import publish_event
from workflows.jobs import run_execution

pytestmark = pytest.mark.django_db(transaction=True)

# AllowedHostsOriginValidator refuses a handshake without an Origin among ALLOWED_HOSTS.
ORIGIN = (b"origin", b"http://testserver")
WAIT = 15  # seconds; only bounds a wait, the tests never assert on time


def chain_flow() -> dict:
    """manual → first → second → third: a linear run with a known order of steps."""
    names = ["first", "second", "third"]
    nodes = [node("start", "trigger.manual")] + [node(name, "data.set", {"fields": {name: True}}) for name in names]
    edges = [edge(source, target) for source, target in zip(["start", *names], names, strict=False)]
    return {"nodes": nodes, "edges": edges}


@pytest.fixture
def chain(make_workflow):
    return make_workflow("Chain", chain_flow())


@pytest.fixture
def start_run(alice):
    def start(workflow):
        return services.start_execution(workflow, input={"name": "Ada"}, version=None, actor=alice)

    return start


@pytest.fixture
def session_cookie():
    """A factory: the Cookie header of a browser session logged in as the user."""

    def make(user) -> tuple[bytes, bytes]:
        browser = Client()
        browser.force_login(user)
        return (b"cookie", f"sessionid={browser.cookies['sessionid'].value}".encode())

    return make


def bearer(plaintext: str) -> tuple[bytes, bytes]:
    return (b"authorization", f"Bearer {plaintext}".encode())


def run_in_worker_thread(execution_id: str) -> str | None:
    """What a worker does, on another thread; it gives its DB connection back when done."""
    try:
        return run_execution(execution_id)
    finally:
        connections.close_all()


async def run_while_watching(execution_id: str) -> str | None:
    return await asyncio.get_running_loop().run_in_executor(None, run_in_worker_thread, execution_id)


async def open_stream(path: str, *headers) -> tuple[WebsocketCommunicator, dict]:
    """Connect and read the first message, which must be the snapshot."""
    communicator = WebsocketCommunicator(application, path, headers=[ORIGIN, *headers])
    connected, _ = await communicator.connect(timeout=WAIT)
    assert connected
    snapshot = await communicator.receive_json_from(timeout=WAIT)
    assert snapshot["event"] == "snapshot"
    return communicator, snapshot


async def refusal_code(path: str, *headers) -> int:
    """The close code a refused client gets (the handshake completes first, so the code arrives)."""
    communicator = WebsocketCommunicator(application, path, headers=[ORIGIN, *headers])
    await communicator.connect(timeout=WAIT)
    closing = await communicator.receive_output(timeout=WAIT)
    assert closing["type"] == "websocket.close"
    await communicator.disconnect()
    return closing["code"]


async def receive_until_finished(communicator: WebsocketCommunicator, runs: int = 1) -> list[dict]:
    events = []
    while runs:
        event = await communicator.receive_json_from(timeout=WAIT)
        events.append(event)
        runs -= event["event"] == "execution.finished"
    return events


def assert_whole_run_in_order(events: list[dict], node_ids: list[str]) -> None:
    kinds = [event["event"] for event in events]
    seqs = [event["seq"] for event in events]
    assert seqs == sorted(set(seqs)), "seq must strictly increase"
    assert kinds[0] == "execution.started"
    assert kinds[-1] == "execution.finished" and events[-1]["data"]["status"] == "completed"
    for node_id in node_ids:
        of_node = [event["event"] for event in events if event["data"].get("node_id") == node_id]
        assert of_node == ["step.started", "step.succeeded"], node_id
    succeeded = [event["data"]["node_id"] for event in events if event["event"] == "step.succeeded"]
    assert succeeded == node_ids


def test_a_subscriber_sees_every_step_event_in_order(alice, chain, start_run, session_cookie):
    execution = start_run(chain)
    cookie = session_cookie(alice)

    async def scenario():
        communicator, snapshot = await open_stream(f"/ws/executions/{execution.id}/", cookie)
        assert snapshot["execution"]["status"] == "pending" and snapshot["execution"]["steps"] == []
        run = asyncio.ensure_future(run_while_watching(execution.id))
        events = await receive_until_finished(communicator)
        assert await run == "completed"
        await communicator.disconnect()
        return events

    events = async_to_sync(scenario)()
    assert_whole_run_in_order(events, ["start", "first", "second", "third"])
    assert {event["execution_id"] for event in events} == {execution.id}
    assert {event["workflow_id"] for event in events} == {chain.id}


def test_a_late_subscriber_gets_the_whole_run_in_the_snapshot(alice, chain, start_run, session_cookie):
    execution = start_run(chain)
    assert run_in_worker_thread(execution.id) == "completed"
    cookie = session_cookie(alice)

    async def scenario():
        communicator, snapshot = await open_stream(f"/ws/executions/{execution.id}/", cookie)
        await communicator.disconnect()
        return snapshot

    snapshot = async_to_sync(scenario)()
    assert snapshot["execution"]["status"] == "completed"
    steps = snapshot["execution"]["steps"]
    assert [(step["node_id"], step["status"]) for step in steps] == [
        ("start", "succeeded"),
        ("first", "succeeded"),
        ("second", "succeeded"),
        ("third", "succeeded"),
    ]
    assert snapshot["seq"] > 0


def test_the_workflow_socket_receives_events_of_every_run_of_the_workflow(alice, chain, start_run, session_cookie):
    first, second = start_run(chain), start_run(chain)
    cookie = session_cookie(alice)

    async def scenario():
        communicator, snapshot = await open_stream(f"/ws/workflows/{chain.id}/", cookie)
        assert snapshot["workflow"] == {"id": chain.id, "name": "Chain", "status": "draft"}
        assert {run["id"] for run in snapshot["executions"]} == {first.id, second.id}
        for execution in (first, second):
            assert await run_while_watching(execution.id) == "completed"
        events = await receive_until_finished(communicator, runs=2)
        await communicator.disconnect()
        return events

    events = async_to_sync(scenario)()
    for execution in (first, second):
        of_run = [event for event in events if event["execution_id"] == execution.id]
        assert_whole_run_in_order(of_run, ["start", "first", "second", "third"])


@pytest.mark.parametrize("where", ["header", "query"])
def test_an_api_key_opens_the_stream_from_a_header_or_the_query(acme, chain, start_run, make_key, where):
    execution = start_run(chain)
    _, plaintext = make_key(acme)
    path = f"/ws/executions/{execution.id}/"
    headers = [bearer(plaintext)] if where == "header" else []
    if where == "query":
        path += f"?api_key={plaintext}"

    async def scenario():
        communicator, snapshot = await open_stream(path, *headers)
        await communicator.disconnect()
        return snapshot

    assert async_to_sync(scenario)()["execution"]["id"] == execution.id


def test_the_project_parameter_must_match_the_execution(acme, chain, start_run, make_key):
    execution = start_run(chain)
    _, plaintext = make_key(acme)
    other = Project.objects.create(organization=acme, name="Other")
    matching = f"/ws/executions/{execution.id}/?project={execution.project_id}"
    mismatched = f"/ws/executions/{execution.id}/?project={other.id}"

    async def scenario():
        communicator, _ = await open_stream(matching, bearer(plaintext))
        await communicator.disconnect()
        return await refusal_code(mismatched, bearer(plaintext))

    assert async_to_sync(scenario)() == 4404


def test_an_outsider_is_refused_as_if_nothing_were_there(charlie, globex, chain, start_run, make_key, session_cookie):
    execution = start_run(chain)
    cookie = session_cookie(charlie)
    _, plaintext = make_key(globex)

    async def scenario():
        return [
            await refusal_code(f"/ws/executions/{execution.id}/", cookie),
            await refusal_code(f"/ws/executions/{execution.id}/", bearer(plaintext)),
            await refusal_code(f"/ws/workflows/{chain.id}/", cookie),
            await refusal_code("/ws/executions/exec_does_not_exist/", cookie),
        ]

    assert async_to_sync(scenario)() == [4404, 4404, 4404, 4404]


def test_an_anonymous_client_is_refused(chain, start_run):
    execution = start_run(chain)

    async def scenario():
        return [
            await refusal_code(f"/ws/executions/{execution.id}/"),
            await refusal_code(f"/ws/workflows/{chain.id}/"),
        ]

    assert async_to_sync(scenario)() == [4401, 4401]


def test_a_revoked_expired_unknown_or_malformed_key_is_refused(acme, chain, start_run, make_key):
    execution = start_run(chain)
    revoked, revoked_plaintext = make_key(acme, name="revoked")
    accounts_services.revoke_api_key(revoked)
    _, expired_plaintext = make_key(acme, name="expired", expires_at=timezone.now() - timedelta(days=1))
    path = f"/ws/executions/{execution.id}/"

    async def scenario():
        return [
            await refusal_code(path, bearer(revoked_plaintext)),
            await refusal_code(f"{path}?api_key={revoked_plaintext}"),
            await refusal_code(path, bearer(expired_plaintext)),
            await refusal_code(path, bearer("wf_live_not-a-real-key")),
            await refusal_code(path, (b"authorization", b"Token abc")),
        ]

    assert async_to_sync(scenario)() == [4401] * 5


def test_a_key_of_a_plan_without_api_access_is_refused(acme, chain, start_run, make_key):
    execution = start_run(chain)
    _, plaintext = make_key(acme)
    acme.plan = Plan.PRO
    acme.save()

    async def scenario():
        return await refusal_code(f"/ws/executions/{execution.id}/", bearer(plaintext))

    assert async_to_sync(scenario)() == 4403


def test_events_already_in_the_snapshot_are_not_sent_again(alice, chain, start_run, session_cookie):
    execution = start_run(chain)
    assert run_in_worker_thread(execution.id) == "completed"
    cookie = session_cookie(alice)

    def publish_stale_then_fresh(snapshot_seq: int) -> None:
        # A copy numbered within the snapshot is what a subscriber joining mid-run finds in
        # its group buffer; only the event after it is new.
        publish_event(execution, "log", {"node_id": "third", "message": "stale"}, seq=snapshot_seq)
        publish_event(execution, "log", {"node_id": "third", "message": "fresh"})

    async def scenario():
        communicator, snapshot = await open_stream(f"/ws/executions/{execution.id}/", cookie)
        await sync_to_async(publish_stale_then_fresh)(snapshot["seq"])
        event = await communicator.receive_json_from(timeout=WAIT)
        await communicator.disconnect()
        return snapshot["seq"], event

    snapshot_seq, event = async_to_sync(scenario)()
    assert event["data"]["message"] == "fresh"
    assert event["seq"] == snapshot_seq + 1


# channels_redis polls with BZPOPMIN for 5 s while redis-py 8 gives every socket a 5 s read
# timeout by default: the read loses the race and the consumer dies with 1011 after 5 s with
# no event. The fix belongs in settings.CHANNEL_LAYERS ("socket_timeout" above 5 s).
@pytest.mark.slow
def test_a_stream_left_idle_longer_than_the_layer_poll_still_delivers(alice, chain, start_run, session_cookie):
    execution = start_run(chain)
    cookie = session_cookie(alice)
    idle_seconds = 12  # more than two 5-second polls of the channel layer

    async def scenario():
        communicator, _ = await open_stream(f"/ws/executions/{execution.id}/", cookie)
        await asyncio.sleep(idle_seconds)
        await sync_to_async(publish_event)(execution, "log", {"node_id": "first", "message": "after a quiet spell"})
        event = await communicator.receive_json_from(timeout=WAIT)
        await communicator.disconnect()
        return event

    assert async_to_sync(scenario)()["data"]["message"] == "after a quiet spell"


def test_a_program_without_an_origin_header_connects_with_its_key(acme, chain, start_run, make_key):
    execution = start_run(chain)
    _, plaintext = make_key(acme)

    async def scenario():
        communicator = WebsocketCommunicator(
            application, f"/ws/executions/{execution.id}/", headers=[bearer(plaintext)]
        )
        connected, _ = await communicator.connect(timeout=WAIT)
        first = await communicator.receive_json_from(timeout=WAIT) if connected else {}
        await communicator.disconnect()
        return first

    assert async_to_sync(scenario)().get("event") == "snapshot"


def test_a_page_of_another_site_is_refused_by_origin(alice, chain, start_run, session_cookie):
    execution = start_run(chain)
    cookie = session_cookie(alice)

    async def scenario():
        communicator = WebsocketCommunicator(
            application,
            f"/ws/executions/{execution.id}/",
            headers=[(b"origin", b"https://evil.example"), cookie],
        )
        connected, _ = await communicator.connect(timeout=WAIT)
        await communicator.disconnect()
        return connected

    assert async_to_sync(scenario)() is False
