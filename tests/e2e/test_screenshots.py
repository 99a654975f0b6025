"""The README's screenshots, taken from a seeded server: the editor mid-run and with test data, an
execution, the dashboard.

They always land in test-artifacts/; with FLOWBUILDER_UPDATE_SCREENSHOTS=1 they are also
copied to docs/screenshots/ to be committed.
"""

from __future__ import annotations

import datetime as dt
import os
import shutil
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest
from django.core.management import call_command
from django.utils import timezone
from playwright.sync_api import expect

from tests.e2e.conftest import ARTIFACTS, ROOT, log_in
from tests.pages.conftest import failing_flow
from tests.workflows.conftest import edge, node
from tests.workflows.processes import wait_until
from workflows import services
from workflows.jobs import run_execution
from workflows.models import Execution, Workflow

pytestmark = [pytest.mark.slow, pytest.mark.django_db(transaction=True)]

DOCS = ROOT / "docs" / "screenshots"
HOLD_SECONDS = 20  # the slow endpoint's upper bound; the test releases it sooner


class HeldHandler(BaseHTTPRequestHandler):
    """Answers once the test has its mid-run screenshot, so the run is caught while it runs."""

    def do_POST(self):
        self.rfile.read(int(self.headers.get("Content-Length") or 0))
        self.server.release.wait(HOLD_SECONDS)
        self.send_response(200)
        self.send_header("Content-Type", "application/json")
        self.end_headers()
        self.wfile.write(b'{"ok": true, "crm_id": "C-1042"}')

    def log_message(self, *args):
        pass


@pytest.fixture
def held_endpoint():
    server = ThreadingHTTPServer(("127.0.0.1", 0), HeldHandler)
    server.release = threading.Event()
    threading.Thread(target=server.serve_forever, daemon=True).start()
    yield server
    server.release.set()
    server.shutdown()
    server.server_close()


def crm_flow(url: str) -> dict:
    return {
        "nodes": [
            node("order", "trigger.manual", position={"x": 0, "y": 120}),
            node("big", "logic.if", {"condition": "{{ input.amount > 100 }}"}, position={"x": 300, "y": 120}),
            node(
                "vip",
                "data.set",
                {"fields": {"tier": "vip", "amount": "{{ trigger.amount }}"}},
                position={"x": 600, "y": 0},
            ),
            node("standard", "data.set", {"fields": {"tier": "standard"}}, position={"x": 600, "y": 260}),
            node(
                "crm",
                "http.request",
                {"method": "POST", "url": url, "body": "{{ input }}"},
                position={"x": 900, "y": 0},
            ),
        ],
        "edges": [
            edge("order", "big"),
            edge("big", "vip", "true"),
            edge("big", "standard", "false"),
            edge("vip", "crm"),
        ],
        "notes": [
            {
                "id": "note_1",
                "text": "# VIP orders\nOver **100** go to the CRM; the rest are tagged *standard*.",
                "position": {"x": 900, "y": 190},
                "width": 250,
                "height": 120,
                "color": "yellow",
            }
        ],
    }


def seed_history(project, alice) -> None:
    """Real runs of the samples, spread over the last two weeks so the charts have a shape."""
    call_command("seed_samples", "--org", project.organization.name)
    triage = Workflow.objects.get(project=project, name="Order triage")
    breaker = services.create_workflow(project, name="Invoice check", definition=failing_flow(), actor=alice)
    now = timezone.now()
    for day in range(14):
        for index in range(day % 4 + 1):
            workflow = breaker if (day + index) % 5 == 0 else triage
            execution = services.start_execution(
                workflow, input={"amount": 40 * (index + day), "customer": "Ada"}, version=None
            )
            # The test server's worker may claim the run first; either way, wait for its end.
            run_execution(execution.id)
            wait_until(lambda pk=execution.pk: Execution.objects.get(pk=pk).is_terminal, what="a seeded run")
            shift = dt.timedelta(days=day, minutes=index * 7)
            execution.refresh_from_db()
            Execution.objects.filter(pk=execution.pk).update(
                created_at=now - shift,
                started_at=execution.started_at - shift,
                completed_at=execution.completed_at - shift,
            )


def keep(page, name: str) -> None:
    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / name))
    if os.environ.get("FLOWBUILDER_UPDATE_SCREENSHOTS") == "1":
        DOCS.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(ARTIFACTS / name, DOCS / name)


@pytest.mark.parametrize("viewport", [{"width": 1440, "height": 900}])
def test_the_readme_screenshots(acme, alice, server, page, held_endpoint):
    project = acme.default_project
    seed_history(project, alice)
    url = f"http://127.0.0.1:{held_endpoint.server_address[1]}/crm"
    workflow = services.create_workflow(project, name="VIP orders to the CRM", definition=crm_flow(url), actor=alice)
    log_in(page, server, alice)

    page.goto(f"{server}/workflows/{workflow.id}/edit")
    page.get_by_test_id("run-button").click()
    page.get_by_test_id("run-input").fill('{"amount": 250, "customer": "Ada Lovelace"}')
    page.get_by_test_id("run-start").click()
    expect(page.get_by_test_id("node-crm")).to_have_attribute("data-status", "running")
    expect(page.get_by_test_id("node-vip")).to_have_attribute("data-status", "succeeded")
    page.get_by_test_id("step-row-vip").click()
    keep(page, "editor-running.png")
    held_endpoint.release.set()
    expect(page.get_by_test_id("node-crm")).to_have_attribute("data-status", "succeeded")

    # Test data (D24): the If's output pinned from this run, the value of a setting under its field.
    page.get_by_test_id("node-big").click()
    page.get_by_test_id("pin-from-run").click()
    expect(page.get_by_test_id("node-pin-big")).to_be_visible()
    page.get_by_test_id("node-vip").click()
    expect(page.get_by_test_id("expression-preview").first).to_contain_text("250")
    keep(page, "editor-test-data.png")

    execution = Execution.objects.filter(workflow=workflow).get()
    page.goto(f"{server}/executions/{execution.id}/")
    expect(page.locator(".gantt-bar")).to_have_count(execution.steps.count())
    keep(page, "execution-detail.png")

    page.goto(f"{server}/")
    expect(page.locator("svg.spark").first).to_be_visible()
    expect(page.get_by_role("link", name="VIP orders to the CRM").first).to_be_visible()
    keep(page, "dashboard.png")
