"""Issue 16 (items on status and test runs): one status vocabulary on the pages, and the editor's
test runs counted apart from production runs in the dashboard and usage. Each fails on main
before this change: the pages said "draft"/"inactive" with a separate "v2" column, and a test
run from the editor counted in the success rate, the executions and the API calls."""

from __future__ import annotations

import re

from accounts.models import UsageCounter
from accounts.usage import flush_usage
from workflows import services
from workflows.models import ExecutionStatus


def test_every_page_says_draft_published_or_active(alice, make_workflow, page_client_for):
    make_workflow("Never published")
    published = make_workflow("Published once")
    services.publish_workflow(published, actor=alice)
    services.publish_workflow(published, actor=alice)
    live = make_workflow("Live one")
    services.set_workflow_active(live, True, actor=alice)
    client = page_client_for(alice)

    for url in ("/", "/workflows/"):
        page = client.get(url).content.decode()
        assert re.search(r'data-workflow-status="draft">Draft</span>', page), url
        assert re.search(r'data-workflow-status="published">Published v2</span>', page), url
        assert re.search(r'title="Triggers run v1" data-workflow-status="active">Active</span>', page), url
        assert "inactive" not in page.lower().replace('value="inactive"', ""), url


def test_the_list_filters_by_the_same_words(alice, make_workflow, page_client_for):
    make_workflow("Never published")
    published = make_workflow("Published once")
    services.publish_workflow(published, actor=alice)
    client = page_client_for(alice)

    assert '<option value="published">Published</option>' in client.get("/workflows/").content.decode()
    drafts = client.get("/workflows/", {"status": "draft"}).content.decode()
    assert "Never published" in drafts and "Published once" not in drafts
    frozen = client.get("/workflows/", {"status": "published"}).content.decode()
    assert "Published once" in frozen and "Never published" not in frozen


def test_an_editor_test_run_has_mode_test_and_stays_out_of_the_dashboard_and_usage(
    acme, alice, make_workflow, page_client_for, session_client_for, run_now, django_capture_on_commit_callbacks
):
    workflow = make_workflow("Greeter")
    session = session_client_for(alice)
    session.get("/")  # a page sets the CSRF cookie, as in the browser
    session.get("/api/v1/projects")  # the editor's own calls: a session, no API key
    csrf = session.cookies["csrftoken"].value
    started = session.post(
        f"/api/v1/workflows/{workflow.id}/execute",
        {"input": {"name": "Ada"}, "version": "draft", "test": True},
        format="json",
        HTTP_X_CSRFTOKEN=csrf,
    )
    assert started.status_code in (200, 202), started.content
    execution = workflow.executions.get()
    assert execution.mode == "test"
    with django_capture_on_commit_callbacks(execute=True):
        run_now(execution.id)
    execution.refresh_from_db()
    assert execution.status == ExecutionStatus.COMPLETED

    page = page_client_for(alice).get("/").content.decode()
    assert re.search(r"Runs, 14 days</span><strong>0</strong>", page)
    assert re.search(r"Success rate</span><strong>—</strong>", page)
    assert '<span data-kpi="test_runs">1</span> test runs' in page
    flush_usage(acme.id)  # usage is counted in Redis and written in batches
    counter = UsageCounter.objects.get(organization=acme)
    assert (counter.executions, counter.test_executions) == (0, 1)
    assert counter.api_calls == 0 and counter.editor_calls >= 2

    usage = page_client_for(alice).get("/usage/").content.decode()
    assert '<strong data-usage="executions">0</strong>' in usage
    assert '<span data-usage="test_executions">1</span> test runs' in usage


def test_a_run_without_test_is_still_manual_or_api(alice_api, make_workflow):
    workflow = make_workflow("Greeter")
    answer = alice_api.post(f"/api/v1/workflows/{workflow.id}/execute", {"input": {}}, format="json")
    assert answer.status_code in (200, 202), answer.content
    assert workflow.executions.get().mode == "api"
    bad = alice_api.post(f"/api/v1/workflows/{workflow.id}/execute", {"test": "maybe"}, format="json")
    assert bad.status_code == 400 and bad.json()["error"]["code"] == "VALIDATION_ERROR"
