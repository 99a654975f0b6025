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

from tests.e2e.conftest import log_in
from tests.e2e.test_editor import connect, drop, open_editor
from tests.workflows.conftest import node
from workflows import services
from workflows.models import Execution

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
    page.get_by_label("Name").fill(name)
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
    expect(page.get_by_test_id("save-status")).to_have_attribute("data-state", "saved")

    page.get_by_test_id("run-button").click()
    page.get_by_test_id("run-start").click()

    expect(page.get_by_test_id("run-panel")).to_have_attribute("data-execution-status", "completed")
    expect(page.get_by_test_id("node-request")).to_have_attribute("data-status", "succeeded")
    assert auth_server.authorizations == [f"Bearer {TOKEN}"]
    execution = Execution.objects.get(workflow=workflow)
    assert TOKEN not in json.dumps([step.output for step in execution.steps.all()])
    assert page.console_errors == []
