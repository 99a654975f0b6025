"""The "Support chatbot" template runs as written (issue 20): a message with a support keyword is
answered from the uploaded FAQ by the model (the local OpenAI-compatible fake), then a chat form
takes the customer's name and email (a bad email asked again) and a message confirms.

The template asks for two things first: an LLM credential and the knowledge base to answer
from; once chosen, the conversation runs on a web channel through the real routing, runs and
deliveries (the web adapter sends to the conversation's group; the messages are read back from
the transcript here, the widget's socket is tested in test_widget_socket and in the browser)."""

from __future__ import annotations

import pytest

from chat import routing
from chat.models import ChatMessage, Conversation
from integrations.services import create_credential
from knowledge.services import add_document, create_knowledge_base
from tests.chat.conftest import drain, make_channel
from tests.integrations.stubs import StubLlm, running_stub_llm
from tests.knowledge.faq import FAQ_MARKDOWN
from workflows import services
from workflows.models import Execution
from workflows.templates_catalog import SUPPORT_CHATBOT

pytestmark = pytest.mark.django_db(transaction=True)

ANSWER = "Standard delivery takes 3 to 5 working days within the EU [1]."
VISITOR = "visitor-7d1c1a3e9b5f4c2a"


@pytest.fixture
def fake_model(project):
    with running_stub_llm(StubLlm(reply_text=ANSWER)) as stub:
        fields = {"provider": "openai_compatible", "base_url": stub.base_url, "api_key": "stub-openai-key"}
        fields["default_model"] = "m"
        stub.credential = create_credential(project, name="Fake model", type="llm", fields=fields)
        yield stub


@pytest.fixture
def faq(project, alice):
    kb = create_knowledge_base(project, name="FAQ", actor=alice)
    add_document(kb, FAQ_MARKDOWN.encode(), filename="faq.md", actor=alice)
    return kb


def problems(client, workflow) -> set[tuple[str, str]]:
    answer = client.post(f"/api/v1/workflows/{workflow.id}/validate", {}, content_type="application/json")
    return {(p["code"], p["path"]) for p in answer.json()["data"]["problems"]}


def outbound(conversation: Conversation) -> list[str]:
    replies = conversation.messages.filter(direction="out").order_by("created_at", "id")
    return list(replies.values_list("text", flat=True))


def test_the_support_chatbot_answers_from_the_faq_and_takes_name_and_email(alice, project, fake_model, faq, client):
    client.force_login(alice)
    definition = SUPPORT_CHATBOT.fresh_definition()
    workflow = services.create_workflow(project, name="Support", definition=definition, actor=alice)
    assert problems(client, workflow) == {
        ("SETUP_REQUIRED", "nodes[1].config.credential"),
        ("SETUP_REQUIRED", "nodes[1].config.knowledge_base"),
    }
    definition = workflow.definition
    definition["nodes"][1]["config"] |= {"credential": fake_model.credential.id, "knowledge_base": "kb_missing"}
    services.update_workflow(workflow, changes={"definition": definition}, actor=alice)
    assert problems(client, workflow) == {("KNOWLEDGE_BASE_NOT_FOUND", "nodes[1].config.knowledge_base")}
    definition["nodes"][1]["config"]["knowledge_base"] = faq.id
    services.update_workflow(workflow, changes={"definition": definition}, actor=alice)
    assert problems(client, workflow) == set()
    services.set_workflow_active(workflow, True, actor=alice)
    channel = make_channel(project, "web", name="Site chat").channel

    def say(text: str) -> None:
        routing.receive(channel, VISITOR, text)
        drain()

    say("Hello, I need help: how long does delivery take?")
    conversation = Conversation.objects.get(channel=channel, customer_id=VISITOR)
    assert outbound(conversation) == [ANSWER, "Can I have your name for a follow-up?"]
    prompt = fake_model.requests[0]["body"]["messages"]
    assert "Standard delivery takes 3 to 5 working days" in prompt[0]["content"]  # the FAQ passage, numbered
    assert prompt[-1] == {"role": "user", "content": "Hello, I need help: how long does delivery take?"}

    say("Ada Lovelace")
    say("ada at example dot com")
    say("ada@example.com")
    texts = outbound(conversation)
    assert len(texts) == 5 and texts[2] == "And your email address?"
    assert texts[3].endswith("And your email address?") and texts[3] != texts[2]  # why, then the question again
    assert texts[4] == "Thanks Ada Lovelace! We will follow up at ada@example.com."

    execution = Execution.objects.get(workflow=workflow)
    assert execution.status == "completed"
    assert (execution.customer_id, execution.channel) == (VISITOR, channel.id)
    answer_step = execution.steps.get(node_id="answer")
    assert answer_step.output["sources"][0]["document_title"] == "Acme Support FAQ"
    assert ChatMessage.objects.filter(conversation=conversation, direction="in").count() == 4
    conversation.refresh_from_db()
    assert conversation.status == "open"
