"""Issue 16's "Done when", as a new user would do it in Chromium at 1280x800: build a form → if →
HTTP (with a bearer credential) → email flow in the editor, fix a deliberately broken expression
from the problems list, publish and activate, run it from the form's public page, then rename
the workflow in the editor's header and duplicate it from the list."""

from __future__ import annotations

import email
import email.policy
import time

import pytest
from playwright.sync_api import Page, expect

from forms_app import services as form_services
from tests.e2e.conftest import UI_WAIT_MS, log_in
from tests.e2e.test_editor import drop
from tests.e2e.test_first_hour import TOKEN, auth_server, save_bearer_credential  # noqa: F401 (a fixture)
from tests.integrations.test_email import smtp_fields, smtp_server  # noqa: F401 (a fixture)
from workflows.models import Execution, ExecutionStatus, Workflow

pytestmark = [pytest.mark.slow, pytest.mark.django_db(transaction=True)]


def save_smtp_credential(page: Page, server: str, name: str, fields: dict) -> None:
    page.goto(f"{server}/credentials/new/smtp/")
    page.get_by_label("Name", exact=True).fill(name)
    page.get_by_label("Host").fill(fields["host"])
    page.get_by_label("Port").fill(str(fields["port"]))
    page.get_by_label("User name").fill(fields["username"])
    page.get_by_label("Password", exact=True).fill(fields["password"])
    page.get_by_label("Use STARTTLS").set_checked(fields["starttls"])
    page.get_by_label("From address").fill(fields["from_email"])
    page.get_by_role("button", name="Save").click()
    expect(page.get_by_role("cell", name=name)).to_be_visible()


def test_form_if_http_email_from_the_public_form_then_rename_and_duplicate(
    acme, alice, server, page, auth_server, smtp_server  # noqa: F811
):
    inbox, smtp_port = smtp_server
    started = time.monotonic()
    form = form_services.create_form(
        acme.default_project,
        name="Order request",
        fields=[
            {"key": "email", "type": "email", "label": "Email"},
            {"key": "amount", "type": "number", "label": "Amount"},
        ],
    )
    log_in(page, server, alice)
    save_bearer_credential(page, server, "Orders API token", TOKEN)
    save_smtp_credential(page, server, "Mail", smtp_fields(smtp_port))

    page.goto(f"{server}/workflows/new/")
    page.get_by_label("Name", exact=True).fill("Big orders")
    page.get_by_role("button", name="Create and open the editor").click()
    expect(page.get_by_test_id("canvas")).to_be_visible()
    # Drop the trigger, then add each next step after the selected one: it comes connected
    # (an If's first output is "true") and selected, its settings open.
    def add_next(node_type: str) -> None:
        page.get_by_test_id(f"palette-item-{node_type}").hover()
        page.get_by_test_id(f"palette-add-{node_type}").click()

    drop(page, "trigger.form", 200, 250)
    page.get_by_test_id("field-form_id").select_option(label="Order request")
    add_next("logic.if")
    page.get_by_test_id("field-condition").fill("{{ trigger.data.amount > }}")  # the deliberate mistake
    add_next("http.request")
    page.get_by_test_id("field-method").select_option("POST")
    page.get_by_test_id("field-url").fill(auth_server.url)
    page.get_by_test_id("field-credential").select_option(label="Orders API token")
    add_next("email.send")
    page.get_by_test_id("field-credential").select_option(label="Mail")
    page.get_by_test_id("field-to").fill("{{ trigger.data.email }}")
    page.get_by_test_id("field-subject").fill("Order of {{ trigger.data.amount }} received")
    # Validation says what sending would refuse, before any run.
    expect(page.locator('[data-testid="problem-item"][data-node-id="send"]')).to_contain_text("needs a body")
    page.get_by_test_id("field-text").fill("{{ trigger.data.email }} ordered for {{ trigger.data.amount }}.")
    expect(page.locator(".react-flow__edge")).to_have_count(3)

    # The problems list names the broken condition; a click on it opens that node's settings.
    broken = page.locator('[data-testid="problem-item"][data-node-id="if"]')
    expect(broken).to_contain_text("syntax error", timeout=UI_WAIT_MS)
    broken.click()
    expect(page.get_by_test_id("settings-panel")).to_contain_text("If")
    page.get_by_test_id("field-condition").fill("{{ trigger.data.amount > 100 }}")
    expect(page.get_by_test_id("problem-item")).to_have_count(0, timeout=UI_WAIT_MS)
    expect(page.get_by_test_id("save-status")).to_have_attribute("data-state", "saved", timeout=UI_WAIT_MS)

    page.get_by_test_id("publish-button").click()
    page.get_by_test_id("publish-confirm").click()
    expect(page.get_by_test_id("workflow-status")).to_have_text("Published v1")
    page.get_by_test_id("activate-button").click()
    expect(page.get_by_test_id("workflow-status")).to_have_text("Active")

    page.goto(f"{server}/f/{form.slug}")
    page.get_by_label("Email").fill("ada@example.test")
    page.get_by_label("Amount").fill("250")
    page.get_by_role("button", name="Send").click()
    workflow = Workflow.objects.get(name="Big orders")
    deadline = time.monotonic() + 60
    while not Execution.objects.filter(workflow=workflow, status=ExecutionStatus.COMPLETED).exists():
        assert time.monotonic() < deadline, list(Execution.objects.values("status", "error"))
        time.sleep(0.3)
    assert auth_server.authorizations == [f"Bearer {TOKEN}"]
    message = email.message_from_bytes(inbox.envelopes[0].content, policy=email.policy.default)
    assert (message["To"], message["Subject"]) == ("ada@example.test", "Order of 250 received")
    assert message.get_body(("plain",)).get_content().strip() == "ada@example.test ordered for 250."

    page.goto(f"{server}/workflows/{workflow.id}/edit")
    page.get_by_test_id("rename-button").click()
    page.get_by_test_id("rename-input").fill("Big orders to the CRM")
    page.get_by_test_id("rename-input").press("Enter")
    expect(page.get_by_test_id("rename-button")).to_have_text("Big orders to the CRM")
    page.goto(f"{server}/workflows/")
    page.get_by_role("button", name="Duplicate Big orders to the CRM").click()
    expect(page.get_by_role("link", name="Big orders to the CRM (copy)", exact=True)).to_be_visible()
    assert page.console_errors == []
    print(f"walkthrough: {time.monotonic() - started:.0f} s in the browser")
