"""Issue 16, second slice, in a real browser (Chromium at 1280x800): one status vocabulary, editor
test runs counted apart, rename/duplicate/delete from the pages, a copy button for a new API key,
and the editor's item 7 (Resume only while waiting, no insert on a palette click, a minimap that
stays off the nodes, a Fit that keeps text readable). Each fails on main before this slice."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import Page, expect

from tests.e2e.conftest import UI_WAIT_MS, log_in
from tests.e2e.test_editor import open_editor, start_run
from tests.workflows.conftest import edge, node, simple_flow
from workflows import services
from workflows.models import Execution, Workflow

pytestmark = [pytest.mark.slow, pytest.mark.django_db(transaction=True)]


def viewport_scale(page: Page) -> float:
    transform = page.locator(".react-flow__viewport").evaluate("el => el.style.transform")
    return float(re.search(r"scale\(([\d.]+)\)", transform).group(1))


def test_the_header_says_published_v2_and_an_editor_run_is_a_test_run(acme, alice, server, page):
    workflow = services.create_workflow(acme.default_project, name="Greeter", definition=simple_flow(), actor=alice)
    services.publish_workflow(workflow, actor=alice)
    services.publish_workflow(workflow, actor=alice)
    log_in(page, server, alice)

    open_editor(page, server, workflow)
    expect(page.get_by_test_id("workflow-status")).to_have_text("Published v2")
    expect(page.get_by_text("v2 published")).to_have_count(0)

    start_run(page, {"name": "Ada"})
    expect(page.get_by_test_id("run-panel")).to_have_attribute("data-execution-status", "completed", timeout=UI_WAIT_MS)
    assert Execution.objects.get(workflow=workflow).mode == "test"

    page.goto(f"{server}/")
    expect(page.locator('[data-kpi="test_runs"]')).to_have_text("1")
    expect(page.locator(".kpi", has_text="Runs, 14 days").locator("strong")).to_have_text("0")
    expect(page.locator('[data-workflow-status="published"]')).to_have_text("Published v2")
    assert page.console_errors == []


def test_rename_duplicate_and_delete_from_the_list_then_copy_a_new_api_key(acme, alice, server, page):
    services.create_workflow(acme.default_project, name="Greeter", definition=simple_flow(), actor=alice)
    log_in(page, server, alice)
    page.goto(f"{server}/workflows/")

    page.get_by_role("link", name="Rename Greeter").click()
    page.get_by_label("Name", exact=True).fill("Welcome")
    page.get_by_role("button", name="Rename").click()
    expect(page.get_by_role("link", name="Welcome", exact=True)).to_be_visible()

    page.get_by_role("button", name="Duplicate Welcome").click()
    expect(page.get_by_role("link", name="Welcome (copy)", exact=True)).to_be_visible()

    page.get_by_role("link", name="Delete Welcome (copy)").click()
    expect(page.get_by_role("heading", name="Delete “Welcome (copy)”?")).to_be_visible()
    assert Workflow.objects.filter(name="Welcome (copy)").exists()  # nothing goes before the confirmation
    page.get_by_role("button", name="Delete workflow").click()
    expect(page.get_by_text("“Welcome (copy)” deleted.")).to_be_visible()
    assert list(Workflow.objects.values_list("name", flat=True)) == ["Welcome"]

    page.context.grant_permissions(["clipboard-read", "clipboard-write"], origin=server)
    page.goto(f"{server}/settings/api-keys/")
    page.get_by_label("Name", exact=True).fill("CRM sync")
    page.get_by_role("button", name="Create key").click()
    key = page.locator("#new-key").inner_text().strip()
    page.get_by_role("button", name="Copy").click()
    expect(page.get_by_role("button", name="Copied")).to_be_visible()
    assert page.evaluate("navigator.clipboard.readText()") == key
    assert page.console_errors == []


def long_flow(count: int = 14) -> dict:
    """A manual trigger and a row of set nodes, wider than the canvas at a readable zoom."""
    nodes = [node("start", "trigger.manual", position={"x": 0, "y": 0})]
    nodes += [
        node(f"s{i}", "data.set", {"fields": {"n": str(i)}}, position={"x": 300 * i, "y": 0}) for i in range(1, count)
    ]
    edges = [edge("start", "s1")] + [edge(f"s{i}", f"s{i + 1}") for i in range(1, count - 1)]
    return {"nodes": nodes, "edges": edges}


def test_palette_minimap_and_fit_at_1280x800(acme, alice, server, page):
    workflow = services.create_workflow(acme.default_project, name="Long", definition=long_flow(), actor=alice)
    log_in(page, server, alice)
    open_editor(page, server, workflow)
    nodes = page.locator(".react-flow__node")
    expect(nodes).to_have_count(14)

    page.get_by_test_id("palette-item-data.set").click()
    expect(page.get_by_test_id("save-status")).to_have_attribute("data-state", "saved")
    expect(nodes).to_have_count(14)  # a click on a card selects nothing and inserts nothing
    page.get_by_test_id("palette-item-data.set").hover()
    page.get_by_test_id("palette-add-data.set").click()
    expect(nodes).to_have_count(15)

    expect(page.locator(".react-flow__minimap")).to_have_count(0)  # off the nodes at 1280 wide
    page.get_by_test_id("minimap-toggle").click()
    box = page.locator(".react-flow__minimap").bounding_box()
    assert box["width"] <= 124 and box["height"] <= 84

    page.get_by_role("button", name="Fit", exact=True).click()
    expect(page.locator(".react-flow__viewport")).to_have_attribute("style", re.compile(r"scale\(0\.75\)"))
    assert viewport_scale(page) >= 0.75
    assert page.console_errors == []


def approval_flow() -> dict:
    return {
        "nodes": [
            node("start", "trigger.manual", position={"x": 0, "y": 0}),
            node(
                "approval", "logic.wait_for_event", {"event": "approval", "timeout_seconds": 86400},
                position={"x": 320, "y": 0},
            ),
        ],
        "edges": [edge("start", "approval")],
    }


def test_the_resume_box_goes_once_the_run_stops_waiting(acme, alice, server, page):
    workflow = services.create_workflow(acme.default_project, name="Approval", definition=approval_flow(), actor=alice)
    log_in(page, server, alice)
    open_editor(page, server, workflow)

    start_run(page, {})
    panel = page.get_by_test_id("run-panel")
    expect(panel).to_have_attribute("data-execution-status", "waiting", timeout=UI_WAIT_MS)
    expect(page.get_by_test_id("resume-button")).to_be_visible()

    panel.get_by_role("button", name="Cancel").click()
    expect(panel).to_have_attribute("data-execution-status", "cancelled", timeout=UI_WAIT_MS)
    expect(page.get_by_test_id("resume-button")).to_have_count(0)
    assert page.console_errors == []
