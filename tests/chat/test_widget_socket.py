"""The chat widget's WebSocket (`ws/chat/<token>/`), driven through the real ASGI app.

Runs and reply deliveries are the real job functions, run off the test's event loop, so a
reply travels the real way: chat.message → chat.outbound → the delivery job → the web adapter
→ the conversation's group → this socket. pytest-asyncio is not installed: each test wraps
its async scenario in async_to_sync.
"""

from __future__ import annotations

import json

import pytest
from asgiref.sync import async_to_sync, sync_to_async
from channels.testing import WebsocketCommunicator
from django.db import connections

from chat import services as chat_services
from chat.limits import POLITE_REPLY
from chat.models import ChatMessage, Conversation
from flowbuilder.asgi import application
from flowbuilder.redis import get_queue
from tests.chat.conftest import chat_flow, live_workflow, make_channel, reply

pytestmark = pytest.mark.django_db(transaction=True)

WAIT = 15  # seconds; only bounds a wait, never asserted on
VISITOR = "0f1e2d3c-4b5a-6978-8796-a5b4c3d2e1f0"
SITE = (b"origin", b"https://shop.example.com")
TYPING_OFF = {"type": "typing", "on": False}


def work_off_queues() -> int:
    """Run every queued run and delivery (and what they queue) with the real job functions."""
    done = 0
    try:
        for _ in range(20):
            jobs = [job for name in ("executions", "webhooks") for job in get_queue(name).get_jobs()]
            if not jobs:
                return done
            for job in jobs:
                get_queue(job.origin).remove(job)
                job.perform()
                done += 1
        raise AssertionError("the queues never emptied")
    finally:
        connections.close_all()


@pytest.fixture
def web(project):
    return make_channel(project, "web", name="Site chat", fallback_reply="Sorry, I only know about orders.")


@pytest.fixture
def helpdesk(project, alice):
    flow = chat_flow(reply("answer", "Happy to help with {{ trigger.text }}!"), trigger={"keywords": ["help"]})
    return live_workflow(project, alice, "Helpdesk", flow)


async def connect(token: str, *headers) -> WebsocketCommunicator:
    communicator = WebsocketCommunicator(application, f"/ws/chat/{token}/", headers=list(headers))
    connected, _ = await communicator.connect(timeout=WAIT)
    assert connected
    return communicator


async def close_code(token: str, *headers) -> int:
    communicator = WebsocketCommunicator(application, f"/ws/chat/{token}/", headers=list(headers))
    await communicator.connect(timeout=WAIT)
    closing = await communicator.receive_output(timeout=WAIT)
    assert closing["type"] == "websocket.close"
    await communicator.disconnect()
    return closing["code"]


async def hello(communicator, conversation_id=None) -> dict:
    await communicator.send_json_to({"type": "hello", "visitor_id": VISITOR, "conversation_id": conversation_id})
    ready = await communicator.receive_json_from(timeout=WAIT)
    assert ready["type"] == "ready", ready
    return ready


async def frames_until(communicator, done) -> list[dict]:
    frames = []
    while not frames or not done(frames):
        frames.append(await communicator.receive_json_from(timeout=WAIT))
    return frames


def mine(frame: dict) -> bool:
    return frame["type"] == "message" and frame["message"]["direction"] == "in"


def replies(frames: list[dict]) -> list[str]:
    return [f["message"]["text"] for f in frames if f["type"] == "message" and f["message"]["direction"] == "out"]


def test_a_message_starts_the_matching_workflow_and_its_reply_arrives_live(web, helpdesk):
    async def scenario():
        communicator = await connect(web.token, SITE)
        ready = await hello(communicator)
        assert ready == {"type": "ready", "conversation_id": None, "messages": []}
        await communicator.send_json_to({"type": "message", "text": "I need help"})
        first = await frames_until(communicator, lambda f: f[-1]["type"] == "message")
        assert first[0] == {"type": "typing", "on": True}
        mine = first[-1]["message"]
        assert mine["direction"] == "in" and mine["text"] == "I need help"
        conversation_id = mine["conversation_id"]

        await sync_to_async(work_off_queues, thread_sensitive=False)()
        rest = await frames_until(communicator, lambda f: bool(replies(f)))
        assert replies(rest) == ["Happy to help with I need help!"]
        assert all(f.get("message", {}).get("conversation_id", conversation_id) == conversation_id for f in rest)
        await communicator.disconnect()
        return conversation_id

    conversation_id = async_to_sync(scenario)()
    conversation = Conversation.objects.get(pk=conversation_id)
    assert conversation.customer_id == VISITOR and conversation.channel_id == web.channel.id
    assert [m.direction for m in conversation.messages.order_by("created_at")] == ["in", "out"]


def test_a_reload_continues_the_conversation_with_its_transcript(web, helpdesk):
    async def scenario():
        first = await connect(web.token)
        await hello(first)
        await first.send_json_to({"type": "message", "text": "help please"})
        await frames_until(first, lambda f: f[-1]["type"] == "message")
        await sync_to_async(work_off_queues, thread_sensitive=False)()
        frames = await frames_until(first, lambda f: bool(replies(f)))
        conversation_id = frames[-1]["message"]["conversation_id"]
        await first.disconnect()

        again = await connect(web.token)  # the page reloaded: a new socket, the ids from storage
        ready = await hello(again, conversation_id)
        assert ready["conversation_id"] == conversation_id
        assert [(m["direction"], m["text"]) for m in ready["messages"]] == [
            ("in", "help please"),
            ("out", "Happy to help with help please!"),
        ]
        await again.send_json_to({"type": "message", "text": "and more help"})
        await frames_until(again, lambda f: f[-1]["type"] == "message")
        await sync_to_async(work_off_queues, thread_sensitive=False)()
        more = await frames_until(again, lambda f: bool(replies(f)))
        assert more[-1]["message"]["conversation_id"] == conversation_id
        await again.disconnect()

    async_to_sync(scenario)()
    assert Conversation.objects.count() == 1
    assert ChatMessage.objects.count() == 4


def test_no_matching_workflow_gets_the_fallback_reply_at_once(web):
    async def scenario():
        communicator = await connect(web.token)
        await hello(communicator)
        await communicator.send_json_to({"type": "message", "text": "what's the weather?"})
        frames = await frames_until(communicator, lambda f: f[-1] == {"type": "typing", "on": False})
        assert replies(frames) == ["Sorry, I only know about orders."]
        await communicator.disconnect()

    async_to_sync(scenario)()


def test_another_visitor_cannot_read_a_conversation_by_its_id(web, helpdesk):
    async def scenario():
        owner = await connect(web.token)
        await hello(owner)
        await owner.send_json_to({"type": "message", "text": "help"})
        frames = await frames_until(owner, lambda f: f[-1]["type"] == "message")
        conversation_id = frames[-1]["message"]["conversation_id"]
        await owner.disconnect()

        stranger = await connect(web.token)
        await stranger.send_json_to({"type": "hello", "visitor_id": "ffffffff-ffff-ffff-ffff-ffffffffffff",
                                     "conversation_id": conversation_id})  # fmt: skip
        ready = await stranger.receive_json_from(timeout=WAIT)
        assert ready == {"type": "ready", "conversation_id": None, "messages": []}
        await stranger.disconnect()

    async_to_sync(scenario)()


def test_unknown_paused_and_non_web_channels_are_refused(web, project):
    generic = make_channel(project, "generic", name="Generic")
    chat_services.update_channel(web.channel, changes={"active": False})

    async def scenario():
        assert await close_code("no-such-token-at-all") == 4404
        assert await close_code(generic.token) == 4404
        assert await close_code(web.token) == 4404

    async_to_sync(scenario)()


def test_only_the_allowed_origins_may_open_the_widget(web):
    chat_services.update_channel(web.channel, changes={"settings": {"allowed_origins": ["https://shop.example.com"]}})

    async def scenario():
        assert await close_code(web.token, (b"origin", b"https://evil.example.net")) == 4403
        assert await close_code(web.token, (b"origin", b"http://shop.example.com")) == 4403  # scheme counts
        assert await close_code(web.token, (b"origin", b"null")) == 4403
        for origin in (b"https://shop.example.com", b"https://SHOP.example.com:443"):
            communicator = await connect(web.token, (b"origin", origin))
            await hello(communicator)
            await communicator.disconnect()

    async_to_sync(scenario)()


HOSTILE_FRAMES = [
    ("not json", "INVALID_FRAME"),
    ("[1, 2, 3]", "INVALID_FRAME"),
    ('"hello"', "INVALID_FRAME"),
    ("null", "INVALID_FRAME"),
    ('{"type": "restart"}', "INVALID_FRAME"),
    ('{"type": {"nested": true}}', "INVALID_FRAME"),
    ('{"type": "message", "text": "x"}', "HELLO_FIRST"),
    ('{"type": "hello"}', "VALIDATION_ERROR"),
    ('{"type": "hello", "visitor_id": "short"}', "VALIDATION_ERROR"),
    ('{"type": "hello", "visitor_id": "../../etc/passwd-0000000000"}', "VALIDATION_ERROR"),
    ('{"type": "hello", "visitor_id": 12345678901234567890}', "VALIDATION_ERROR"),
    (json.dumps({"type": "hello", "visitor_id": "x" * 65}), "VALIDATION_ERROR"),
    (json.dumps({"type": "message", "text": "a" * 20_000}), "FRAME_TOO_LARGE"),
    ("\ud800", "INVALID_FRAME"),
]
AFTER_HELLO = [
    ('{"type": "message"}', "VALIDATION_ERROR"),
    ('{"type": "message", "text": "   "}', "VALIDATION_ERROR"),
    ('{"type": "message", "text": ["help"]}', "VALIDATION_ERROR"),
    ('{"type": "message", "text": null}', "VALIDATION_ERROR"),
    (json.dumps({"type": "message", "text": "b" * 2001}), "MESSAGE_TOO_LONG"),
    ('{"type": "message", "text": "nul\\u0000byte"}', "VALIDATION_ERROR"),
]


def test_hostile_frames_get_an_error_frame_and_the_socket_lives_on(web):
    async def scenario():
        communicator = await connect(web.token)
        for text, code in HOSTILE_FRAMES:
            await communicator.send_to(text_data=text)
            answer = await communicator.receive_json_from(timeout=WAIT)
            assert answer["type"] == "error" and answer["code"] == code, (text[:60], answer)
        await communicator.send_to(bytes_data=b"\x00\x01binary")
        assert (await communicator.receive_json_from(timeout=WAIT))["code"] == "INVALID_FRAME"
        await hello(communicator)
        for text, code in AFTER_HELLO:
            await communicator.send_to(text_data=text)
            answer = await communicator.receive_json_from(timeout=WAIT)
            assert answer["type"] == "error" and answer["code"] == code, (text[:60], answer)
        await communicator.send_json_to({"type": "hello", "visitor_id": "another-visitor-0000000"})
        assert (await communicator.receive_json_from(timeout=WAIT))["code"] == "VALIDATION_ERROR"
        await communicator.disconnect()

    async_to_sync(scenario)()
    assert ChatMessage.objects.count() == 0


def test_a_connection_that_keeps_sending_junk_is_closed(web):
    async def scenario():
        communicator = await connect(web.token)
        for _ in range(20):
            await communicator.send_to(text_data="junk")
            assert (await communicator.receive_json_from(timeout=WAIT))["type"] == "error"
        closing = await communicator.receive_output(timeout=WAIT)
        assert closing == {"type": "websocket.close", "code": 4408}
        await communicator.disconnect()

    async_to_sync(scenario)()


def test_a_flooding_visitor_gets_one_polite_reply_and_no_runaway_runs(web, helpdesk, project):
    chat_services.update_channel(web.channel, changes={"customer_rate_limit_per_minute": 2})

    async def scenario():
        communicator = await connect(web.token)
        await hello(communicator)
        frames = []
        for n in range(5):
            await communicator.send_json_to({"type": "message", "text": f"help {n}"})
            frames += await frames_until(communicator, lambda f: f[-1] == TYPING_OFF or mine(f[-1]))
        await communicator.disconnect()
        return frames

    frames = async_to_sync(scenario)()
    assert replies(frames) == [POLITE_REPLY], frames
    assert ChatMessage.objects.filter(direction="in").count() == 2
