"""The editor's "Try it" chat (`ws/workflows/<id>/chat/`): a builder chats with the draft.

Each message is a test run of the draft (not the published version, not active needed) or
the answer a parked chat.form waits for; replies come back live with their run's id.
"""

from __future__ import annotations

import pytest
from asgiref.sync import async_to_sync, sync_to_async
from channels.testing import WebsocketCommunicator
from django.test import Client

from chat.models import Channel, Conversation
from chat.try_it import TRY_CHANNEL_NAME
from flowbuilder.asgi import application
from tests.chat.conftest import chat_flow, reply
from tests.chat.test_widget_socket import WAIT, frames_until, mine, replies, work_off_queues
from workflows import services
from workflows.models import TEST_MODE, Execution

pytestmark = pytest.mark.django_db(transaction=True)

FORM = {
    "id": "form",
    "type": "chat.form",
    "config": {
        "fields": [
            {"name": "name", "type": "text", "label": "Your name?"},
            {"name": "email", "type": "email", "label": "Your email?"},
        ]
    },
}


def cookie(user) -> tuple[bytes, bytes]:
    browser = Client()
    browser.force_login(user)
    return (b"cookie", f"sessionid={browser.cookies['sessionid'].value}".encode())


@pytest.fixture
def draft(project, alice):
    """A chat workflow never published nor activated: Try it runs its draft."""
    definition = chat_flow(
        reply("hi", "Hi! Let me take your details."),
        FORM,
        reply("thanks", "Thanks {{ input.name }} ({{ input.email }})."),
        trigger={"keywords": ["signup"]},
    )
    return services.create_workflow(project, name="Signup", definition=definition, actor=alice)


async def open_chat(workflow_id: str, *headers) -> WebsocketCommunicator:
    communicator = WebsocketCommunicator(application, f"/ws/workflows/{workflow_id}/chat/", headers=list(headers))
    connected, _ = await communicator.connect(timeout=WAIT)
    assert connected
    return communicator


async def say(communicator, text: str, answers: int) -> list[dict]:
    """Send one message, run what it queued, and read until `answers` replies arrived."""
    await communicator.send_json_to({"type": "message", "text": text})
    frames = await frames_until(communicator, lambda f: mine(f[-1]))
    await sync_to_async(work_off_queues, thread_sensitive=False)()
    return frames + await frames_until(communicator, lambda f: len(replies(f)) == answers)


def test_a_builder_fills_a_chat_form_with_the_draft_one_bad_email_asked_again(draft, alice):
    session = cookie(alice)

    async def scenario():
        chat = await open_chat(draft.id, session)
        await chat.send_json_to({"type": "hello"})
        assert await chat.receive_json_from(timeout=WAIT) == {"type": "ready", "conversation_id": None, "messages": []}
        turns = []
        for text, answers in (("signup", 2), ("Ada", 1), ("not-an-email", 1), ("ada@example.com", 1)):
            turns.append(await say(chat, text, answers))
        await chat.send_json_to({"type": "hello"})  # as a reopened panel does
        ready = (await frames_until(chat, lambda f: f[-1]["type"] == "ready"))[-1]
        await chat.disconnect()
        return turns, ready

    turns, ready = async_to_sync(scenario)()
    assert replies(turns[0]) == ["Hi! Let me take your details.", "Your name?"]
    assert replies(turns[1]) == ["Your email?"]
    assert len(replies(turns[2])) == 1 and "Your email?" in replies(turns[2])[0]  # the error, then the question again
    assert replies(turns[3]) == ["Thanks Ada (ada@example.com)."]
    runs = {f["message"]["execution_id"] for turn in turns for f in turn if f["type"] == "message" and not mine(f)}
    assert len(runs) == 1
    execution = Execution.objects.get(pk=runs.pop())
    assert execution.status == "completed" and execution.mode == TEST_MODE and execution.version is None
    assert execution.output["sent"] is True and execution.output["message"]["text"] == "Thanks Ada (ada@example.com)."
    assert [m["text"] for m in ready["messages"]][:2] == ["signup", "Hi! Let me take your details."]
    channel = Channel.objects.get(name=TRY_CHANNEL_NAME)
    assert channel.type == "web" and channel.active is False  # no site and no inbound URL reaches it


def test_new_conversation_closes_the_old_one_and_cancels_its_waiting_run(draft, alice):
    session = cookie(alice)

    async def scenario():
        chat = await open_chat(draft.id, session)
        await chat.send_json_to({"type": "hello"})
        await chat.receive_json_from(timeout=WAIT)
        await say(chat, "signup", 2)
        await chat.send_json_to({"type": "restart"})
        ready = (await frames_until(chat, lambda f: f[-1]["type"] == "ready"))[-1]
        assert ready == {"type": "ready", "conversation_id": None, "messages": []}
        await chat.disconnect()

    async_to_sync(scenario)()
    conversation = Conversation.objects.get()
    assert conversation.status == "closed"
    assert Execution.objects.get().status == "cancelled"


def test_a_workflow_without_a_message_trigger_says_so(project, alice):
    workflow = services.create_workflow(
        project,
        name="Manual",
        definition={"nodes": [{"id": "start", "type": "trigger.manual", "config": {}}], "edges": []},
        actor=alice,
    )

    session = cookie(alice)

    async def scenario():
        chat = await open_chat(workflow.id, session)
        await chat.send_json_to({"type": "hello"})
        await chat.receive_json_from(timeout=WAIT)
        await chat.send_json_to({"type": "message", "text": "hello?"})
        frames = await frames_until(chat, lambda f: f[-1]["type"] == "error")
        await chat.disconnect()
        return frames[-1]

    assert async_to_sync(scenario)()["code"] == "NO_MESSAGE_TRIGGER"


async def refusal(workflow_id: str, *headers) -> int:
    communicator = WebsocketCommunicator(application, f"/ws/workflows/{workflow_id}/chat/", headers=list(headers))
    await communicator.connect(timeout=WAIT)
    closing = await communicator.receive_output(timeout=WAIT)
    await communicator.disconnect()
    return closing["code"]


def test_only_editors_of_the_workflows_organization_may_try_it(draft, bob_viewer, charlie):
    viewer, outsider = cookie(bob_viewer), cookie(charlie)

    async def scenario():
        assert await refusal(draft.id) == 4401
        assert await refusal(draft.id, viewer) == 4404
        assert await refusal(draft.id, outsider) == 4404
        assert await refusal("wf_missing", viewer) == 4404
        # A page of another site cannot open it with the builder's cookies (ALLOWED_HOSTS origin check).
        communicator = WebsocketCommunicator(
            application, f"/ws/workflows/{draft.id}/chat/", headers=[(b"origin", b"https://evil.example.net")]
        )
        connected, _ = await communicator.connect(timeout=WAIT)
        assert not connected

    async_to_sync(scenario)()
