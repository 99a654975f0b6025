"""Executions list and detail pages: filters, the Gantt chart, step data, and the action buttons."""

from __future__ import annotations

import json
import re

from tests.pages.conftest import failing_flow
from tests.workflows.conftest import edge, node
from workflows import services
from workflows.models import ExecutionStatus


def finished_run(workflow, actor, run_now, **input_):
    execution = services.start_execution(workflow, input=input_, version=None, actor=actor)
    run_now(execution.id)
    execution.refresh_from_db()
    return execution


def test_the_list_filters_by_status_and_workflow(alice, make_workflow, page_client_for, run_now):
    good = finished_run(make_workflow("Greeter"), alice, run_now, name="Ada")
    bad = finished_run(make_workflow("Breaker", failing_flow()), alice, run_now, amount=5)
    client = page_client_for(alice)

    failed_only = client.get("/executions/", {"status": "failed"}).content.decode()
    assert bad.id in failed_only and good.id not in failed_only
    one_workflow = client.get("/executions/", {"workflow": good.workflow_id}).content.decode()
    assert good.id in one_workflow and bad.id not in one_workflow
    assert good.id not in client.get("/executions/", {"to": "2000-01-01"}).content.decode()


def test_the_detail_draws_one_gantt_bar_per_step_and_shows_step_data(alice, make_workflow, page_client_for, run_now):
    execution = finished_run(make_workflow("Breaker", failing_flow()), alice, run_now, amount=5)

    page = page_client_for(alice).get(f"/executions/{execution.id}/").content.decode()

    assert page.count('class="gantt-bar') == execution.steps.count() == 3
    assert 'data-node="stop"' in page and "gantt-bar status-failed" in page
    assert "TOO_BIG" in page and "Amount 5 is over the limit" in page
    assert page.count("<summary>Output</summary>") == 3
    assert 'data-live="false"' in page


def test_an_outsider_gets_404_for_another_organizations_execution(
    alice, charlie, make_workflow, page_client_for, run_now
):
    execution = finished_run(make_workflow(), alice, run_now)
    client = page_client_for(charlie)

    assert client.get(f"/executions/{execution.id}/").status_code == 404
    assert client.post(f"/executions/{execution.id}/cancel/").status_code == 404
    assert execution.id not in client.get("/executions/").content.decode()


def test_retry_puts_a_failed_run_back_on_the_queue(alice, make_workflow, page_client_for, run_now):
    execution = finished_run(make_workflow("Breaker", failing_flow()), alice, run_now, amount=5)
    client = page_client_for(alice)
    assert 'data-action="retry"' in client.get(f"/executions/{execution.id}/").content.decode()

    response = client.post(f"/executions/{execution.id}/retry/")

    assert response.status_code == 302 and response.url == f"/executions/{execution.id}/"
    execution.refresh_from_db()
    assert execution.status == ExecutionStatus.PENDING


def test_cancel_ends_a_run_that_has_not_started(alice, make_workflow, page_client_for):
    execution = services.start_execution(make_workflow(), input={}, version=None, actor=alice)
    client = page_client_for(alice)
    page = client.get(f"/executions/{execution.id}/").content.decode()
    assert 'data-action="cancel"' in page and 'data-live="true"' in page

    client.post(f"/executions/{execution.id}/cancel/")

    execution.refresh_from_db()
    assert execution.status == ExecutionStatus.CANCELLED
    assert "already ended" in client.post(f"/executions/{execution.id}/cancel/", follow=True).content.decode()


def test_resume_feeds_a_waiting_run(alice, make_workflow, page_client_for, run_now):
    flow = {
        "nodes": [node("start", "trigger.manual"), node("approval", "logic.wait_for_event", {"event": "approval"})],
        "edges": [edge("start", "approval")],
    }
    execution = finished_run(make_workflow("Approve", flow), alice, run_now)
    assert execution.status == ExecutionStatus.WAITING
    client = page_client_for(alice)
    assert 'data-action="resume"' in client.get(f"/executions/{execution.id}/").content.decode()

    client.post(f"/executions/{execution.id}/resume/", {"payload": json.dumps({"approved": True})})

    execution.refresh_from_db()
    assert execution.status == ExecutionStatus.PENDING


def test_a_viewer_sees_no_action_buttons_and_cannot_post_them(
    alice, bob_viewer, make_workflow, page_client_for, run_now
):
    execution = finished_run(make_workflow("Breaker", failing_flow()), alice, run_now, amount=5)
    client = page_client_for(bob_viewer)

    assert "data-action" not in client.get(f"/executions/{execution.id}/").content.decode()
    assert client.post(f"/executions/{execution.id}/retry/").status_code == 403
    execution.refresh_from_db()
    assert execution.status == ExecutionStatus.FAILED


def test_the_status_poll_answers_what_the_page_compares(alice, make_workflow, page_client_for, run_now):
    execution = finished_run(make_workflow(), alice, run_now)

    state = page_client_for(alice).get(f"/executions/{execution.id}/status.json").json()

    assert state == {"status": "completed", "terminal": True, "signature": "completed:2:succeeded,succeeded"}


def test_a_large_run_shows_its_first_steps_and_a_button_that_loads_the_rest(
    alice, alice_api, make_workflow, page_client_for, run_now, settings
):
    """Issue 25: the page renders a page of steps, like the API, not all 500 of a big run."""
    from tests.workflows.test_event_log import long_chain

    settings.FLOWBUILDER_INLINE_STEPS = 5
    execution = finished_run(make_workflow("Long", long_chain(12)), alice, run_now)
    assert execution.steps.count() == 13

    page = page_client_for(alice).get(f"/executions/{execution.id}/").content.decode()

    assert page.count('<li class="step status-') == 5
    assert page.count('class="gantt-bar') == 5
    assert "13 steps over" in page and "(the first 5 shown)" in page
    assert 'data-testid="load-more-steps"' in page and "<span data-remaining>8</span>" in page
    assert "js/execution-steps.js" in page
    cursor = re.search(r'data-cursor="([^"]+)"', page).group(1)
    rest = alice_api.get(f"/api/v1/executions/{execution.id}/steps", {"cursor": cursor, "limit": 100}).json()
    assert [step["node_id"] for step in rest["data"]] == [f"s{index:03d}" for index in range(5, 13)]


def test_a_small_run_has_no_load_more_button(alice, make_workflow, page_client_for, run_now):
    execution = finished_run(make_workflow("Breaker", failing_flow()), alice, run_now, amount=5)

    page = page_client_for(alice).get(f"/executions/{execution.id}/").content.decode()

    assert "load-more-steps" not in page and "execution-steps.js" not in page


def test_large_step_values_show_a_preview_and_a_link_to_the_whole_value(
    alice, make_workflow, page_client_for, run_now, settings
):
    settings.FLOWBUILDER_INLINE_VALUE_BYTES = 100
    long_text = "lorem ipsum " * 100
    definition = {
        "nodes": [node("start", "trigger.manual"), node("big", "data.set", {"fields": {"text": long_text}})],
        "edges": [edge("start", "big")],
    }
    execution = finished_run(make_workflow("Big values", definition), alice, run_now)

    page = page_client_for(alice).get(f"/executions/{execution.id}/").content.decode()

    assert long_text not in page
    assert "Shortened:" in page
    assert f"/api/v1/executions/{execution.id}/steps?step_key=big&amp;attempt=1&amp;full=true" in page


def test_a_result_with_columns_and_rows_shows_its_sentence_and_a_table(alice, make_workflow, page_client_for, run_now):
    fields = {
        "answer": "Ada ordered most.",
        "columns": [{"name": "name", "type": "text"}, {"name": "orders", "type": "int8"}],
        "rows": [{"name": "Ada", "orders": 2}, {"name": "<b>Grace</b>", "orders": None}],
    }
    flow = {
        "nodes": [node("start", "trigger.manual"), node("answer", "data.set", {"fields": fields})],
        "edges": [edge("start", "answer")],
    }
    execution = finished_run(make_workflow("Ask", flow), alice, run_now)
    assert execution.status == "completed", execution.error

    page = page_client_for(alice).get(f"/executions/{execution.id}/").content.decode()

    assert "<strong>Ada ordered most.</strong>" in page
    assert '<th scope="col">name</th><th scope="col">orders</th>' in page
    assert "<tr><td>Ada</td><td>2</td></tr>" in page
    assert "<td>&lt;b&gt;Grace&lt;/b&gt;</td><td></td>" in page  # escaped; null is empty
