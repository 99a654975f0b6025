"""GraphiQL (`/graphiql/`) loads from the app's own static files and runs a query with the session."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from tests.e2e.conftest import UI_WAIT_MS, log_in
from tests.e2e.test_quality import watch_the_page
from tests.graphql_api.conftest import order_flow
from workflows import services

pytestmark = [pytest.mark.slow, pytest.mark.django_db(transaction=True)]


def test_graphiql_runs_a_query_from_local_assets_only(acme, alice, server, page):
    services.create_workflow(acme.default_project, name="Orders from GraphiQL", definition=order_flow())
    log_in(page, server, alice)
    seen = watch_the_page(page, server)
    page.goto(f"{server}/graphiql/")
    run = page.get_by_role("button", name="Execute query (Ctrl-Enter)")
    expect(run).to_be_visible(timeout=UI_WAIT_MS)
    run.click()
    page.get_by_role("menuitem", name="Workflows").click()  # the sample document holds three operations
    result = page.locator(".graphiql-response")
    expect(result).to_contain_text("Orders from GraphiQL", timeout=UI_WAIT_MS)
    expect(result).to_contain_text('"inputSchema"', timeout=UI_WAIT_MS)
    page.wait_for_load_state("networkidle")
    assert seen == {"foreign": [], "uncaught": []}
    assert page.console_errors == []


def test_graphiql_follows_a_run_through_a_subscription(acme, alice, server, page):
    workflow = services.create_workflow(acme.default_project, name="Followed", definition=order_flow())
    execution = services.start_execution(workflow, input={"amount": 3}, version=None)  # the server's worker runs it
    log_in(page, server, alice)
    seen = watch_the_page(page, server)
    page.goto(f"{server}/graphiql/")
    run = page.get_by_role("button", name="Execute query (Ctrl-Enter)")
    expect(run).to_be_visible(timeout=UI_WAIT_MS)
    variables = f'{{"executionId": "{execution.id}"}}'
    page.evaluate("v => document.querySelector('.graphiql-editor-tool .CodeMirror').CodeMirror.setValue(v)", variables)
    run.click()
    page.get_by_role("menuitem", name="Follow").click()
    # Each event replaces the last in the result pane; the stream ends with the run's end.
    result = page.locator(".graphiql-response")
    expect(result).to_contain_text('"execution.finished"', timeout=UI_WAIT_MS)
    expect(result).to_contain_text('"completed"', timeout=UI_WAIT_MS)
    assert seen == {"foreign": [], "uncaught": []}  # the WebSocket is the app's own host too
