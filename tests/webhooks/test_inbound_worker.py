"""Both response modes end to end: the HTTP call, a real `rqworker` process, the stored run."""

from __future__ import annotations

import json

import pytest
from django.test import Client

from tests.webhooks.inbound_support import live_hook
from tests.workflows.processes import start_worker, wait_until
from workflows.models import Execution, ExecutionStatus

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def worker():
    process = start_worker()
    yield process
    process.stop()


def post_json(token: str, payload) -> object:
    return Client().post(f"/hooks/{token}", data=json.dumps(payload), content_type="application/json")


def test_last_node_mode_answers_with_the_output_of_the_run(acme, alice, worker):
    workflow, token = live_hook(acme.default_project, alice, config={"response_mode": "last_node"})

    answer = post_json(token, {"order": 42})

    assert answer.status_code == 200, answer.content
    assert answer.json() == {"got": {"order": 42}, "ok": True}
    execution = Execution.objects.get(workflow=workflow)
    assert answer["X-Execution-Id"] == execution.id
    assert execution.status == ExecutionStatus.COMPLETED
    assert [step.node_id for step in execution.steps.order_by("id")] == ["hook", "reply", "stop"]


def test_last_node_mode_answers_500_with_the_error_of_a_failed_run(acme, alice, worker):
    workflow, token = live_hook(acme.default_project, alice, config={"response_mode": "last_node"}, fail=True)

    answer = post_json(token, {"order": 43})

    assert answer.status_code == 500, answer.content
    error = answer.json()["error"]
    assert (error["code"], error["message"], error["node_id"]) == ("REJECTED", "no thanks", "stop")
    assert error["execution_id"] == Execution.objects.get(workflow=workflow, status=ExecutionStatus.FAILED).id


def test_immediate_mode_answers_202_and_the_worker_completes_the_run(acme, alice, worker):
    workflow, token = live_hook(acme.default_project, alice)

    answer = post_json(token, {"order": 44})

    assert answer.status_code == 202, answer.content
    execution_id = answer.json()["execution_id"]
    assert answer.json()["status"] == ExecutionStatus.PENDING
    execution = wait_until(
        lambda: Execution.objects.filter(pk=execution_id, status=ExecutionStatus.COMPLETED).first(),
        what="the webhook run to complete",
    )
    assert execution.workflow_id == workflow.id
    assert execution.output == {"got": {"order": 44}, "ok": True}
