"""The editor in a real browser: build a flow by drag and drop, run it live, publish, read only.

Issue 7's scenarios, each against a real daphne + rqworker pair (see conftest.py).
"""

from __future__ import annotations

import json

import pytest
from playwright.sync_api import Page, expect

from tests.e2e.conftest import log_in
from tests.pages.conftest import failing_flow
from tests.workflows.conftest import edge, node
from workflows import services
from workflows.models import Workflow

pytestmark = [pytest.mark.slow, pytest.mark.django_db(transaction=True)]


def three_step_flow() -> dict:
    """manual → if → set, as the builder test draws it."""
    return {
        "nodes": [
            node("manual", "trigger.manual", position={"x": 0, "y": 0}),
            node("if", "logic.if", {"condition": "{{ input.amount > 100 }}"}, position={"x": 320, "y": 0}),
            node("set", "data.set", {"fields": {"double": "{{ trigger.amount * 2 }}"}}, position={"x": 640, "y": 0}),
        ],
        "edges": [edge("manual", "if"), edge("if", "set", "true")],
    }


def drop(page: Page, node_type: str, x: int, y: int) -> None:
    page.get_by_test_id(f"palette-item-{node_type}").drag_to(
        page.get_by_test_id("canvas"), target_position={"x": x, "y": y}
    )


def connect(page: Page, source: str, port: str, target: str) -> None:
    handle = page.locator(f'[data-testid="node-{source}"] .react-flow__handle.source[data-handleid="{port}"]')
    handle.drag_to(page.locator(f'[data-testid="node-{target}"] .react-flow__handle.target'))


def open_editor(page: Page, server: str, workflow: Workflow) -> None:
    page.goto(f"{server}/workflows/{workflow.id}/edit")
    expect(page.get_by_test_id("canvas")).to_be_visible()


def start_run(page: Page, run_input: dict) -> None:
    page.get_by_test_id("run-button").click()
    page.get_by_test_id("run-input").fill(json.dumps(run_input))
    page.get_by_test_id("run-start").click()


@pytest.mark.parametrize("viewport", [{"width": 1920, "height": 1080}])
def test_a_builder_draws_a_flow_that_survives_a_reload(acme, alice, server, page):
    log_in(page, server, alice)
    page.goto(f"{server}/workflows/new/")
    page.get_by_label("Name", exact=True).fill("Drawn by hand")
    page.get_by_role("button", name="Create and open the editor").click()
    expect(page.get_by_test_id("canvas")).to_be_visible()

    drop(page, "trigger.manual", 150, 300)
    drop(page, "logic.if", 500, 300)
    drop(page, "data.set", 850, 300)
    # An `if` without a condition is a problem the validator reports, with its node.
    expect(page.get_by_test_id("problem-item").first).to_be_visible()
    expect(page.get_by_test_id("node-problems-if")).to_be_visible()

    connect(page, "manual", "out", "if")
    connect(page, "if", "true", "set")
    expect(page.locator(".react-flow__edge")).to_have_count(2)
    page.get_by_test_id("node-if").click()
    page.get_by_test_id("field-condition").fill("{{ input.amount > 100 }}")
    page.get_by_test_id("node-set").click()
    fields = page.get_by_test_id("field-fields")
    fields.get_by_role("button", name="+ Add entry").click()
    page.get_by_label("fields key 1").fill("double")
    page.get_by_label("fields value 1").fill("{{ trigger.amount * 2 }}")

    expect(page.get_by_test_id("problem-item")).to_have_count(0)
    expect(page.get_by_test_id("save-status")).to_have_attribute("data-state", "saved")
    saved = Workflow.objects.get(project=acme.default_project, name="Drawn by hand").definition
    assert [(e["source"], e["source_port"], e["target"]) for e in saved["edges"]] == [
        ("manual", "out", "if"),
        ("if", "true", "set"),
    ]

    page.reload()
    for node_id in ("manual", "if", "set"):
        expect(page.get_by_test_id(f"node-{node_id}")).to_be_visible()
    expect(page.locator(".react-flow__edge")).to_have_count(2)
    page.get_by_test_id("node-if").click()
    expect(page.get_by_test_id("field-condition")).to_have_value("{{ input.amount > 100 }}")
    expect(page.get_by_test_id("problem-item")).to_have_count(0)
    after_reload = Workflow.objects.get(project=acme.default_project, name="Drawn by hand").definition
    assert after_reload["nodes"] == saved["nodes"] and after_reload["edges"] == saved["edges"]


def test_a_run_lights_up_every_node_live_and_shows_step_output(acme, alice, server, page):
    workflow = services.create_workflow(acme.default_project, name="Doubler", definition=three_step_flow())
    log_in(page, server, alice)
    open_editor(page, server, workflow)

    start_run(page, {"amount": 250})

    for node_id in ("manual", "if", "set"):
        expect(page.get_by_test_id(f"node-{node_id}")).to_have_attribute("data-status", "succeeded")
    expect(page.get_by_test_id("run-panel")).to_have_attribute("data-execution-status", "completed")
    page.get_by_test_id("step-row-set").click()
    expect(page.get_by_test_id("step-detail")).to_contain_text("500")
    assert page.console_errors == []


def test_a_failing_node_shows_failed_with_its_error(acme, alice, server, page):
    workflow = services.create_workflow(acme.default_project, name="Breaker", definition=failing_flow())
    log_in(page, server, alice)
    open_editor(page, server, workflow)

    start_run(page, {"amount": 5})

    expect(page.get_by_test_id("node-stop")).to_have_attribute("data-status", "failed")
    expect(page.get_by_test_id("node-prepare")).to_have_attribute("data-status", "succeeded")
    expect(page.get_by_test_id("run-panel")).to_have_attribute("data-execution-status", "failed")
    expect(page.get_by_test_id("run-panel").get_by_role("alert")).to_contain_text("Amount 5 is over the limit")
    page.get_by_test_id("step-row-stop").click()
    expect(page.get_by_test_id("step-detail")).to_contain_text("TOO_BIG")


def test_publishing_adds_the_new_version_to_the_history(acme, alice, server, page):
    workflow = services.create_workflow(acme.default_project, name="Doubler", definition=three_step_flow())
    log_in(page, server, alice)
    open_editor(page, server, workflow)

    page.get_by_test_id("publish-button").click()
    page.get_by_test_id("publish-note").fill("First release")
    page.get_by_test_id("publish-confirm").click()
    expect(page.get_by_test_id("publish-confirm")).to_have_count(0)
    page.get_by_test_id("versions-button").click()

    version = page.locator('[data-testid="version-item"][data-version="1"]')
    expect(version).to_contain_text("First release")
    workflow.refresh_from_db()
    assert workflow.published_version == 1


def test_a_viewer_sees_no_edit_controls(acme, alice, bob_viewer, server, page):
    workflow = services.create_workflow(acme.default_project, name="Doubler", definition=three_step_flow())
    log_in(page, server, bob_viewer)
    open_editor(page, server, workflow)

    expect(page.get_by_test_id("node-set")).to_be_visible()
    expect(page.locator("#editor-root")).to_have_attribute("data-can-edit", "false")
    for control in ("run-button", "publish-button", "activate-button", "palette"):
        expect(page.get_by_test_id(control)).to_have_count(0)
    page.get_by_test_id("node-if").click()
    expect(page.get_by_test_id("field-condition")).not_to_be_editable()
