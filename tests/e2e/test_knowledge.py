"""Issue 20's knowledge bases in a real browser: ai.chat's settings offer the project's knowledge
bases (the picker is filled from the API, not an id box), the choice is saved, and a run answers
from the uploaded FAQ through the local OpenAI-compatible fake model, citing its passage."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from integrations.services import create_credential
from knowledge.services import add_document, create_knowledge_base
from tests.e2e.conftest import UI_WAIT_MS, log_in
from tests.integrations.conftest import TEST_KEY_A
from tests.integrations.stubs import StubLlm, running_stub_llm
from tests.knowledge.faq import FAQ_MARKDOWN
from workflows import services
from workflows.models import Execution

pytestmark = [pytest.mark.slow, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def server_env() -> dict[str, str]:
    return {"FLOWBUILDER_ENCRYPTION_KEYS": TEST_KEY_A}


@pytest.fixture
def fake_model(settings, acme):
    settings.FLOWBUILDER_ENCRYPTION_KEYS = TEST_KEY_A
    with running_stub_llm(StubLlm(reply_text="Refunds arrive within 5 business days [1].")) as stub:
        fields = {"provider": "openai_compatible", "base_url": stub.base_url, "api_key": "stub-openai-key"}
        credential = create_credential(acme.default_project, name="Fake model", type="llm",
                                       fields={**fields, "default_model": "m"})  # fmt: skip
        stub.credential_id = credential.id
        yield stub


def test_the_ai_chat_picker_lists_knowledge_bases_and_the_run_cites_the_faq(acme, alice, fake_model, server, page):
    kb = create_knowledge_base(acme.default_project, name="Support FAQ")
    add_document(kb, FAQ_MARKDOWN.encode(), filename="faq.md")
    definition = {
        "nodes": [
            {"id": "start", "type": "trigger.manual", "name": "Start", "config": {}},
            {
                "id": "answer",
                "type": "ai.chat",
                "name": "Answer",
                "config": {"credential": fake_model.credential_id, "prompt": "When will I get my refund?"},
            },
        ],  # fmt: skip
        "edges": [{"id": "e1", "source": "start", "source_port": "out", "target": "answer"}],
    }
    workflow = services.create_workflow(acme.default_project, name="FAQ bot", definition=definition)
    log_in(page, server, alice)
    page.goto(f"{server}/workflows/{workflow.id}/edit")
    page.get_by_test_id("node-answer").click()
    picker = page.get_by_test_id("field-knowledge_base")
    expect(picker.locator("option")).to_have_text(["— no knowledge base —", "Support FAQ (1 documents)"],
                                                  timeout=UI_WAIT_MS)  # fmt: skip
    picker.select_option(label="Support FAQ (1 documents)")
    expect(page.get_by_test_id("save-status")).to_have_attribute("data-state", "saved", timeout=UI_WAIT_MS)
    page.get_by_test_id("run-button").click()
    page.get_by_test_id("run-start").click()
    expect(page.get_by_test_id("run-panel")).to_have_attribute("data-execution-status", "completed", timeout=UI_WAIT_MS)

    system = fake_model.requests[-1]["body"]["messages"][0]["content"]
    assert "Refunds are paid to the original payment method" in system and "[1] Acme Support FAQ" in system
    execution = Execution.objects.filter(workflow=workflow).latest("created_at")
    assert execution.output["found"] is True
    assert execution.output["sources"][0]["document_title"] == "Acme Support FAQ"
    assert page.console_errors == []


def test_from_the_chat_menu_create_a_knowledge_base_upload_the_faq_and_search(acme, alice, server, page, tmp_path):
    faq = tmp_path / "faq.md"
    faq.write_text(FAQ_MARKDOWN)
    log_in(page, server, alice)
    page.locator(".nav-group summary", has_text="Chat").focus()
    page.keyboard.press("Enter")
    page.get_by_role("link", name="Knowledge bases", exact=True).click()
    page.get_by_label("Name", exact=True).fill("Support FAQ")
    page.get_by_role("button", name="Create").click()
    expect(page.get_by_role("heading", name="Support FAQ", level=1)).to_be_visible()

    page.get_by_label("File").set_input_files(str(faq))
    page.get_by_role("button", name="Upload").click()
    expect(page.get_by_role("status")).to_contain_text("“Acme Support FAQ” uploaded")
    expect(page.get_by_role("cell", name="Acme Support FAQ", exact=True)).to_be_visible()

    page.get_by_label("Question").fill("When will I get my refund?")
    page.get_by_role("button", name="Search").click()
    first = page.get_by_test_id("passages").locator("li").first
    expect(first).to_contain_text("When will I get my refund?")
    expect(first).to_contain_text("Refunds are paid to the original payment method")

    broken = tmp_path / "latin.txt"
    broken.write_bytes("café".encode("latin-1"))
    page.get_by_label("File").set_input_files(str(broken))
    page.get_by_role("button", name="Upload").click()
    expect(page.get_by_test_id("upload-error")).to_contain_text("not UTF-8 text")
    assert page.console_errors == []
