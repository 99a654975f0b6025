"""Everyone can use Flowbuilder (issue 25, item 3).

- axe-core, injected from frontend/node_modules, finds no serious or critical violation on any
  main page, signed in as the demo admin with real objects to show (a workflow, a finished run,
  a form, a credential, a webhook);
- a keyboard-only builder skips to the canvas, adds three nodes from the palette, connects two
  existing nodes with C and the "Connect to" list, and runs the flow.
"""

from __future__ import annotations

import io
from pathlib import Path

import pytest
from django.core.management import call_command
from playwright.sync_api import Page, expect

from accounts.models import Organization
from chat import routing as chat_routing
from chat import services as chat_services
from datasets.services import Upload, create_dataset
from forms_app import services as form_services
from integrations import services as integration_services
from knowledge import services as knowledge_services
from tests.datasets.conftest import ORDERS_CSV
from tests.e2e.conftest import UI_WAIT_MS
from tests.integrations.conftest import TEST_KEY_A
from tests.knowledge.faq import FAQ_MARKDOWN
from tests.pages.conftest import failing_flow
from tests.workflows.processes import wait_until
from webhooks import services as webhook_services
from workflows import services
from workflows.models import Execution, Workflow

pytestmark = [pytest.mark.slow, pytest.mark.django_db(transaction=True)]

AXE = Path(__file__).resolve().parents[2] / "frontend" / "node_modules" / "axe-core" / "axe.min.js"
DEMO_EMAIL = "demo@flowbuilder.local"
DEMO_PASSWORD = "demo-flowbuilder"

# Serious and critical violations only, each as "rule: target (summary)" for a readable failure.
RUN_AXE_JS = """async () => {
  const result = await axe.run(document, { resultTypes: ['violations'] });
  return result.violations
    .filter((v) => v.impact === 'serious' || v.impact === 'critical')
    .flatMap((v) => v.nodes.map((n) => `${v.id} (${v.impact}): ${n.target.join(' ')} | ${n.failureSummary}`));
}"""


@pytest.fixture
def server_env() -> dict[str, str]:
    return {"FLOWBUILDER_ENCRYPTION_KEYS": TEST_KEY_A}  # the server unseals what the demo sealed (a channel's token)


@pytest.fixture
def demo(db, settings):
    """The demo admin (as `bootstrap` creates it) and one of everything a page can show."""
    settings.FLOWBUILDER_ENCRYPTION_KEYS = TEST_KEY_A
    call_command("bootstrap", org="Demo", email=DEMO_EMAIL, password=DEMO_PASSWORD, stdout=io.StringIO())

    organization = Organization.objects.get(name="Demo")
    project = organization.default_project
    workflow = services.create_workflow(project, name="Quality check", definition=failing_flow())
    execution = services.start_execution(workflow, input={"amount": 5}, version=None)
    form = form_services.create_form(
        project, name="Contact us", fields=[{"key": "full_name", "type": "text", "label": "Full name"}]
    )
    credential = integration_services.create_credential(project, name="CRM", type="bearer", fields={"token": "t0ken"})
    hook = webhook_services.create_subscription(project, url="https://example.test/hook", events=["workflow.executed"])
    kb = knowledge_services.create_knowledge_base(project, name="Support FAQ")
    knowledge_services.add_document(kb, FAQ_MARKDOWN.encode(), filename="faq.md")
    channel = chat_services.create_channel(project, name="Site chat", type="web", fallback_reply="We'll be right back.")
    received = chat_routing.receive(channel.channel, "visitor-0000000000000001", "Hello, anyone there?")
    dataset = create_dataset(project, name="Orders", upload=Upload(ORDERS_CSV, "orders.csv"))
    return {
        "workflow": workflow,
        "execution": execution,
        "form": form,
        "credential": credential,
        "hook": hook,
        "kb": kb,
        "channel": channel.channel,
        "conversation": received.conversation,
        "dataset": dataset,
    }


def log_in_as_demo(page: Page, server: str) -> None:
    page.goto(f"{server}/login/")
    page.get_by_label("Email").fill(DEMO_EMAIL)
    page.get_by_label("Password").fill(DEMO_PASSWORD)
    page.get_by_role("button", name="Log in").click()
    page.wait_for_url(f"{server}/")


def main_pages(demo) -> dict[str, str]:
    workflow, execution, form = demo["workflow"], demo["execution"], demo["form"]
    subscription = getattr(demo["hook"], "subscription", demo["hook"])
    return {
        "dashboard": "/",
        "workflow-list": "/workflows/",
        "workflow-new": "/workflows/new/",
        "editor": f"/workflows/{workflow.id}/edit",
        "metrics": f"/workflows/{workflow.id}/metrics",
        "execution-list": "/executions/",
        "execution-detail": f"/executions/{execution.id}/",
        "forms": "/forms/",
        "form-builder": f"/forms/{form.id}/",
        "form-submissions": f"/forms/{form.id}/submissions/",
        "public-form": f"/f/{form.slug}",
        "credentials": "/credentials/",
        "credential-edit": f"/credentials/{demo['credential'].id}/edit/",
        "connections": "/connections/",
        "webhooks": "/webhooks/",
        "webhook-detail": f"/webhooks/{subscription.id}/",
        "usage": "/usage/",
        "members": "/settings/members/",
        "api-keys": "/settings/api-keys/",
        "queue": "/system/queue/",
        "workflow-settings": f"/workflows/{workflow.id}/settings/",
        "data-dashboard": "/data-dashboard/",
        "knowledge-bases": "/knowledge-bases/",
        "knowledge-base-search": f"/knowledge-bases/{demo['kb'].id}/?q=refund",
        "chat-channels": "/chat/channels/",
        "chat-channel": f"/chat/channels/{demo['channel'].id}/",
        "chat-conversations": "/chat/conversations/",
        "chat-conversation": f"/chat/conversations/{demo['conversation'].id}/",
        "data": "/data/",
        "data-console": "/data/query/",
        "data-upload": "/data/upload/",
        "dataset": f"/data/datasets/{demo['dataset'].id}/",
    }


def test_no_page_has_a_serious_or_critical_axe_violation(demo, server, page):
    execution = demo["execution"]
    wait_until(lambda: Execution.objects.get(pk=execution.pk).is_terminal, what="the run to finish")
    log_in_as_demo(page, server)
    found = {}
    for name, path in main_pages(demo).items():
        answer = page.goto(f"{server}{path}")
        assert answer is not None and answer.ok, f"{name}: {path} answered {answer and answer.status}"
        if name == "editor":
            expect(page.locator(".react-flow__node").first).to_be_visible()
        page.wait_for_load_state("networkidle")
        page.add_script_tag(path=str(AXE))
        violations = page.evaluate(RUN_AXE_JS)
        if violations:
            found[name] = violations
    report = "\n".join(f"{name}: {line}" for name, lines in found.items() for line in lines)
    assert found == {}, report


def test_a_keyboard_only_builder_builds_connects_and_runs_a_three_node_flow(acme, alice, server, page):
    from tests.e2e.conftest import log_in

    workflow = services.create_workflow(acme.default_project, name="By keyboard", definition={"nodes": [], "edges": []})
    log_in(page, server, alice)
    page.goto(f"{server}/workflows/{workflow.id}/edit")
    expect(page.get_by_test_id("canvas")).to_be_visible()
    keys = page.keyboard

    # The skip link is the first Tab stop and lands on the canvas.
    page.locator("body").focus()
    keys.press("Tab")
    expect(page.get_by_test_id("skip-to-canvas")).to_be_focused()
    keys.press("Enter")
    expect(page.get_by_test_id("canvas")).to_be_focused()

    # Palette by keyboard: search, Tab to the match, Enter adds it (after the selected node).
    def add(search: str, node_type: str) -> None:
        page.get_by_label("Search nodes").focus()
        page.get_by_label("Search nodes").fill(search)
        item = page.get_by_test_id(f"palette-item-{node_type}")
        while not page.evaluate("(el) => el === document.activeElement", item.element_handle()):
            keys.press("Tab")
        keys.press("Enter")

    add("manual", "trigger.manual")
    add("merge", "logic.merge")  # added after the selected trigger and connected to it
    nodes = page.locator(".react-flow__node")
    expect(nodes).to_have_count(2)
    # Deselect (Escape), so the third node is added unconnected: it gets connected by keyboard.
    page.get_by_test_id("canvas").focus()
    keys.press("Escape")
    add("succeed", "logic.succeed")
    expect(nodes).to_have_count(3)
    expect(page.locator(".react-flow__edge")).to_have_count(1)

    # Nodes are named by label and type; Tab reaches them; Enter selects; C opens "Connect to".
    page.get_by_role("group", name="Merge, Merge node").focus()
    keys.press("Enter")
    keys.press("c")
    dialog = page.get_by_test_id("connect-dialog")
    expect(dialog).to_be_visible()
    expect(page.get_by_test_id("connect-port")).to_be_focused()
    keys.press("Tab")
    expect(page.get_by_test_id("connect-target")).to_be_focused()
    target_id = page.get_by_test_id("connect-target").input_value()
    assert target_id == "succeed"
    keys.press("Tab")
    keys.press("Tab")
    expect(page.get_by_test_id("connect-confirm")).to_be_focused()
    keys.press("Enter")
    expect(dialog).to_be_hidden()
    expect(page.locator(".react-flow__edge")).to_have_count(2)

    # The output handles are Tab stops too: Enter on one opens the same list.
    handle = page.get_by_test_id("handle-merge-out")
    handle.focus()
    keys.press("Enter")
    expect(dialog).to_be_visible()
    keys.press("Escape")
    expect(dialog).to_be_hidden()

    # Run with Ctrl+Enter; the dialog's start button is reached with Tab.
    expect(page.get_by_test_id("save-status")).to_have_attribute("data-state", "saved", timeout=UI_WAIT_MS)
    page.get_by_test_id("canvas").focus()
    keys.press("Control+Enter")
    expect(page.get_by_test_id("run-input")).to_be_focused()
    while not page.evaluate("() => document.activeElement?.dataset.testid === 'run-start'"):
        keys.press("Tab")
    keys.press("Enter")
    panel = page.get_by_test_id("run-panel")
    expect(panel).to_have_attribute("data-execution-status", "completed", timeout=UI_WAIT_MS)
    expect(panel.locator('.step-row[data-status="succeeded"]')).to_have_count(3)

    definition = Workflow.objects.get(pk=workflow.pk).definition
    assert sorted(node["type"] for node in definition["nodes"]) == ["logic.merge", "logic.succeed", "trigger.manual"]
    assert len(definition["edges"]) == 2
    assert page.console_errors == []
