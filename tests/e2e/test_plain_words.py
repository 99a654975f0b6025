"""Plain words and the expressions cheat-sheet in the editor (issue 16, items 5 and 6)."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from tests.e2e.conftest import UI_WAIT_MS, log_in
from tests.workflows.conftest import edge, node
from workflows import services

pytestmark = [pytest.mark.slow, pytest.mark.django_db(transaction=True)]


def half_built_flow() -> dict:
    """manual → an If with no condition yet (the problem) → a Set whose text uses an expression."""
    return {
        "nodes": [
            node("manual", "trigger.manual", position={"x": 0, "y": 0}),
            node("check", "logic.if", {}, name="Big order?", position={"x": 320, "y": 0}),
            node("note", "data.set", {"fields": {"text": "Flag: {{ input.flag }}"}}, position={"x": 640, "y": 0}),
        ],
        "edges": [edge("manual", "check"), edge("check", "note", "true")],
    }


def test_a_problem_reads_in_plain_words_and_the_cheat_sheet_opens_from_an_expression(acme, alice, server, page):
    workflow = services.create_workflow(acme.default_project, name="Half built", definition=half_built_flow())
    log_in(page, server, alice)
    page.goto(f"{server}/workflows/{workflow.id}/edit")
    expect(page.get_by_test_id("canvas")).to_be_visible(timeout=UI_WAIT_MS)

    page.get_by_test_id("validate-button").click()
    problem = page.get_by_test_id("problem-item").first
    # was: "{} is not valid under any of the given schemas" beside "nodes[1].config"
    expect(problem).to_contain_text("Big order? · Settings", timeout=UI_WAIT_MS)
    expect(problem).to_contain_text("Fill in either Condition, or Left and Operator", timeout=UI_WAIT_MS)
    expect(page.get_by_test_id("problems-list")).not_to_contain_text("nodes[1]")
    expect(page.get_by_test_id("problems-list")).not_to_contain_text("not valid under")

    problem.click()
    panel = page.get_by_test_id("settings-panel")
    expect(panel).to_be_visible(timeout=UI_WAIT_MS)
    expect(panel.get_by_test_id("alternatives-hint")).to_have_text(
        "Fill in either Condition, or Left and Operator.", timeout=UI_WAIT_MS
    )
    expect(panel).not_to_contain_text("(one of)")
    operators = panel.get_by_test_id("field-operator")
    expect(operators.locator("option", has_text="is greater than or equal to")).to_have_count(1, timeout=UI_WAIT_MS)
    # The node's description renders its Markdown: `true` is code, not backticks.
    expect(panel.locator(".type-description code", has_text="true")).to_be_visible(timeout=UI_WAIT_MS)
    expect(panel.locator(".type-description")).not_to_contain_text("`")

    panel.get_by_role("button", name="Expressions help").first.click()
    help_dialog = page.get_by_test_id("expression-help")
    expect(help_dialog).to_be_visible(timeout=UI_WAIT_MS)
    expect(help_dialog).to_contain_text("{{ $json.x }} → {{ input.x }}", timeout=UI_WAIT_MS)
    expect(help_dialog).to_contain_text("format_date", timeout=UI_WAIT_MS)
    help_dialog.get_by_label("Search the expressions help").fill("default")
    expect(help_dialog.get_by_test_id("cheat-n8n")).to_contain_text("input.x | default('none')", timeout=UI_WAIT_MS)
    page.keyboard.press("Escape")
    expect(help_dialog).to_be_hidden(timeout=UI_WAIT_MS)
