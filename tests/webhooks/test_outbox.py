"""The outbox: "run finished" events are stored with the run's end and sent even if a worker dies.

These tests run in the test's transaction, where after-commit callbacks never fire unless
asked: exactly what a worker killed right after its commit leaves behind.
"""

from __future__ import annotations

import datetime as dt
import json

import pytest
from django.utils import timezone

from tests.workflows.conftest import http_server, make_workflow, run_now  # noqa: F401 - fixtures
from webhooks import services as webhook_services
from webhooks.delivery import SendOutcome, attempt_delivery
from webhooks.models import Delivery, DeliveryStatus, EventType
from webhooks.outbox import CLAIM_TIMEOUT, LOST_JOB_GRACE, sweep_deliveries
from workflows import services
from workflows.models import Execution, ExecutionStatus

pytestmark = pytest.mark.django_db

FINISHED_EVENTS = [EventType.WORKFLOW_EXECUTED, EventType.EXECUTION_FAILED]


class WorkerKilled(BaseException):
    """Stands for SIGKILL: nothing after it runs, no except clause catches it."""


class DyingSender:
    def post(self, url, body, headers, timeout) -> SendOutcome:
        raise WorkerKilled


@pytest.fixture
def subscribed(acme, http_server):  # noqa: F811 - the fixture imported above
    return webhook_services.create_subscription(acme.default_project, url=http_server.url, events=FINISHED_EVENTS)


def sweep_later(capture, delay: dt.timedelta) -> int:
    with capture(execute=True):
        return sweep_deliveries(now=timezone.now() + delay)


def received_events(http_server) -> list[dict]:  # noqa: F811
    return [json.loads(request["body"]) for request in http_server.received]


def test_a_finished_run_writes_its_delivery_with_its_end_and_the_sweep_sends_it(
    make_workflow,  # noqa: F811
    run_now,  # noqa: F811
    subscribed,
    http_server,  # noqa: F811
    webhook_queue,
    run_worker,
    django_capture_on_commit_callbacks,
):
    execution = services.start_execution(make_workflow(), input={"name": "Ada"}, version=None)
    assert run_now(execution.id) == "completed"  # its after-commit callbacks never run: a killed worker

    [delivery] = Delivery.objects.all()
    assert (delivery.event_type, delivery.status) == (EventType.WORKFLOW_EXECUTED, DeliveryStatus.PENDING)
    assert webhook_queue.count == 0
    assert sweep_later(django_capture_on_commit_callbacks, dt.timedelta(seconds=1)) == 0  # not overdue yet
    assert sweep_later(django_capture_on_commit_callbacks, LOST_JOB_GRACE * 2) == 1
    run_worker()

    [event] = received_events(http_server)
    assert (event["type"], event["data"]["execution_id"], event["data"]["status"]) == (
        "workflow.executed",
        execution.id,
        "completed",
    )
    assert Delivery.objects.get().status == DeliveryStatus.SUCCEEDED


def test_the_sweep_enqueues_a_lost_delivery_once(
    make_workflow,  # noqa: F811
    run_now,  # noqa: F811
    subscribed,
    webhook_queue,
    django_capture_on_commit_callbacks,
):
    run_now(services.start_execution(make_workflow(), input={}, version=None).id)
    swept = [sweep_later(django_capture_on_commit_callbacks, LOST_JOB_GRACE * 2) for _ in range(3)]
    assert swept == [1, 0, 0]
    assert webhook_queue.count == 1


def test_a_delivery_claimed_by_a_dead_worker_is_sent_again(
    acme,
    subscribed,
    http_server,  # noqa: F811
    run_worker,
    django_capture_on_commit_callbacks,
):
    [delivery] = webhook_services.emit_event(acme.default_project, EventType.WORKFLOW_EXECUTED, {"n": 1})
    with pytest.raises(WorkerKilled):
        attempt_delivery(delivery.id, 1, sender=DyingSender())
    delivery.refresh_from_db()
    assert (delivery.status, delivery.attempt_count) == (DeliveryStatus.PENDING, 1)

    assert sweep_later(django_capture_on_commit_callbacks, CLAIM_TIMEOUT / 2) == 0  # it may still be sending
    assert sweep_later(django_capture_on_commit_callbacks, CLAIM_TIMEOUT * 2) == 1
    run_worker()

    delivery.refresh_from_db()
    assert delivery.status == DeliveryStatus.SUCCEEDED
    assert [(attempt.number, attempt.succeeded) for attempt in delivery.attempts.all()] == [(1, False), (2, True)]
    assert "stopped" in delivery.attempts.first().error
    [event] = received_events(http_server)
    assert event["id"] == delivery.id


def test_a_retry_whose_scheduled_job_was_lost_is_sent(
    acme,
    subscribed,
    http_server,  # noqa: F811
    run_worker,
    webhook_queue,
    django_capture_on_commit_callbacks,
):
    http_server.statuses = [503]
    with django_capture_on_commit_callbacks(execute=True):
        [delivery] = webhook_services.emit_event(acme.default_project, EventType.EXECUTION_FAILED, {"n": 1})
    run_worker()
    delivery.refresh_from_db()
    assert delivery.status == DeliveryStatus.PENDING and delivery.next_attempt_at is not None
    webhook_queue.connection.flushdb()  # Redis lost the scheduled retry

    due = delivery.next_attempt_at - timezone.now()
    assert sweep_later(django_capture_on_commit_callbacks, due) == 0  # due, but within the grace
    assert sweep_later(django_capture_on_commit_callbacks, due + LOST_JOB_GRACE * 2) == 1
    run_worker()

    delivery.refresh_from_db()
    assert delivery.status == DeliveryStatus.SUCCEEDED
    assert [attempt.response_code for attempt in delivery.attempts.all()] == [503, 200]


def test_a_delivery_whose_job_still_waits_in_the_queue_is_left_alone(
    acme, subscribed, webhook_queue, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        webhook_services.emit_event(acme.default_project, EventType.WORKFLOW_EXECUTED, {"n": 1})
    assert webhook_queue.count == 1  # no worker is up to take it
    assert sweep_later(django_capture_on_commit_callbacks, LOST_JOB_GRACE * 10) == 0
    assert webhook_queue.count == 1


@pytest.mark.parametrize("how", ["cancel", "cancel_before_claim", "fail_waiting"])
def test_every_way_a_run_ends_writes_its_deliveries_in_the_same_transaction(
    make_workflow,  # noqa: F811
    run_now,  # noqa: F811
    subscribed,
    how,
):
    execution = services.start_execution(make_workflow(), input={}, version=None)
    if how == "cancel":
        services.cancel_execution(execution)
    elif how == "cancel_before_claim":
        Execution.objects.filter(pk=execution.pk).update(cancel_requested=True)
        assert run_now(execution.id) is None
    else:
        from workflows.lifecycle import fail_waiting_execution

        Execution.objects.filter(pk=execution.pk).update(status=ExecutionStatus.WAITING)
        fail_waiting_execution(execution, "The sub-workflow run exec_x ended failed.")
    execution.refresh_from_db()
    assert execution.is_terminal
    expected = {EventType.WORKFLOW_EXECUTED} | ({EventType.EXECUTION_FAILED} if execution.status == "failed" else set())
    deliveries = Delivery.objects.all()
    assert {delivery.event_type for delivery in deliveries} == expected
    assert all(json.loads(delivery.body)["data"]["execution_id"] == execution.id for delivery in deliveries)


def test_a_scheduler_pass_runs_the_sweep(
    acme, subscribed, webhook_queue, monkeypatch, django_capture_on_commit_callbacks
):
    from workflows.scheduler import PERIODIC_TASKS, run_periodic_tasks

    monkeypatch.setattr(PERIODIC_TASKS["webhook_deliveries"], "last_run", float("-inf"))
    [delivery] = webhook_services.emit_event(acme.default_project, EventType.WORKFLOW_EXECUTED, {"n": 1})
    Delivery.objects.filter(pk=delivery.pk).update(next_attempt_at=timezone.now() - LOST_JOB_GRACE * 2)
    with django_capture_on_commit_callbacks(execute=True):
        assert run_periodic_tasks()["webhook_deliveries"] == 1  # what each run_scheduler pass runs
    assert webhook_queue.job_ids == [f"{delivery.id}-1"]
