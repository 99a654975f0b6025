"""The web channel's side of the contract with chat-web's consumer: replies and the typing
indicator go to the conversation's Channels group `chat.conv.<conversation_id>`."""

from __future__ import annotations

import asyncio

import pytest
from asgiref.sync import async_to_sync
from channels.layers import get_channel_layer

from chat.adapters.web import conversation_group
from chat.routing import receive
from tests.chat.conftest import chat_flow, drain, live_workflow, make_channel, reply

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture(autouse=True)
def in_memory_layer(settings):
    settings.CHANNEL_LAYERS = {"default": {"BACKEND": "channels.layers.InMemoryChannelLayer"}}


def test_group_names_keep_to_the_allowed_characters():
    assert conversation_group("conv_01ABC") == "chat.conv.conv_01ABC"
    assert conversation_group("a b/ü") == "chat.conv.a_b__"
    assert len(conversation_group("x" * 500)) < 100


def test_replies_and_typing_reach_the_conversation_group(project, alice):
    live_workflow(project, alice, "Help", chat_flow(reply("r", "How can I help?"), trigger={"keywords": ["help"]}))
    channel = make_channel(project, "web", name="Widget").channel
    layer = get_channel_layer()
    conversation_id = receive(channel, "visitor-1", "warm-up", payload=None).conversation.id
    listener = async_to_sync(layer.new_channel)()
    async_to_sync(layer.group_add)(conversation_group(conversation_id), listener)

    result = receive(channel, "visitor-1", "help")
    drain()

    async def collect() -> list[dict]:
        events = []
        while True:
            try:
                events.append(await asyncio.wait_for(layer.receive(listener), timeout=0.5))
            except TimeoutError:
                return events

    events = async_to_sync(collect)()
    assert events[0] == {"type": "chat.typing", "on": True}
    message = events[1]["message"]
    assert events[1]["type"] == "chat.message"
    assert (message["direction"], message["text"]) == ("out", "How can I help?")
    assert message["conversation_id"] == conversation_id
    assert message["id"] == result.conversation.messages.get(direction="out").id
    assert events[2:] == [{"type": "chat.typing", "on": False}]
