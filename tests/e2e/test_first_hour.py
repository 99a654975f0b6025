"""Issue 16: what a new user hit in the first hour, in a real browser.

Each test fails on the main branch before issue 16: the HTTP node's credential picker was
always empty, templates failed on their first Run, validation let broken expressions and
missing forms through, and the form trigger's form was free text.
"""

from __future__ import annotations

import json
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest
from playwright.sync_api import Page, expect

from forms_app import services as form_services
from tests.e2e.conftest import UI_WAIT_MS, log_in
from tests.e2e.test_editor import connect, drop, open_editor
from tests.workflows.conftest import edge, node
from workflows import services
from workflows.models import Execution
from workflows.templates_catalog import TEMPLATES

pytestmark = [pytest.mark.slow, pytest.mark.django_db(transaction=True)]

TOKEN = "tok-first-hour-4242"


class AuthCheckingHandler(BaseHTTPRequestHandler):
    """Answers 200 only to `Authorization: Bearer <TOKEN>`, 401 otherwise."""

    def do_POST(self):
        self.rfile.read(int(self.headers.get("Content-Length") or 0))
        self.server.authorizations.append(self.headers.get("Authorization"))
        ok = self.headers.get("Authorization") == f"Bearer {TOKEN}"
        body = json.dumps({"authorized": ok}).encode()
        self.send_response(200 if ok else 401)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    do_GET = do_POST

    def log_message(self, *args):
        pass


@pytest.fixture
def auth_server():
    server = ThreadingHTTPServer(("127.0.0.1", 0), AuthCheckingHandler)
    server.daemon_threads = True
    server.authorizations = []
    threading.Thread(target=server.serve_forever, daemon=True).start()
    server.url = f"http://127.0.0.1:{server.server_address[1]}/orders"
    yield server
    server.shutdown()
    server.server_close()


def save_bearer_credential(page: Page, server: str, name: str, token: str) -> None:
    page.goto(f"{server}/credentials/new/bearer/")
    page.get_by_label("Name", exact=True).fill(name)
    page.get_by_label("Token").fill(token)
    page.get_by_role("button", name="Save").click()
    expect(page.get_by_role("cell", name=name)).to_be_visible()


def test_the_http_node_picks_a_saved_bearer_credential_and_sends_it(acme, alice, server, page, auth_server):
    log_in(page, server, alice)
    save_bearer_credential(page, server, "Orders API token", TOKEN)
    workflow = services.create_workflow(
        acme.default_project,
        name="Call the orders API",
        definition={"nodes": [node("start", "trigger.manual", position={"x": 0, "y": 0})], "edges": []},
    )
    open_editor(page, server, workflow)

    drop(page, "http.request", 200, 520)
    connect(page, "start", "out", "request")
    page.get_by_test_id("node-request").click()
    page.get_by_test_id("field-method").select_option("POST")
    page.get_by_test_id("field-url").fill(auth_server.url)
    picker = page.get_by_test_id("field-credential")
    expect(picker.get_by_role("option", name="Orders API token")).to_have_count(1)
    picker.select_option(label="Orders API token")
    expect(page.get_by_test_id("problem-item")).to_have_count(0)
    expect(page.get_by_test_id("save-status")).to_have_attribute("data-state", "saved", timeout=UI_WAIT_MS)

    page.get_by_test_id("run-button").click()
    page.get_by_test_id("run-start").click()

    expect(page.get_by_test_id("run-panel")).to_have_attribute("data-execution-status", "completed", timeout=UI_WAIT_MS)
    expect(page.get_by_test_id("node-request")).to_have_attribute("data-status", "succeeded", timeout=UI_WAIT_MS)
    assert auth_server.authorizations == [f"Bearer {TOKEN}"]
    execution = Execution.objects.get(workflow=workflow)
    assert TOKEN not in json.dumps([step.output for step in execution.steps.all()])
    assert page.console_errors == []


@pytest.mark.parametrize("viewport", [{"width": 1280, "height": 900}])
def test_every_template_runs_on_its_first_run_or_lists_what_to_set_up(acme, alice, server, page):
    log_in(page, server, alice)
    for template in TEMPLATES:
        page.goto(f"{server}/workflows/new/")
        page.locator(f'input[name="template"][value="{template.slug}"]').check()
        page.get_by_role("button", name="Create and open the editor").click()
        expect(page.get_by_test_id("canvas")).to_be_visible()
        problems = page.get_by_test_id("problem-item")
        if template.to_fill:
            expect(problems).to_have_count(len(template.to_fill), timeout=UI_WAIT_MS)
            for index in range(len(template.to_fill)):
                expect(problems.nth(index)).to_contain_text("Set up first")
            continue
        expect(page.get_by_test_id("problems-list")).to_contain_text("No problems")
        page.get_by_test_id("run-button").click()
        # The Run dialog starts with the trigger's sample input: nothing to type.
        expect(page.get_by_test_id("run-input")).not_to_have_value("{}")
        page.get_by_test_id("run-start").click()
        expect(page.get_by_test_id("run-panel")).to_have_attribute(
            "data-execution-status", "completed", timeout=UI_WAIT_MS
        )
    assert page.console_errors == []


def test_validation_lists_a_broken_expression_and_a_missing_form_then_the_form_is_picked(acme, alice, server, page):
    form = form_services.create_form(
        acme.default_project,
        name="Contact us",
        fields=[{"key": "full_name", "type": "text", "label": "Full name"}],
    )
    workflow = services.create_workflow(
        acme.default_project,
        name="From the form",
        definition={
            "nodes": [
                node("form", "trigger.form", {"form_id": "form_gone"}, position={"x": 0, "y": 0}),
                node("check", "logic.if", {"condition": "{{ input.amount > }}"}, position={"x": 320, "y": 0}),
            ],
            "edges": [edge("form", "check")],
        },
    )
    log_in(page, server, alice)
    open_editor(page, server, workflow)

    problems = page.get_by_test_id("problem-item")
    expect(problems).to_have_count(2, timeout=UI_WAIT_MS)
    expect(page.locator('[data-testid="problem-item"][data-node-id="check"]')).to_contain_text(
        "syntax error at character 1"
    )
    expect(page.locator('[data-testid="problem-item"][data-node-id="form"]')).to_contain_text("no form “form_gone”")

    page.get_by_test_id("node-form").click()
    page.get_by_test_id("field-form_id").select_option(label="Contact us")
    expect(page.locator('[data-testid="problem-item"][data-node-id="form"]')).to_have_count(0)

    page.get_by_test_id("node-check").click()
    condition = page.get_by_test_id("field-condition")
    condition.fill("{{ trigger.data.")
    expect(page.get_by_test_id("expression-suggestions")).to_contain_text("trigger.data.full_name")
    condition.fill("{{ trigger.data.full_name == 'Ada' }}")
    expect(problems).to_have_count(0, timeout=UI_WAIT_MS)
    expect(page.get_by_test_id("save-status")).to_have_attribute("data-state", "saved", timeout=UI_WAIT_MS)
    workflow.refresh_from_db()
    assert workflow.definition["nodes"][0]["config"]["form_id"] == form.id


def test_form_builder_derives_field_keys_from_labels(acme, alice, server, page):
    form = form_services.create_form(acme.default_project, name="Signup")
    log_in(page, server, alice)
    page.goto(f"{server}/forms/{form.id}/")
    page.get_by_role("button", name="Add field").click()
    expect(page.locator("#fld-0-key")).to_have_value("question_1")
    page.locator("#fld-0-label").fill("Full name")
    expect(page.locator("#fld-0-key")).to_have_value("full_name")
    page.get_by_role("button", name="Add field").click()
    page.locator("#fld-1-label").fill("Full name")
    expect(page.locator("#fld-1-key")).to_have_value("full_name_2")
    page.get_by_role("button", name="Save", exact=True).click()
    expect(page.locator("#builder-status")).to_have_text("Saved.")
    assert list(form.fields.values_list("key", flat=True)) == ["full_name", "full_name_2"]
