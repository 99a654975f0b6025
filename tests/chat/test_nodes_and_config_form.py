"""chat.ask and chat.form beyond the happy path (timeouts, replays), and the seed's
`configuration` form mapping onto the chat nodes, both ways, without loss."""

from __future__ import annotations

import pytest

from chat.runtime import validate_field
from tests.chat.conftest import chat_flow, drain, live_workflow, make_channel, post_message, reply
from workflows.engine import default_registry, from_canonical, to_canonical, validate_definition
from workflows.models import Execution, ExecutionStatus

CONFIGURATION = {
    "channel": "whatsapp",
    "configuration": {
        "trigger": {"type": "message", "keywords": ["help", "support", "question"]},
        "nodes": [
            {"id": "node-1", "type": "message", "content": "Hi! How can I help you today?", "next": "node-2"},
            {"id": "node-2", "type": "ask", "text": "What is your question?", "timeout_seconds": 600, "next": "node-3"},
            {"id": "node-3", "type": "ai_response", "knowledge_base": "support-kb", "next": "node-4"},
            {
                "id": "node-4",
                "type": "form",
                "fields": [
                    {"name": "name", "type": "text", "required": True, "label": "What's your name?"},
                    {"name": "email", "type": "email", "required": True, "label": "Your email?"},
                    {"name": "plan", "type": "select", "options": ["free", "pro"], "label": "Plan?"},
                ],
                "timeout_seconds": 3600,
                "next": "node-5",
            },
            {"id": "node-5", "type": "message", "content": "Thanks {{ input.name }}!"},
        ],
    },
}


def test_the_configuration_form_maps_onto_the_chat_nodes_and_back_without_loss():
    canonical = to_canonical(CONFIGURATION)
    types = {node["id"]: node["type"] for node in canonical["nodes"]}
    assert types == {
        "trigger": "trigger.message", "node-1": "chat.message", "node-2": "chat.ask", "node-3": "ai.chat",
        "node-4": "chat.form", "node-5": "chat.message",
    }  # fmt: skip
    assert from_canonical(canonical, "configuration") == CONFIGURATION
    assert to_canonical(from_canonical(canonical, "configuration")) == canonical


def test_the_chat_nodes_of_the_configuration_form_validate():
    canonical = to_canonical(CONFIGURATION)
    problems = [p for p in validate_definition(canonical, default_registry()) if not p.path.startswith("nodes[3]")]
    assert problems == []  # node-3 (ai.chat) needs its credential: chat-kb's part


def test_duplicate_form_field_names_are_a_problem():
    node_type = default_registry().get("chat.form")
    config = {"fields": [{"name": "a"}, {"name": "a"}]}
    assert node_type.check_config(config) == [("config.fields", "Field names must differ: a.")]


@pytest.mark.parametrize(
    ("field", "text", "expected"),
    [
        ({"name": "n", "type": "text"}, "  Ada  ", ("Ada", None)),
        ({"name": "n", "type": "text"}, "   ", (None, "This field is required.")),
        ({"name": "n", "type": "text", "required": False}, "", (None, None)),
        ({"name": "n", "type": "text", "max_length": 3}, "abcd", (None, "Use at most 3 characters (this has 4).")),
        ({"name": "e", "type": "email"}, "ada@example.com", ("ada@example.com", None)),
        ({"name": "e", "type": "email"}, "ada@", (None, "Enter a valid email address.")),
        ({"name": "x", "type": "number", "min": 1, "max": 10}, "7", (7, None)),
        ({"name": "x", "type": "number", "min": 1, "max": 10}, "70", (None, "Enter a number of at most 10.")),
        ({"name": "x", "type": "number"}, "seven", (None, "Enter a number.")),
        ({"name": "p", "type": "select", "options": ["free", "pro"]}, "pro", ("pro", None)),
        ({"name": "p", "type": "select", "options": ["free", "pro"]}, "gold", (None, "Choose one of: free, pro.")),
        ({"name": "d", "type": "date"}, "2026-02-30", (None, "Enter a real date like 2026-01-31.")),
        ({"name": "c", "type": "checkbox", "required": False}, "yes", (True, None)),
    ],
)
def test_answers_are_checked_by_the_forms_validator(field, text, expected):
    assert validate_field(field, text) == expected


@pytest.mark.django_db(transaction=True)
def test_no_answer_before_the_timeout_leaves_through_the_timeout_port(project, alice, callback):
    from flowbuilder.redis import get_queue

    ask = {"id": "ask", "type": "chat.ask", "config": {"text": "Still there?", "timeout_seconds": 0.001}}
    definition = chat_flow(ask, reply("answered", "Thanks!"))
    definition["nodes"].append(reply("gone", "We will close this chat."))
    definition["edges"].append({"id": "t", "source": "ask", "source_port": "timeout", "target": "gone"})
    live_workflow(project, alice, "Timeout", definition)
    created = make_channel(project, settings={"callback_url": callback.url})

    post_message(created.token, {"from": "c1", "text": "hello"})
    drain()
    execution = Execution.objects.get()
    assert execution.status == ExecutionStatus.WAITING
    registry = get_queue("executions").scheduled_job_registry
    for job_id in registry.get_job_ids():  # the wake-up at the timeout falls due
        registry.requeue(job_id)
    drain()

    execution.refresh_from_db()
    assert execution.status == ExecutionStatus.COMPLETED
    assert callback.texts() == ["Still there?", "We will close this chat."]
    # The customer writes after the run ended: a new run starts (no waiting step to resume).
    assert post_message(created.token, {"from": "c1", "text": "hello again"}).json()["outcome"] == "started"
