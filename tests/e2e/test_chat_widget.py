"""Issue 20 in a real browser: the chat widget embedded with one tag in a blank page on another
origin (a loopback static server), and the issue's "Done when" walkthrough as a new user does it.

The model is the local OpenAI-compatible fake; replies travel the real way (daphne → routing →
a worker runs the flow → the delivery job → the web adapter → the conversation's group → the
widget's socket).
"""

from __future__ import annotations

import contextlib
import functools
import threading
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest
from playwright.sync_api import Page, expect

from chat import services as chat_services
from chat.models import Conversation
from integrations.services import create_credential
from knowledge.services import add_document, create_knowledge_base
from tests.e2e.conftest import UI_WAIT_MS, log_in
from tests.e2e.test_accessibility import AXE, RUN_AXE_JS
from tests.integrations.conftest import TEST_KEY_A
from tests.integrations.stubs import StubLlm, running_stub_llm
from tests.knowledge.faq import FAQ_MARKDOWN
from workflows import services
from workflows.models import Execution
from workflows.templates_catalog import SUPPORT_CHATBOT

pytestmark = [pytest.mark.slow, pytest.mark.django_db(transaction=True)]

ANSWER = "Standard delivery takes 3 to 5 working days within the EU [1]."
ASK_NAME = "Can I have your name for a follow-up?"
ASK_EMAIL = "And your email address?"
BLANK_PAGE = """<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>Acme shop</title><link rel="icon" href="data:,"></head>
<body><main><h1>Acme shop</h1><p>Nothing here but the chat.</p></main>
{snippet}
</body></html>
"""


@pytest.fixture
def server_env() -> dict[str, str]:
    return {"FLOWBUILDER_ENCRYPTION_KEYS": TEST_KEY_A}


@pytest.fixture
def server_queues() -> list[str]:
    return ["executions", "webhooks"]  # runs, and the deliveries of their replies


@pytest.fixture
def fake_model(settings, acme):
    settings.FLOWBUILDER_ENCRYPTION_KEYS = TEST_KEY_A
    with running_stub_llm(StubLlm(reply_text=ANSWER)) as stub:
        fields = {"provider": "openai_compatible", "base_url": stub.base_url, "api_key": "stub-openai-key"}
        fields["default_model"] = "m"
        stub.credential = create_credential(acme.default_project, name="Fake model", type="llm", fields=fields)
        yield stub


@contextlib.contextmanager
def site(tmp_path: Path, snippet: str):
    """A blank HTML page holding the snippet, served on loopback: another origin than the product."""
    root = tmp_path / "site"
    root.mkdir()
    (root / "index.html").write_text(BLANK_PAGE.format(snippet=snippet))
    handler = functools.partial(SimpleHTTPRequestHandler, directory=str(root))
    handler.log_message = lambda *args: None
    server = ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}/index.html"
    finally:
        server.shutdown()
        server.server_close()


def chat_in(page: Page, text: str) -> None:
    field = page.get_by_label("Your message")
    field.fill(text)
    field.press("Enter")


def expect_reply(page: Page, text: str) -> None:
    replies = page.locator('[data-testid="chat-log"] li[data-direction="out"]')
    expect(replies.filter(has_text=text).first).to_be_visible(timeout=UI_WAIT_MS)


def test_the_widget_answers_help_and_a_reload_continues_the_conversation(
    acme, alice, fake_model, server, page, tmp_path
):
    project = acme.default_project
    kb = create_knowledge_base(project, name="FAQ", actor=alice)
    add_document(kb, FAQ_MARKDOWN.encode(), filename="faq.md", actor=alice)
    definition = SUPPORT_CHATBOT.fresh_definition()
    definition["nodes"][1]["config"] |= {"credential": fake_model.credential.id, "knowledge_base": kb.id}
    workflow = services.create_workflow(project, name="Support chatbot", definition=definition, actor=alice)
    services.set_workflow_active(workflow, True, actor=alice)
    channel = chat_services.create_channel(project, name="Shop", type="web").channel
    snippet = f'<script src="{server}/chat/widget.js" data-channel="{channel.token}" async></script>'

    with site(tmp_path, snippet) as url:
        page.goto(url)
        launcher = page.get_by_role("button", name="Chat with us")
        launcher.click()
        expect(page.get_by_role("dialog", name="Chat with us")).to_be_visible()
        expect(page.get_by_label("Your message")).to_be_focused()
        page.add_script_tag(path=str(AXE))  # the widget, on the site's page: no serious or critical violation
        assert page.evaluate(RUN_AXE_JS) == []
        chat_in(page, "help")
        expect(page.locator('[data-testid="chat-log"] li[data-direction="in"]')).to_have_text(["You: help"])
        expect_reply(page, ANSWER)
        expect_reply(page, ASK_NAME)
        assert "help" in fake_model.requests[0]["body"]["messages"][-1]["content"]

        page.keyboard.press("Escape")  # closes the panel and gives the focus back to the launcher
        expect(page.get_by_test_id("chat-panel")).to_be_hidden()
        expect(launcher).to_be_focused()

        page.reload()
        page.get_by_role("button", name="Chat with us").click()
        log = page.get_by_role("log", name="Conversation")
        expect(log.locator("li")).to_have_count(3, timeout=UI_WAIT_MS)  # the transcript so far
        expect(log.locator("li").first).to_have_text("You: help")
        chat_in(page, "Ada")
        expect_reply(page, ASK_EMAIL)

    conversation = Conversation.objects.get(channel=channel)
    assert conversation.messages.filter(direction="in").count() == 2  # one conversation, continued
    assert Execution.objects.filter(workflow=workflow).count() == 1  # the reload resumed the same run
    assert page.console_errors == []


def test_done_when_a_new_user_embeds_the_widget_and_finds_the_conversation_and_its_runs(
    acme, alice, fake_model, server, page, tmp_path
):
    log_in(page, server, alice)

    # A knowledge base with the FAQ, uploaded from the page.
    page.goto(f"{server}/knowledge-bases/")
    page.get_by_label("Name", exact=True).fill("FAQ")
    page.get_by_role("button", name="Create").click()
    faq = tmp_path / "faq.md"
    faq.write_text(FAQ_MARKDOWN)
    page.get_by_label("File").set_input_files(str(faq))
    page.get_by_role("button", name="Upload").click()
    expect(page.get_by_text("Acme Support FAQ").first).to_be_visible()

    # The "Support chatbot" template: choose the model and the knowledge base, publish, activate.
    page.goto(f"{server}/workflows/new/")
    page.locator('input[name="template"][value="support-chatbot"]').check()
    page.get_by_role("button", name="Create and open the editor").click()
    expect(page.get_by_test_id("problem-item")).to_have_count(2, timeout=UI_WAIT_MS)
    page.get_by_test_id("node-answer").click()
    page.get_by_test_id("field-credential").select_option(label="Fake model")
    page.get_by_test_id("field-knowledge_base").select_option(label="FAQ (1 documents)")
    expect(page.get_by_test_id("problem-item")).to_have_count(0, timeout=UI_WAIT_MS)
    expect(page.get_by_test_id("save-status")).to_have_attribute("data-state", "saved", timeout=UI_WAIT_MS)
    page.get_by_test_id("publish-button").click()
    page.get_by_test_id("publish-confirm").click()
    expect(page.get_by_test_id("workflow-status")).to_have_text("Published v1")
    page.get_by_test_id("activate-button").click()
    expect(page.get_by_test_id("workflow-status")).to_have_text("Active")

    # A web channel from the Chat page; its snippet goes into a blank page of "our" site.
    nav = page.get_by_role("navigation", name="Main")
    nav.locator("summary", has_text="Chat").click()
    nav.get_by_role("link", name="Channels").click()
    page.get_by_label("Name", exact=True).fill("Shop")
    page.get_by_label("Type").select_option("web")
    page.get_by_role("button", name="Add channel").click()
    snippet = page.get_by_test_id("embed-snippet").inner_text().strip()
    channel_page = page.url

    with site(tmp_path, snippet) as url:
        visitor = page.context.new_page()
        visitor.goto(url)
        visitor.get_by_role("button", name="Chat with us").click()
        chat_in(visitor, "Hi! I need help: how long does delivery take?")
        expect_reply(visitor, ANSWER)
        expect_reply(visitor, ASK_NAME)
        chat_in(visitor, "Ada Lovelace")
        expect_reply(visitor, ASK_EMAIL)
        chat_in(visitor, "ada at example")
        replies = visitor.locator('[data-testid="chat-log"] li[data-direction="out"]')
        expect(replies).to_have_count(4, timeout=UI_WAIT_MS)  # the validator's sentence and the question again
        chat_in(visitor, "ada@example.com")
        expect_reply(visitor, "Thanks Ada Lovelace! We will follow up at ada@example.com.")
        visitor.close()
    assert "Standard delivery takes 3 to 5 working days" in fake_model.requests[0]["body"]["messages"][0]["content"]

    # The conversation and its run, from the product's pages.
    page.goto(channel_page)
    expect(page.locator('[data-metric="conversations"]')).to_have_text("1")
    page.get_by_role("link", name="Conversations").first.click()
    page.get_by_test_id("conversation-list").get_by_role("link").first.click()
    transcript = page.get_by_test_id("transcript")
    expect(transcript.locator('li[data-direction="in"]')).to_have_count(4)
    expect(transcript).to_contain_text("ada@example.com")
    expect(transcript).to_contain_text("Enter a valid email address")
    page.get_by_test_id("conversation-runs").get_by_role("link").first.click()
    expect(page.locator(".status-pill").first).to_have_text("completed", timeout=UI_WAIT_MS)
    assert page.console_errors == []


def test_try_it_in_the_editor_chats_with_the_draft_and_shows_the_run(acme, alice, fake_model, server, page):
    project = acme.default_project
    kb = create_knowledge_base(project, name="FAQ", actor=alice)
    add_document(kb, FAQ_MARKDOWN.encode(), filename="faq.md", actor=alice)
    definition = SUPPORT_CHATBOT.fresh_definition()
    definition["nodes"][1]["config"] |= {"credential": fake_model.credential.id, "knowledge_base": kb.id}
    workflow = services.create_workflow(project, name="Support chatbot", definition=definition, actor=alice)

    log_in(page, server, alice)
    page.goto(f"{server}/workflows/{workflow.id}/edit")
    page.get_by_test_id("try-chat-button").click()
    panel = page.get_by_role("dialog", name="Try it")
    expect(panel.get_by_label("Message to the workflow")).to_be_focused()
    panel.get_by_label("Message to the workflow").fill("help: how long does delivery take?")
    panel.get_by_label("Message to the workflow").press("Enter")
    log = panel.get_by_role("log", name="Test conversation")
    expect(log.locator('li[data-direction="out"]')).to_have_count(2, timeout=UI_WAIT_MS)
    expect(log.locator('li[data-direction="out"]').first).to_contain_text(ANSWER)
    panel.get_by_label("Message to the workflow").fill("Grace")
    panel.get_by_label("Message to the workflow").press("Enter")
    expect(log.locator('li[data-direction="out"]').last).to_contain_text(ASK_EMAIL, timeout=UI_WAIT_MS)

    log.get_by_test_id("try-chat-run").first.click()  # the reply's run, in the run panel and on the canvas
    expect(page.get_by_test_id("run-panel")).to_have_attribute("data-execution-status", "waiting", timeout=UI_WAIT_MS)
    panel.press("Escape")
    expect(page.get_by_test_id("try-chat")).to_have_count(0)
    execution = Execution.objects.get(workflow=workflow)
    assert execution.mode == "test" and execution.version is None  # the draft, as a test run
    assert page.console_errors == []
