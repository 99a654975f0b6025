"""Error workflows: a failed run starts its workflow's error workflow once (issue 24, item 4).

Whatever ends the run failed (a node, the sweeper's RECOVERY_LIMIT), the error workflow's run
is written in the failure's transaction, so exactly one starts; test runs and the error
workflow's own failures start nothing, so no loop is possible.
"""

from __future__ import annotations

import email
import email.policy
from datetime import timedelta

import pytest
from django.utils import timezone

from flowbuilder.redis import get_queue
from integrations import services as integration_services
from tests.integrations.conftest import TEST_KEY_A
from tests.integrations.test_email import smtp_fields, smtp_server  # noqa: F401 (a fixture)
from tests.pages.conftest import failing_flow
from tests.workflows.conftest import edge, node
from workflows import services
from workflows.journal import OrmJournal
from workflows.models import Execution, ExecutionStatus, Workflow
from workflows.recovery import reap_abandoned_executions
from workflows.templates_catalog import get_template

pytestmark = pytest.mark.django_db


def on_failure_flow(*, fails: bool = False) -> dict:
    """trigger.error → set (→ fail): what an error workflow receives, kept as its output."""
    nodes = [
        node("failed", "trigger.error"),
        node("note", "data.set", {"fields": {"seen": "{{ trigger.execution.id }}"}}),
    ]
    edges = [edge("failed", "note")]
    if fails:
        nodes.append(node("broken", "logic.fail", {"code": "ALSO_BROKEN", "message": "the error flow failed"}))
        edges.append(edge("note", "broken"))
    return {"nodes": nodes, "edges": edges}


@pytest.fixture
def watched(make_workflow):
    """A failing workflow whose error workflow is "On failure"."""
    on_failure = make_workflow(name="On failure", definition=on_failure_flow())
    workflow = make_workflow(name="Nightly import", definition=failing_flow())
    workflow.error_workflow = on_failure
    workflow.save(update_fields=["error_workflow"])
    return workflow, on_failure


def error_runs(workflow: Workflow) -> list[Execution]:
    return list(Execution.objects.filter(workflow=workflow, mode="error"))


def test_a_failed_run_starts_its_error_workflow_once_with_the_failure(
    watched, run_now, django_capture_on_commit_callbacks, client, alice
):
    workflow, on_failure = watched
    failed = services.start_execution(workflow, input={"amount": 500}, version=None, mode="api")
    with django_capture_on_commit_callbacks(execute=True):
        assert run_now(failed.id) == ExecutionStatus.FAILED
    [started] = error_runs(on_failure)
    assert started.trigger_node_id == "failed" and started.version is None  # never published: the draft
    payload = started.input
    assert payload["workflow"] == {"id": workflow.id, "name": "Nightly import"}
    assert payload["execution"]["id"] == failed.id and payload["execution"]["mode"] == "api"
    assert payload["execution"]["url"].endswith(f"/executions/{failed.id}/")
    assert payload["error"] == {"code": "TOO_BIG", "message": "Amount 500 is over the limit", "node_id": "stop"}
    assert payload["node"] == {"id": "stop", "name": "stop", "type": "logic.fail"}
    assert started.id in [job.args[0] for job in get_queue(services.EXECUTION_QUEUE).jobs]

    assert run_now(started.id) == ExecutionStatus.COMPLETED
    assert Execution.objects.get(pk=started.id).output["seen"] == failed.id
    assert len(error_runs(on_failure)) == 1
    client.force_login(alice)
    page = client.get(f"/executions/{started.id}/").content.decode()
    assert f'started by the failure of <a href="/executions/{failed.id}/" data-failed-run>' in page


def test_a_run_failed_by_the_sweeper_starts_the_error_workflow_once(
    watched, settings, django_capture_on_commit_callbacks
):
    settings.FLOWBUILDER_MAX_RECOVERIES = 3
    workflow, on_failure = watched
    stuck = services.start_execution(workflow, input={}, version=None, mode="schedule")
    Execution.objects.filter(pk=stuck.pk).update(
        status=ExecutionStatus.RUNNING,
        lease_owner="dead-worker:1:abc",
        lease_expires_at=timezone.now() - timedelta(seconds=5),
        started_at=timezone.now() - timedelta(minutes=1),
        recovered_count=3,
    )
    for _ in range(3):  # several sweeps (and schedulers) see it: one failure, one error run
        with django_capture_on_commit_callbacks(execute=True):
            reap_abandoned_executions()
    stuck.refresh_from_db()
    assert stuck.status == ExecutionStatus.FAILED and stuck.error["code"] == "RECOVERY_LIMIT"
    [started] = error_runs(on_failure)
    assert started.input["error"]["code"] == "RECOVERY_LIMIT"
    assert started.input["node"] is None and started.input["execution"]["recovered_count"] == 3


def test_a_run_failed_outside_a_node_starts_the_error_workflow_once(
    watched, run_now, monkeypatch, django_capture_on_commit_callbacks
):
    workflow, on_failure = watched

    def broken_journal(self, record):
        raise RuntimeError("the journal broke")

    monkeypatch.setattr(OrmJournal, "step_finished", broken_journal)
    failed = services.start_execution(workflow, input={}, version=None)
    with django_capture_on_commit_callbacks(execute=True):
        assert run_now(failed.id) == ExecutionStatus.FAILED
        assert run_now(failed.id) is None  # a duplicate job finds the run ended: nothing more
    [started] = error_runs(on_failure)
    assert started.input["error"]["code"] == "INTERNAL_ERROR" and started.input["node"] is None


def test_the_error_workflows_own_failure_starts_nothing(make_workflow, run_now, django_capture_on_commit_callbacks):
    loop = make_workflow(name="Loops on itself", definition=on_failure_flow(fails=True))
    loop.error_workflow = loop  # even pointed at itself (only possible by hand: the API refuses it)
    loop.save(update_fields=["error_workflow"])
    watched_flow = make_workflow(name="Watched", definition=failing_flow())
    watched_flow.error_workflow = loop
    watched_flow.save(update_fields=["error_workflow"])

    failed = services.start_execution(watched_flow, input={}, version=None)
    with django_capture_on_commit_callbacks(execute=True):
        run_now(failed.id)
    [started] = error_runs(loop)
    with django_capture_on_commit_callbacks(execute=True):
        assert run_now(started.id) == ExecutionStatus.FAILED
    assert Execution.objects.filter(workflow=loop).count() == 1


def test_completed_cancelled_and_test_runs_start_nothing(watched, make_workflow, run_now, alice):
    workflow, on_failure = watched
    test_run = services.start_execution(workflow, input={}, version=None, mode="test")
    assert run_now(test_run.id) == ExecutionStatus.FAILED
    cancelled = services.start_execution(workflow, input={}, version=None)
    services.cancel_execution(cancelled, actor=alice)
    fine = make_workflow(name="Fine")
    fine.error_workflow = on_failure
    fine.save(update_fields=["error_workflow"])
    assert run_now(services.start_execution(fine, input={}, version=None).id) == ExecutionStatus.COMPLETED
    assert error_runs(on_failure) == []


def test_the_api_sets_shows_and_checks_the_error_workflow(alice_api, make_workflow, charlie_api):
    on_failure = make_workflow(name="On failure", definition=on_failure_flow())
    plain = make_workflow(name="No error trigger")
    workflow = make_workflow(name="Watched", definition=failing_flow())
    url = f"/api/v1/workflows/{workflow.id}"

    answer = alice_api.patch(url, {"error_workflow_id": on_failure.id}, format="json")
    assert answer.status_code == 200, answer.content
    assert alice_api.get(url).json()["data"]["error_workflow_id"] == on_failure.id
    for target, words in (
        (plain.id, "no “Another workflow failed” trigger"),
        (workflow.id, "cannot be its own error workflow"),
        ("wf_nothere", "No workflow wf_nothere in this project"),
    ):
        refused = alice_api.patch(url, {"error_workflow_id": target}, format="json")
        assert refused.status_code == 400, refused.content
        error = refused.json()["error"]
        assert error["code"] == "VALIDATION_ERROR" and error["field"] == "error_workflow_id"
        assert words in error["message"]
    charlie_created = charlie_api.post(
        "/api/v1/workflows", {"name": "Theirs", "definition": failing_flow(), "error_workflow_id": on_failure.id},
        format="json",
    )  # fmt: skip
    assert charlie_created.status_code == 400  # another organization's workflow is not found
    assert alice_api.patch(url, {"error_workflow_id": None}, format="json").json()["data"]["error_workflow_id"] is None


def test_the_failure_email_template_emails_the_failed_run_over_smtp(
    acme, alice, watched, run_now, settings, smtp_server, django_capture_on_commit_callbacks  # noqa: F811
):
    settings.FLOWBUILDER_ENCRYPTION_KEYS = TEST_KEY_A
    settings.FLOWBUILDER_NETWORK_ALLOW_LIST = ["127.0.0.1"]
    inbox, port = smtp_server
    workflow, _ = watched
    smtp = integration_services.create_credential(
        acme.default_project, name="Mail", type="smtp", fields=smtp_fields(port), actor=alice
    )
    definition = get_template("email-on-failure").fresh_definition()
    emailer = next(n for n in definition["nodes"] if n["type"] == "email.send")
    emailer["config"].update(credential=smtp.id, to="ops@acme.test")
    notifier = services.create_workflow(acme.default_project, name="Email me", definition=definition, actor=alice)
    services.publish_workflow(notifier, actor=alice)
    workflow.error_workflow = notifier
    workflow.save(update_fields=["error_workflow"])

    failed = services.start_execution(workflow, input={"amount": 900}, version=None)
    with django_capture_on_commit_callbacks(execute=True):
        run_now(failed.id)
    [started] = error_runs(notifier)
    assert started.version == 1
    assert run_now(started.id) == ExecutionStatus.COMPLETED, Execution.objects.get(pk=started.id).error

    [envelope] = inbox.envelopes
    message = email.message_from_bytes(envelope.content, policy=email.policy.default)
    assert envelope.rcpt_tos == ["ops@acme.test"]
    assert message["Subject"] == "Failed: Nightly import (TOO_BIG)"
    body = message.get_content()
    assert "Step: stop" in body and "Amount 900 is over the limit" in body
    assert f"/executions/{failed.id}/" in body


def test_the_settings_page_offers_only_workflows_with_an_error_trigger(client, alice, make_workflow):
    on_failure = make_workflow(name="On failure", definition=on_failure_flow())
    make_workflow(name="No error trigger")
    workflow = make_workflow(name="Watched", definition=failing_flow())
    client.force_login(alice)
    page = client.get(f"/workflows/{workflow.id}/settings/").content.decode()
    assert "On failure, run" in page and f'value="{on_failure.id}"' in page and "No error trigger" not in page

    saved = client.post(f"/workflows/{workflow.id}/settings/", {"error_workflow": on_failure.id})
    assert saved.status_code == 302
    assert Workflow.objects.get(pk=workflow.pk).error_workflow_id == on_failure.id
    refused = client.post(f"/workflows/{workflow.id}/settings/", {"error_workflow": workflow.id})
    assert refused.status_code == 400 and "cannot be its own error workflow" in refused.content.decode()
    client.post(f"/workflows/{workflow.id}/settings/", {"error_workflow": ""})
    assert Workflow.objects.get(pk=workflow.pk).error_workflow_id is None
