"""Issue 23's "Done when", in one sitting of a new user, through the pages and the public API.

Write a 5-line Python function in the editor page and test it (output, logs, duration); find
it in the workflow editor's palette, drop it into a flow and run that to `completed`; import
the state-machine page's Customer Onboarding example over the API, create its missing code
function from the editor's "Create function" action, define the other two (AI, HTTP) as the
page's developer would, and run it to `completed`; then a function that never returns fails
its test and its run with a clear message, and the next call works: the product stayed up.
"""

from __future__ import annotations

import json
import shutil

import httpx
import pytest
from playwright.sync_api import Page, expect

from tests.e2e.conftest import UI_WAIT_MS, log_in
from tests.e2e.test_editor import connect, open_editor, start_run
from tests.e2e.test_functions import TOTAL, new_code_function, run_test, write_code
from tests.functions_app.test_customer_onboarding import CUSTOMER, ONBOARDING, VALIDATE
from tests.integrations.stubs import StubLlm, running_stub_llm
from tests.workflows.conftest import http_server, node  # noqa: F401 (the loopback HTTP server fixture)
from workflows import services
from workflows.models import Execution, Workflow

pytestmark = [
    pytest.mark.slow,
    pytest.mark.django_db(transaction=True),
    pytest.mark.skipif(shutil.which("bwrap") is None, reason="bubblewrap missing: run scripts/ensure-sandbox.sh"),
]

SPIN = "def main(input, ctx):\n    while True:\n        pass"


def expect_run(page: Page, status: str) -> None:
    expect(page.get_by_test_id("run-panel")).to_have_attribute("data-execution-status", status, timeout=UI_WAIT_MS)


def pick_function(page: Page, node_id: str, label: str) -> None:
    # Its header: with a run panel open the card's lower half may be under it.
    page.get_by_test_id(f"node-{node_id}").click(position={"x": 40, "y": 16})
    page.get_by_test_id("field-function").select_option(label=label)
    expect(page.get_by_test_id("save-status")).to_have_attribute("data-state", "saved", timeout=UI_WAIT_MS)


def use_from_palette_and_run(page: Page, server: str, workflow: Workflow) -> None:
    """The palette's Functions group, searched; the dropped node is the function's call, preset."""
    open_editor(page, server, workflow)
    page.get_by_label("Search nodes").fill("order")
    expect(page.get_by_test_id("palette-functions")).to_contain_text("code function")
    entry = page.get_by_test_id("palette-function-orderTotal")
    entry.drag_to(page.get_by_test_id("canvas"), target_position={"x": 200, "y": 520})
    expect(page.get_by_test_id("node-call")).to_contain_text("orderTotal")
    expect(page.get_by_test_id("field-function")).to_have_value("orderTotal")
    connect(page, "start", "out", "call")
    expect(page.get_by_test_id("problem-item")).to_have_count(0, timeout=UI_WAIT_MS)
    expect(page.get_by_test_id("save-status")).to_have_attribute("data-state", "saved", timeout=UI_WAIT_MS)
    saved = Workflow.objects.get(pk=workflow.pk).definition["nodes"]
    assert next(n for n in saved if n["id"] == "call")["config"] == {"function": "orderTotal", "input": "{{ input }}"}
    start_run(page, {"items": [{"price": 2, "qty": 3}]})
    expect_run(page, "completed")
    assert Execution.objects.filter(workflow=workflow).latest("created_at").steps.get(node_id="call").output == {
        "total": 6,
        "count": 1,
    }


def import_onboarding_and_run(page: Page, server: str, api: httpx.Client, llm_url: str, mail_url: str) -> None:
    created = api.post("/api/v1/workflows", json=ONBOARDING)
    assert created.status_code == 201, created.text
    workflow = Workflow.objects.get(pk=created.json()["data"]["id"])
    open_editor(page, server, workflow)
    expect(page.get_by_test_id("problem-item")).to_have_count(3, timeout=UI_WAIT_MS)
    create = page.get_by_test_id("problem-link").filter(has_text="Create function validateCustomerData")
    with page.context.expect_page() as opened:
        create.click()
    tab = opened.value
    expect(tab.get_by_label("Name", exact=True)).to_have_value("validateCustomerData")
    write_code(tab, VALIDATE.strip())
    tab.get_by_test_id("save-function").click()
    expect(tab.get_by_test_id("run-test")).to_be_visible()
    tab.close()

    credential = api.post("/api/v1/credentials", json={
        "name": "Stub LLM", "type": "llm", "secret": {"api_key": "stub-openai-key"},
        "metadata": {"provider": "openai_compatible", "base_url": llm_url, "default_model": "stub-model"},
    })  # fmt: skip
    assert credential.status_code == 201, credential.text
    for function in [
        {"name": "createCustomerAccount", "kind": "ai", "spec": {
            "prompt": "Create an account id for {{ input.customer.name }} of {{ input.customer.company }}.",
            "output_schema": {"type": "object", "required": ["accountId"]},
            "credential": credential.json()["data"]["id"]}},
        {"name": "sendEmail", "kind": "http", "spec": {
            "method": "POST", "url": mail_url, "body": {"to": "{{ input.accountId }}"},
            "response": {"welcomeEmailSent": "{{ response.status == 200 }}", "accountId": "{{ input.accountId }}"}}},
    ]:  # fmt: skip
        assert api.post("/api/v1/functions", json=function).status_code == 201

    page.get_by_test_id("validate-button").click()
    expect(page.get_by_test_id("problem-item")).to_have_count(0, timeout=UI_WAIT_MS)
    start_run(page, CUSTOMER)
    expect_run(page, "completed")
    execution = Execution.objects.get(workflow=workflow)
    assert execution.output == {"welcomeEmailSent": True, "accountId": "account_456"}
    assert {step.node_id for step in execution.steps.all()} >= {"initial", "createAccount", "sendWelcomeEmail"}


def test_a_new_user_writes_tests_and_uses_a_function_and_survives_a_bad_one(
    acme, alice, server, page, make_key, http_server  # noqa: F811
):
    log_in(page, server, alice)
    new_code_function(page, server, "orderTotal", TOTAL)
    assert len(TOTAL.splitlines()) == 5
    run_test(page, '{"items": [{"price": 5, "qty": 2}, {"price": 1.5, "qty": 4}]}')
    expect(page.get_by_test_id("test-status")).to_contain_text("Succeeded in", timeout=UI_WAIT_MS)
    expect(page.get_by_test_id("test-status")).to_contain_text(" ms, version 1")
    expect(page.get_by_test_id("test-output")).to_contain_text('"total": 16')
    expect(page.get_by_test_id("test-logs")).to_contain_text("items: 2")

    totals = services.create_workflow(
        acme.default_project, name="Totals",
        definition={"nodes": [node("start", "trigger.manual", position={"x": 0, "y": 0})], "edges": []},
    )  # fmt: skip
    use_from_palette_and_run(page, server, totals)

    _, key = make_key(acme)
    stub = StubLlm(reply_text=json.dumps({"accountId": "account_456"}))
    with running_stub_llm(stub), httpx.Client(base_url=server, headers={"Authorization": f"Bearer {key}"}) as api:
        import_onboarding_and_run(page, server, api, stub.base_url, http_server.url)
    assert json.loads(http_server.received[0]["body"]) == {"to": "account_456"}

    # A function that never returns: its test stops at the time limit and says so ...
    page.goto(f"{server}/functions/new/?kind=code&name=spin")
    write_code(page, SPIN)
    page.get_by_label("Timeout seconds").fill("1")
    page.get_by_test_id("save-function").click()
    run_test(page, "{}")
    expect(page.get_by_test_id("test-status")).to_contain_text("TIMEOUT", timeout=UI_WAIT_MS)
    expect(page.get_by_test_id("test-error")).to_contain_text("ran longer than 1 s")
    expect(page.get_by_test_id("test-result")).to_contain_text("Limits hit: time limit (wall clock)")
    # ... a flow calling it fails with that message, and the next run of the same flow works.
    open_editor(page, server, totals)
    pick_function(page, "call", "spin (code)")
    start_run(page, {"items": []})
    expect_run(page, "failed")
    expect(page.locator(".run-error")).to_contain_text("ran longer than 1 s")
    pick_function(page, "call", "orderTotal (code)")
    page.get_by_test_id("rerun-button").click()
    expect_run(page, "completed")
    assert Execution.objects.filter(workflow=totals).count() == 3
    assert page.console_errors == []
