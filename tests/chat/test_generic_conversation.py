"""A conversation through the generic HTTP channel: a chat.form asks two fields over several turns
(one bad answer asked again), the run parks between turns on the engine's wait and each reply
resumes it; replies reach a callback receiver on loopback, signed like outbound webhooks."""

from __future__ import annotations

import pytest

from chat.models import ChatMessage, Conversation, ConversationStatus, DeliveryState
from tests.chat.conftest import chat_flow, drain, live_workflow, make_channel, post_message, reply
from webhooks.signing import standard_signature_matches
from workflows.models import Execution, ExecutionStatus

pytestmark = pytest.mark.django_db(transaction=True)

SIGNUP_FORM = {
    "id": "form",
    "type": "chat.form",
    "config": {
        "fields": [
            {"name": "name", "type": "text", "required": True, "label": "What's your name?"},
            {"name": "email", "type": "email", "required": True, "label": "And your email?"},
        ],
        "timeout_seconds": 3600,
    },
}


@pytest.fixture
def signup(project, alice, callback):
    definition = chat_flow(
        reply("welcome", "Welcome! Let's get you started."),
        SIGNUP_FORM,
        reply("thanks", "Thanks {{ input.name }}, we will write to {{ input.email }}."),
        trigger={"keywords": ["signup", "start"]},
    )
    workflow = live_workflow(project, alice, "Signup", definition)
    created = make_channel(project, settings={"callback_url": callback.url})
    return workflow, created


def say(token: str, text: str) -> dict:
    answer = post_message(token, {"from": "cust-42", "text": text})
    assert answer.status_code == 202, answer.content
    drain()
    return answer.json()


def test_a_form_is_asked_field_by_field_and_a_bad_answer_is_asked_again(signup, callback):
    workflow, created = signup
    token = created.token

    first = say(token, "I want to SIGNUP")
    assert first["outcome"] == "started"
    execution = Execution.objects.get(pk=first["execution_id"])
    assert execution.status == ExecutionStatus.WAITING
    assert execution.waiting_for["kind"] == "chat_reply"
    assert Conversation.objects.get().status == ConversationStatus.WAITING
    assert callback.texts() == ["Welcome! Let's get you started.", "What's your name?"]

    assert say(token, "Ada")["outcome"] == "resumed"
    assert say(token, "not-an-email")["outcome"] == "resumed"
    assert callback.texts()[2:] == ["And your email?", "Enter a valid email address. And your email?"]
    last = say(token, "ada@example.com")

    execution.refresh_from_db()
    assert last["execution_id"] == execution.id
    assert execution.status == ExecutionStatus.COMPLETED, execution.error
    form_step = execution.steps.filter(node_id="form", status="succeeded").get()
    assert form_step.output == {"name": "Ada", "email": "ada@example.com"}
    assert callback.texts()[-1] == "Thanks Ada, we will write to ada@example.com."
    assert (execution.customer_id, execution.channel) == ("cust-42", created.channel.id)

    conversation = Conversation.objects.get()
    assert conversation.status == ConversationStatus.OPEN  # the run ended; the thread stays open
    transcript = list(conversation.messages.values_list("direction", "text"))
    assert transcript == [
        ("in", "I want to SIGNUP"),
        ("out", "Welcome! Let's get you started."),
        ("out", "What's your name?"),
        ("in", "Ada"),
        ("out", "And your email?"),
        ("in", "not-an-email"),
        ("out", "Enter a valid email address. And your email?"),
        ("in", "ada@example.com"),
        ("out", "Thanks Ada, we will write to ada@example.com."),
    ]
    assert set(conversation.messages.values_list("execution_id", flat=True)) == {execution.id}
    assert set(ChatMessage.objects.filter(direction="out").values_list("delivery_status", flat=True)) == {"sent"}


def test_an_answer_sent_before_the_run_parks_on_its_question_is_taken_when_it_parks(signup, callback):
    """The customer answers while the run is still working towards the question (here: no
    worker has run it yet). The message is held, not dropped, and the form takes it as the
    answer as soon as the run parks; before, the run waited for an answer already given."""
    _, created = signup
    token = created.token

    started = post_message(token, {"from": "cust-42", "text": "signup"}).json()
    early = post_message(token, {"from": "cust-42", "text": "Ada"}).json()
    assert (started["outcome"], early["outcome"]) == ("started", "busy")
    assert ChatMessage.objects.get(text="Ada").delivery_status == DeliveryState.HELD

    drain()  # the run asks for the name, parks, takes the held "Ada", asks for the email

    execution = Execution.objects.get(pk=started["execution_id"])
    assert execution.status == ExecutionStatus.WAITING
    assert execution.waiting_for["kind"] == "chat_reply"
    assert callback.texts() == ["Welcome! Let's get you started.", "What's your name?", "And your email?"]
    assert ChatMessage.objects.get(text="Ada").delivery_status == DeliveryState.NONE

    assert say(token, "ada@example.com")["outcome"] == "resumed"
    execution.refresh_from_db()
    assert execution.status == ExecutionStatus.COMPLETED, execution.error
    assert execution.steps.get(node_id="form", status="succeeded").output == {"name": "Ada", "email": "ada@example.com"}


def test_a_message_held_while_a_run_ends_without_asking_starts_nothing(project, alice, callback):
    flow = chat_flow(reply("hello", "Hello!"), trigger={"keywords": ["hi"]})
    live_workflow(project, alice, "Greeter", flow)
    token = make_channel(project, settings={"callback_url": callback.url}).token

    assert post_message(token, {"from": "c9", "text": "hi"}).json()["outcome"] == "started"
    assert post_message(token, {"from": "c9", "text": "hi again"}).json()["outcome"] == "busy"
    drain()

    assert Execution.objects.count() == 1
    assert callback.texts() == ["Hello!"]
    assert ChatMessage.objects.get(text="hi again").delivery_status == DeliveryState.HELD


def test_every_reply_is_signed_with_the_channel_secret(signup, callback):
    _, created = signup
    say(created.token, "start")

    assert callback.requests
    for request in callback.requests:
        headers = {name.lower(): value for name, value in request.headers.items()}
        assert standard_signature_matches(
            created.signing_secret, headers["webhook-id"], headers["webhook-timestamp"], request.body,
            headers["webhook-signature"],
        )  # fmt: skip
        assert request.json["to"] == "cust-42"
        assert request.json["conversation_id"] == Conversation.objects.get().id


def test_a_failing_callback_is_retried_then_the_reply_is_sent(signup, callback):
    _, created = signup
    callback.statuses = [503]
    post_message(created.token, {"from": "cust-42", "text": "start"})
    drain()
    welcome = ChatMessage.objects.get(text__startswith="Welcome")
    assert (welcome.delivery_status, welcome.attempt_count) == (DeliveryState.PENDING, 1)
    assert "503" in welcome.last_error
    assert len(callback.requests) == 1  # the question behind it waits: replies arrive in order

    from django.utils import timezone

    from flowbuilder.redis import get_queue

    registry = get_queue("webhooks").scheduled_job_registry
    assert welcome.next_attempt_at is not None and registry.get_job_ids()  # a retry is scheduled
    ChatMessage.objects.filter(pk=welcome.pk).update(next_attempt_at=timezone.now())  # the retry falls due
    for job_id in registry.get_job_ids():
        registry.requeue(job_id)
    drain()

    welcome.refresh_from_db()
    assert (welcome.delivery_status, welcome.attempt_count) == (DeliveryState.SENT, 2)
    assert callback.texts() == ["Welcome! Let's get you started."] * 2 + ["What's your name?"]


def test_a_run_started_without_a_conversation_cannot_ask(project, alice):
    from workflows import services

    definition = chat_flow({"id": "ask", "type": "chat.ask", "config": {"text": "Your order number?"}})
    workflow = live_workflow(project, alice, "Ask", definition)
    execution = services.start_execution(workflow, input={}, version=workflow.published_version)
    drain()

    execution.refresh_from_db()
    assert execution.status == ExecutionStatus.FAILED
    assert execution.error["code"] == "NO_CONVERSATION"
