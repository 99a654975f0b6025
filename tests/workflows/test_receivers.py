"""The signal wiring: form submissions start workflows; publishes and finished runs go out as signed events."""

from __future__ import annotations

import json

import pytest
from standardwebhooks import Webhook

from forms_app import services as form_services
from tests.webhooks import conftest as outbound
from tests.workflows.conftest import edge, node
from tests.workflows.processes import start_worker, wait_until
from webhooks.models import Delivery, EventType
from workflows import services
from workflows.models import Execution, ExecutionStatus

# The outbound tests' loopback receiver, subscription factory and in-process webhook worker.
receiver = outbound.receiver
make_subscription = outbound.make_subscription
run_worker = outbound.run_worker
webhook_queue = outbound.webhook_queue
loopback_allowed = outbound.loopback_allowed

FIELDS = [{"key": "email", "type": "email", "label": "Email", "required": True}]


def form_flow(form_id: str, *, fail: bool = False) -> dict:
    last = node("stop", "logic.fail", {"code": "BOUNCED"}) if fail else node("stop", "logic.succeed")
    return {
        "nodes": [
            node("on_form", "trigger.form", {"form_id": form_id}),
            node("greet", "data.set", {"fields": {"hello": "{{ trigger.data.email }}"}}),
            last,
        ],
        "edges": [edge("on_form", "greet"), edge("greet", "stop")],
    }


def active_workflow(project, actor, name: str, definition: dict):
    workflow = services.create_workflow(project, name=name, definition=definition, actor=actor)
    return services.set_workflow_active(workflow, True, actor=actor)


@pytest.fixture
def signup_form(acme):
    return form_services.create_form(acme.default_project, name="Sign up", fields=FIELDS)


@pytest.mark.django_db
def test_a_submission_starts_only_the_active_workflows_linked_to_its_form(
    acme, alice, alice_api, signup_form, run_now, django_capture_on_commit_callbacks
):
    other_form = form_services.create_form(acme.default_project, name="Other", fields=FIELDS)
    linked = active_workflow(acme.default_project, alice, "Linked", form_flow(signup_form.id))
    by_slug = active_workflow(acme.default_project, alice, "By slug", form_flow(signup_form.slug))
    elsewhere = active_workflow(acme.default_project, alice, "Elsewhere", form_flow(other_form.id))
    switched_off = active_workflow(acme.default_project, alice, "Off", form_flow(signup_form.id))
    services.set_workflow_active(switched_off, False, actor=alice)

    with django_capture_on_commit_callbacks(execute=True):
        submission = form_services.submit_form(signup_form, {"email": "ada@example.com"}, source="api")

    started = {execution.workflow_id: execution for execution in Execution.objects.all()}
    assert set(started) == {linked.id, by_slug.id}
    execution = started[linked.id]
    assert (execution.mode, execution.trigger_node_id, execution.version) == ("form", "on_form", 1)
    assert execution.input == {
        "form_id": signup_form.id,
        "submission_id": submission.id,
        "data": {"email": "ada@example.com"},
        "submitted_at": submission.created_at.isoformat(),
    }
    run_now(execution.id)
    listed = alice_api.get(f"/api/v1/workflows/{linked.id}/executions").json()["data"]
    assert [(item["id"], item["status"]) for item in listed] == [(execution.id, "completed")]
    assert not Execution.objects.filter(workflow__in=[elsewhere, switched_off]).exists()


def deliveries_of(event_type: str) -> list[Delivery]:
    return list(Delivery.objects.filter(event_type=event_type))


def verified_events(receiver, secret: str) -> dict[str, list[dict]]:
    """Every request the receiver got, checked with the Standard Webhooks library, by event type."""
    events: dict[str, list[dict]] = {}
    for request in receiver.requests:
        Webhook(secret).verify(request.body, request.headers)
        body = json.loads(request.body)
        assert request.headers["X-WorkFlows-Event"] == body["type"]
        events.setdefault(body["type"], []).append(body["data"])
    return events


@pytest.mark.django_db(transaction=True)
@pytest.mark.parametrize("fail", [False, True], ids=["completed", "failed"])
def test_a_form_run_on_a_real_worker_is_announced_signed(
    acme,
    alice,
    alice_api,
    signup_form,
    receiver,
    make_subscription,
    run_worker,
    fail,
):
    events = [EventType.WORKFLOW_PUBLISHED, EventType.WORKFLOW_EXECUTED, EventType.EXECUTION_FAILED]
    secret = make_subscription(receiver.url, events=events).secret
    workflow = active_workflow(acme.default_project, alice, "Welcome", form_flow(signup_form.id, fail=fail))
    worker = start_worker()
    try:
        answer = alice_api.post(
            f"/api/v1/forms/{signup_form.id}/submissions", {"data": {"email": "ada@example.com"}}, format="json"
        )
        assert answer.status_code == 201, answer.content
        wait_until(lambda: deliveries_of(EventType.WORKFLOW_EXECUTED), what="the workflow.executed delivery")
    finally:
        worker.stop()
    run_worker()

    execution = Execution.objects.get(workflow=workflow)
    assert execution.status == (ExecutionStatus.FAILED if fail else ExecutionStatus.COMPLETED)
    seen = alice_api.get(f"/api/v1/executions/{execution.id}").json()["data"]
    assert seen["status"] == execution.status
    received = verified_events(receiver, secret)
    [published] = received["workflow.published"]
    assert (published["workflow_id"], published["version"]) == (workflow.id, 1)
    [executed] = received["workflow.executed"]
    assert executed["execution_id"] == execution.id and executed["workflow_id"] == workflow.id
    assert executed["status"] == execution.status
    assert executed["duration_ms"] == execution.duration_ms and executed["started_at"] and executed["completed_at"]
    if fail:
        assert executed["error"]["code"] == "BOUNCED" and executed["output"] is None
        assert received["execution.failed"] == [executed]
    else:
        assert executed["output"] == {"hello": "ada@example.com"} and executed["error"] is None
        assert "execution.failed" not in received
