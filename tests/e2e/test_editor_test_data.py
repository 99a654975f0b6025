"""Issue 16, item 8 in a real browser (Chromium at 1280x800): pinned test data, Test step, the
value of an expression under its field, renaming from the editor's header and opening a past
run on the canvas (docs/design.md D24). Each fails on main before this change: none existed."""

from __future__ import annotations

import time

import pytest
from django.db.models import F
from playwright.sync_api import Page, expect

from tests.e2e.conftest import UI_WAIT_MS, log_in
from tests.e2e.test_editor import open_editor, start_run
from tests.workflows.conftest import simple_flow
from tests.workflows.test_editor_test_data import branching_flow
from workflows import services
from workflows.models import Execution, ExecutionStatus, Workflow

pytestmark = [pytest.mark.slow, pytest.mark.django_db(transaction=True)]


def saved(page: Page) -> None:
    expect(page.get_by_test_id("save-status")).to_have_attribute("data-state", "saved", timeout=UI_WAIT_MS)


def select(page: Page, node_id: str) -> None:
    page.get_by_test_id(f"node-{node_id}").click()
    expect(page.get_by_test_id("settings-panel")).to_be_visible()


def draft_of(workflow: Workflow) -> dict:
    workflow.refresh_from_db()
    return workflow.definition


def wait_for(condition, seconds: float = 20) -> None:
    deadline = time.monotonic() + seconds
    while not condition():
        assert time.monotonic() < deadline, "timed out"
        time.sleep(0.2)


def test_pin_preview_test_step_and_unpin(acme, alice, server, page):
    workflow = services.create_workflow(acme.default_project, name="Branches", definition=branching_flow(), actor=alice)
    log_in(page, server, alice)
    open_editor(page, server, workflow)
    start_run(page, {"a": 3})
    expect(page.get_by_test_id("run-panel")).to_have_attribute("data-execution-status", "completed", timeout=UI_WAIT_MS)

    # Pin "shape" from the run on screen: a badge on its card, kept with the draft across a reload.
    select(page, "shape")
    page.get_by_test_id("pin-from-run").click()
    expect(page.get_by_test_id("pin-badge")).to_be_visible()
    expect(page.get_by_test_id("node-pin-shape")).to_be_visible()
    saved(page)
    assert draft_of(workflow)["pinned"] == {"shape": {"output": {"total": 6}, "port": "out"}}
    page.reload()
    expect(page.get_by_test_id("node-pin-shape")).to_be_visible()

    # Type the pinned output instead; a typo is said plainly and changes nothing.
    select(page, "shape")
    page.get_by_test_id("pin-json").click()
    page.get_by_test_id("pin-json-text").fill("{total: 50}")
    page.get_by_test_id("pin-json-save").click()
    expect(page.get_by_role("alert").filter(has_text="not valid JSON")).to_be_visible()
    page.get_by_test_id("pin-json-text").fill('{"total": 50}')
    page.get_by_test_id("pin-json-save").click()
    saved(page)
    assert draft_of(workflow)["pinned"] == {"shape": {"output": {"total": 50}}}

    # The condition's value under its field, from the engine on the pinned data.
    select(page, "check")
    preview = page.get_by_test_id("settings-panel").get_by_test_id("expression-preview")
    expect(preview).to_have_text("= true  · from pinned data")
    page.get_by_test_id("field-condition").fill("{{ input.total + }}")
    expect(preview).to_have_attribute("data-kind", "error")
    page.get_by_test_id("field-condition").fill("{{ input.total > 40 }}")
    expect(preview).to_have_text("= true  · from pinned data")
    saved(page)

    # Test the edited If alone: shape's pin feeds it (the last run's total was 6), nothing after it runs.
    page.get_by_test_id("test-step-button").click()
    expect(page.get_by_test_id("step-row-check")).to_be_visible(timeout=UI_WAIT_MS)
    expect(page.get_by_test_id("run-panel")).to_have_attribute("data-execution-status", "completed", timeout=UI_WAIT_MS)
    tested = Execution.objects.filter(workflow=workflow).order_by("-created_at").first()
    assert tested.mode == "test"
    step = tested.steps.get(step_key="check", status="succeeded")
    assert (step.input, step.output_port) == ({"total": 50}, "true")
    assert not tested.steps.filter(step_key__in=["yes", "no"]).exists()

    select(page, "shape")
    page.get_by_test_id("unpin-button").click()
    expect(page.get_by_test_id("node-pin-shape")).to_have_count(0)
    saved(page)
    assert "pinned" not in draft_of(workflow)
    assert page.console_errors == []


def test_rename_from_the_header_respects_the_revision(acme, alice, server, page):
    workflow = services.create_workflow(acme.default_project, name="Greeter", definition=simple_flow(), actor=alice)
    log_in(page, server, alice)
    open_editor(page, server, workflow)

    page.get_by_test_id("rename-button").click()
    page.get_by_test_id("rename-input").fill("Welcome mail")
    page.get_by_test_id("rename-input").press("Enter")
    expect(page.get_by_test_id("rename-button")).to_have_text("Welcome mail")
    wait_for(lambda: Workflow.objects.get(pk=workflow.pk).name == "Welcome mail")

    # The next autosave builds on the rename's revision: no conflict with ourselves.
    select(page, "greet")
    page.get_by_test_id("node-name").fill("Say hello")
    saved(page)
    expect(page.get_by_test_id("conflict-banner")).to_have_count(0)
    assert draft_of(workflow)["nodes"][1]["name"] == "Say hello"

    # Someone else wrote meanwhile: the rename is refused, not silently applied over them.
    Workflow.objects.filter(pk=workflow.pk).update(revision=F("revision") + 1)
    page.get_by_test_id("rename-button").click()
    page.get_by_test_id("rename-input").fill("Mine")
    page.get_by_test_id("rename-input").press("Enter")
    expect(page.get_by_text("Couldn't rename: this workflow was changed elsewhere")).to_be_visible()
    assert Workflow.objects.get(pk=workflow.pk).name == "Welcome mail"


def test_a_past_run_opens_on_the_canvas_with_its_data(acme, alice, server, page):
    workflow = services.create_workflow(acme.default_project, name="Greeter", definition=simple_flow(), actor=alice)
    execution = services.start_execution(workflow, input={"name": "Ada"}, version=None, mode="manual")
    wait_for(lambda: Execution.objects.get(pk=execution.pk).status == ExecutionStatus.COMPLETED)
    log_in(page, server, alice)

    page.goto(f"{server}/executions/{execution.id}/")
    page.get_by_role("link", name="Open in editor").click()
    expect(page.get_by_test_id("run-panel")).to_have_attribute("data-execution-status", "completed", timeout=UI_WAIT_MS)
    expect(page.get_by_test_id("node-state-greet")).to_contain_text("Succeeded")
    page.get_by_test_id("step-row-greet").click()
    expect(page.get_by_test_id("step-detail")).to_contain_text("Ada")
    assert page.console_errors == []


def test_sticky_notes_are_written_resized_coloured_and_kept(acme, alice, server, page):
    workflow = services.create_workflow(acme.default_project, name="Greeter", definition=simple_flow(), actor=alice)
    log_in(page, server, alice)
    open_editor(page, server, workflow)

    page.get_by_test_id("add-note").click()
    note = page.get_by_test_id("note-note_1")
    expect(note).to_be_visible()
    note.dblclick()
    page.get_by_test_id("note-text-note_1").fill("# Why this flow\n- greets **new** customers")
    page.get_by_test_id("canvas").locator(".react-flow__pane").click(position={"x": 20, "y": 20})
    expect(note.locator("h4")).to_have_text("Why this flow")
    expect(note.locator("li strong")).to_have_text("new")

    note.click()
    page.get_by_test_id("note-color-green").click()
    expect(note).to_have_attribute("data-color", "green")
    before = note.bounding_box()
    handle = page.locator(".react-flow__resize-control.handle.bottom.right")
    box = handle.bounding_box()
    page.mouse.move(box["x"] + box["width"] / 2, box["y"] + box["height"] / 2)
    page.mouse.down()
    page.mouse.move(box["x"] + 120, box["y"] + 60, steps=8)
    page.mouse.up()
    assert note.bounding_box()["width"] > before["width"] + 60
    saved(page)

    [stored] = draft_of(workflow)["notes"]
    assert stored["text"] == "# Why this flow\n- greets **new** customers"
    assert stored["color"] == "green" and stored["width"] > 300
    expect(page.get_by_test_id("problem-item")).to_have_count(0)  # a note is no step: nothing to validate

    page.reload()
    expect(page.get_by_test_id("note-note_1").locator("h4")).to_have_text("Why this flow")
    start_run(page, {"name": "Ada"})
    expect(page.get_by_test_id("run-panel")).to_have_attribute("data-execution-status", "completed", timeout=UI_WAIT_MS)
    assert not Execution.objects.get(workflow=workflow).steps.filter(node_id="note_1").exists()
    assert page.console_errors == []
