"""Issue 23 as a new user tries it: write a function in the editor page, test it, call it from a flow.

A 5-line Python function is typed into the CodeMirror editor, tested with a sample input
(output and logs shown), picked in a `function.call` node of a flow that then runs to
`completed`; a function that raises shows a clear message and the page stays usable; a
syntax error is marked on its line and nothing is saved; a credential the function leaves to
each node is picked in the test panel, reaches the code and is redacted from what is shown.
"""

from __future__ import annotations

import shutil

import httpx
import pytest
from playwright.sync_api import Page, expect

from functions_app.models import Function
from tests.e2e.conftest import UI_WAIT_MS, log_in
from tests.e2e.test_editor import connect, drop, open_editor, start_run
from tests.workflows.conftest import node
from workflows import services
from workflows.models import Execution

pytestmark = [
    pytest.mark.slow,
    pytest.mark.django_db(transaction=True),
    pytest.mark.skipif(shutil.which("bwrap") is None, reason="bubblewrap missing: run scripts/ensure-sandbox.sh"),
]

TOTAL = """def main(input, ctx):
    items = input["items"]
    total = sum(item["price"] * item["qty"] for item in items)
    print("items:", len(items))
    return {"total": total, "count": len(items)}"""

BOOM = """def main(input, ctx):
    raise ValueError("no customer id given")"""


def write_code(page: Page, source: str) -> None:
    """Replace the editor's text as a user would: select all, then type (inserted as typed text)."""
    editor = page.get_by_test_id("code-editor")
    editor.click()
    page.keyboard.press("Control+A")
    page.keyboard.press("Delete")
    page.keyboard.insert_text(source)


def new_code_function(page: Page, server: str, name: str, source: str) -> None:
    page.goto(f"{server}/functions/")
    page.get_by_test_id("new-code-function").click()
    page.get_by_label("Name", exact=True).fill(name)
    write_code(page, source)
    page.get_by_test_id("save-function").click()
    expect(page.get_by_test_id("run-test")).to_be_visible()


def run_test(page: Page, sample: str) -> None:
    page.get_by_label("Sample input (JSON)").fill(sample)
    page.get_by_test_id("run-test").click()


def test_a_function_written_in_the_editor_is_tested_then_called_from_a_flow(acme, alice, server, page):
    log_in(page, server, alice)
    new_code_function(page, server, "orderTotal", TOTAL)
    function = Function.objects.get(project=acme.default_project, name="orderTotal")
    assert function.spec["source"] == TOTAL
    # Python is highlighted: CodeMirror gives keywords their own styled spans.
    expect(page.locator(".cm-content span").first).to_be_visible()

    run_test(page, '{"items": [{"price": 5, "qty": 2}, {"price": 1.5, "qty": 4}]}')
    expect(page.get_by_test_id("test-status")).to_contain_text("Succeeded", timeout=UI_WAIT_MS)
    expect(page.get_by_test_id("test-output")).to_contain_text('"total": 16')
    expect(page.get_by_test_id("test-logs")).to_contain_text("items: 2")

    workflow = services.create_workflow(
        acme.default_project,
        name="Totals",
        definition={"nodes": [node("start", "trigger.manual", position={"x": 0, "y": 0})], "edges": []},
    )
    open_editor(page, server, workflow)
    drop(page, "function.call", 200, 520)
    connect(page, "start", "out", "call")
    page.get_by_test_id("node-call").click()
    picker = page.get_by_test_id("field-function")
    expect(picker.get_by_role("option", name="orderTotal (code)")).to_have_count(1)
    picker.select_option(label="orderTotal (code)")
    expect(page.get_by_test_id("problem-item")).to_have_count(0, timeout=UI_WAIT_MS)
    expect(page.get_by_test_id("save-status")).to_have_attribute("data-state", "saved", timeout=UI_WAIT_MS)

    start_run(page, {"items": [{"price": 2, "qty": 3}]})
    expect(page.get_by_test_id("run-panel")).to_have_attribute("data-execution-status", "completed", timeout=UI_WAIT_MS)
    step = Execution.objects.get(workflow=workflow).steps.get(node_id="call")
    assert step.output == {"total": 6, "count": 1}
    assert page.console_errors == []


def test_a_bad_function_shows_a_clear_message_and_the_page_stays_usable(acme, alice, server, page):
    log_in(page, server, alice)
    new_code_function(page, server, "lookupCustomer", BOOM)

    run_test(page, "{}")
    expect(page.get_by_test_id("test-status")).to_contain_text("Failed", timeout=UI_WAIT_MS)
    expect(page.get_by_test_id("test-error")).to_contain_text("no customer id given")

    # A syntax error is refused with its line, marked in the editor; the saved version stays.
    write_code(page, "def main(input, ctx):\n    return {")
    run_test(page, "{}")
    expect(page.get_by_test_id("test-problem")).to_contain_text("line ", timeout=UI_WAIT_MS)
    expect(page.locator(".cm-lint-marker-error")).to_have_count(1)
    assert Function.objects.get(project=acme.default_project, name="lookupCustomer").version == 1

    # Fixed, it saves as version 2 and runs: the page kept working after both failures.
    write_code(page, 'def main(input, ctx):\n    return {"id": input.get("id", "none")}')
    run_test(page, '{"id": "c_1"}')
    expect(page.get_by_test_id("test-status")).to_contain_text("version 2", timeout=UI_WAIT_MS)
    expect(page.get_by_test_id("test-output")).to_contain_text('"id": "c_1"')
    expect(page.locator(".cm-lint-marker-error")).to_have_count(0)
    page.reload()
    expect(page.get_by_test_id("versions").locator("li")).to_have_count(2)
    assert [m for m in page.console_errors if "400" not in m] == []


def test_a_credential_left_to_the_node_is_picked_for_a_test_and_redacted(acme, alice, server, page, make_key):
    _, key = make_key(acme)
    secret = "xoxb-e2e-secret-5678"
    with httpx.Client(base_url=server, headers={"Authorization": f"Bearer {key}"}) as api:
        payload = {"name": "Slack bot", "type": "bearer", "secret": {"token": secret}}
        created = api.post("/api/v1/credentials", json=payload)
    assert created.status_code == 201, created.text
    log_in(page, server, alice)
    page.goto(f"{server}/functions/new/?kind=code&name=notify")
    write_code(page, "def main(input, ctx):\n    print(ctx.credentials['slack']['token'])\n    return ctx.credentials")
    page.get_by_label("Credential key 1").fill("slack")  # its credential: "chosen per node"
    page.get_by_test_id("save-function").click()
    assert Function.objects.get(project=acme.default_project, name="notify").spec["credentials"] == {"slack": None}

    run_test(page, "{}")  # none picked: the function says which credential it needs
    expect(page.get_by_test_id("test-error")).to_contain_text("needs credential 'slack'", timeout=UI_WAIT_MS)
    page.get_by_label("Credential slack for this test").select_option(label="Slack bot (bearer)")
    run_test(page, "{}")
    expect(page.get_by_test_id("test-output")).to_contain_text('"token": "[redacted]"', timeout=UI_WAIT_MS)
    expect(page.get_by_test_id("test-logs")).to_have_text("[redacted]")
    expect(page.locator("body")).not_to_contain_text(secret)
    assert page.console_errors == []
