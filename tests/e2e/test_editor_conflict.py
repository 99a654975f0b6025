"""Two tabs editing one workflow (issue 15, item 4): the stale tab's autosave is refused, it says
so, and neither version is lost until the builder chooses Reload or Keep mine.

Both tabs are pages of one browser context (one session), against the real daphne server.
"""

from __future__ import annotations

import json

import pytest
from playwright.sync_api import Page, expect

from tests.e2e.conftest import ARTIFACTS, log_in
from tests.e2e.test_editor import open_editor, three_step_flow
from tests.workflows.processes import wait_until
from workflows import services
from workflows.models import Workflow

pytestmark = [pytest.mark.slow, pytest.mark.django_db(transaction=True)]


def set_variables(tab: Page, variables: dict) -> None:
    tab.get_by_test_id("field-variables").fill(json.dumps(variables))


def stored_variables(workflow: Workflow) -> dict:
    return Workflow.objects.get(pk=workflow.pk).definition.get("variables", {})


def wait_for_stored(workflow: Workflow, variables: dict) -> None:
    wait_until(lambda: stored_variables(workflow) == variables, what=f"the server to hold {variables}")


def test_a_stale_tab_is_told_and_both_actions_work(acme, alice, server, page):
    workflow = services.create_workflow(acme.default_project, name="Doubler", definition=three_step_flow())
    first = page
    log_in(first, server, alice)
    second = first.context.new_page()
    second.console_errors = []
    second.on("console", lambda message: message.type == "error" and second.console_errors.append(message.text))
    open_editor(first, server, workflow)
    open_editor(second, server, workflow)

    # The first tab saves; the second still builds on the revision it loaded.
    set_variables(first, {"who": "first"})
    wait_for_stored(workflow, {"who": "first"})
    expect(first.get_by_test_id("save-status")).to_have_attribute("data-state", "saved")
    set_variables(second, {"who": "second"})

    banner = second.get_by_test_id("conflict-banner")
    expect(banner).to_contain_text("This workflow was changed elsewhere")
    expect(second.get_by_test_id("save-status")).to_have_attribute("data-state", "conflict")
    ARTIFACTS.mkdir(exist_ok=True)
    second.screenshot(path=str(ARTIFACTS / "editor_conflict_banner.png"))
    # Neither side's work is gone: the server keeps the first tab's, the second tab still shows its own.
    assert stored_variables(workflow) == {"who": "first"}
    expect(second.get_by_test_id("field-variables")).to_have_value(json.dumps({"who": "second"}))
    expect(first.get_by_test_id("conflict-banner")).to_have_count(0)

    # Keep mine: the second tab overwrites, knowingly, with the revision it was just shown.
    second.get_by_test_id("conflict-keep-mine").click()
    wait_for_stored(workflow, {"who": "second"})
    expect(banner).to_have_count(0)
    expect(second.get_by_test_id("save-status")).to_have_attribute("data-state", "saved")

    # Now the first tab is the stale one; Reload takes the second tab's version.
    set_variables(first, {"who": "first again"})
    expect(first.get_by_test_id("conflict-banner")).to_be_visible()
    assert stored_variables(workflow) == {"who": "second"}
    first.get_by_test_id("conflict-reload").click()
    expect(first.get_by_test_id("conflict-banner")).to_have_count(0)
    expect(first.get_by_test_id("field-variables")).to_have_value(json.dumps({"who": "second"}, indent=2))

    # After Reload the first tab saves normally again, on top of the second tab's version.
    set_variables(first, {"who": "second", "and": "first"})
    wait_for_stored(workflow, {"who": "second", "and": "first"})
    expect(first.get_by_test_id("save-status")).to_have_attribute("data-state", "saved")
    # The browser reports each refused save (412) on the console; nothing else may go wrong.
    for tab in (first, second):
        assert [message for message in tab.console_errors if "412" not in message] == []
