"""Routing precedence (chat/routing.py): waiting conversation, keywords, default, catch-all, fallback."""

from __future__ import annotations

import pytest

from chat.models import ChatMessage, Conversation, Direction
from chat.routing import keyword_matches, receive
from tests.chat.conftest import chat_flow, live_workflow, make_channel, reply
from workflows import services

pytestmark = pytest.mark.django_db(transaction=True)


def keyword_flow(*keywords: str, channel: str | None = None) -> dict:
    trigger = {"keywords": list(keywords)}
    if channel:
        trigger["channel"] = channel
    return chat_flow(reply("answer", "hi"), trigger=trigger)


@pytest.mark.parametrize(
    ("keyword", "text", "matches"),
    [
        ("help", "Help me please", True),
        ("help", "HELP", True),
        ("help", "I need help!", True),
        ("help", "helpful people", False),
        ("help", "self-help", True),  # a hyphen separates words
        ("order status", "what is my ORDER   status?", True),
        ("order status", "order statuses", False),
        ("c++", "I write c++ code", True),
        ("", "anything", False),
        ("  ", "anything", False),
    ],
)
def test_keywords_match_whole_words_ignoring_case(keyword, text, matches):
    assert keyword_matches(keyword, text) is matches


def test_the_longest_matching_keyword_wins_then_the_oldest_workflow(project, alice):
    channel = make_channel(project).channel
    general = live_workflow(project, alice, "General", keyword_flow("order"))
    specific = live_workflow(project, alice, "Specific", keyword_flow("order status"))
    live_workflow(project, alice, "Also order", keyword_flow("order"))

    assert receive(channel, "c1", "what is my order status").execution.workflow_id == specific.id
    assert receive(channel, "c2", "I want to order").execution.workflow_id == general.id  # oldest of two


def test_a_deactivated_workflow_receives_nothing(project, alice):
    channel = make_channel(project, fallback_reply="Sorry, I did not get that.").channel
    workflow = live_workflow(project, alice, "Help", keyword_flow("help"))
    services.set_workflow_active(workflow, False, actor=alice)

    result = receive(channel, "c1", "help")

    assert result.outcome == "fallback"
    assert result.execution is None
    assert [m.text for m in result.replies] == ["Sorry, I did not get that."]


def test_keywords_beat_the_default_which_beats_a_catch_all_then_the_fallback(project, alice):
    catch_all = live_workflow(project, alice, "Anything", chat_flow(reply("r", "caught")))
    default = live_workflow(project, alice, "Default", chat_flow(reply("r", "default")))
    keyword = live_workflow(project, alice, "Billing", keyword_flow("invoice"))
    channel = make_channel(project, default_workflow=default, fallback_reply="fallback").channel

    assert receive(channel, "a", "my invoice please").execution.workflow_id == keyword.id
    # The default workflow has a message trigger with no keywords too: it still wins over the older catch-all.
    assert receive(channel, "b", "hello").execution.workflow_id == default.id
    services.set_workflow_active(default, False, actor=alice)
    assert receive(channel, "c", "hello").execution.workflow_id == catch_all.id
    services.set_workflow_active(catch_all, False, actor=alice)
    assert receive(channel, "d", "hello").outcome == "fallback"


def test_a_blank_fallback_sends_nothing(project, alice):
    channel = make_channel(project).channel
    result = receive(channel, "c1", "hello")
    assert result.outcome == "ignored"
    assert list(ChatMessage.objects.values_list("direction", "text")) == [(Direction.IN, "hello")]


def test_a_trigger_for_another_channel_does_not_hear_this_one(project, alice):
    web = make_channel(project, "web", name="Widget").channel
    generic = make_channel(project, name="Partner API").channel
    live_workflow(project, alice, "Widget only", keyword_flow("help", channel="web"))
    named = live_workflow(project, alice, "By name", keyword_flow("help", channel="Partner API"))

    assert receive(generic, "c1", "help").execution.workflow_id == named.id
    assert receive(web, "c1", "help").execution.workflow.name == "Widget only"


def test_a_message_while_the_run_is_busy_starts_no_second_run(project, alice):
    channel = make_channel(project).channel
    live_workflow(project, alice, "Help", keyword_flow("help"))

    first = receive(channel, "c1", "help")
    second = receive(channel, "c1", "help again")  # no worker ran the first: still pending

    assert (first.outcome, second.outcome) == ("started", "busy")
    assert second.execution.id == first.execution.id
    assert Conversation.objects.get().messages.filter(direction=Direction.IN).count() == 2


def test_the_run_records_the_customer_and_the_channel(project, alice):
    channel = make_channel(project).channel
    live_workflow(project, alice, "Help", keyword_flow("help"))

    execution = receive(channel, "+15550001", "help").execution

    assert (execution.customer_id, execution.channel, execution.mode) == ("+15550001", channel.id, "chat")
    assert execution.input["text"] == "help"
    assert execution.input["conversation_id"] == Conversation.objects.get().id


def test_the_try_it_panel_runs_a_draft_even_of_an_inactive_workflow(project, alice):
    from chat.routing import draft_target

    channel = make_channel(project, "web", name="Try it").channel
    workflow = services.create_workflow(project, name="Draft", definition=keyword_flow("nomatch"), actor=alice)

    result = receive(channel, "editor-alice", "hello", target=draft_target(workflow))

    assert result.outcome == "started"
    assert (result.execution.workflow_id, result.execution.version) == (workflow.id, None)
