"""`Idempotency-Key` on execute: a retried request gets the run the first one started."""

from __future__ import annotations

import datetime as dt
import threading

import pytest
from django.db import connection
from django.test import Client

from tests.api.test_authentication import assert_error
from workflows.models import Execution, IdempotencyKey


def execute(client, workflow_id, key: str | None = None, **body):
    headers = {"HTTP_IDEMPOTENCY_KEY": key} if key is not None else {}
    return client.post(f"/api/v1/workflows/{workflow_id}/execute", body, format="json", **headers)


def test_the_same_key_answers_200_with_the_same_execution(alice_api, make_workflow):
    workflow = make_workflow()
    first = execute(alice_api, workflow.id, "order-42", input={"name": "Ada"}, version="draft")
    again = execute(alice_api, workflow.id, "order-42", input={"name": "Ada"}, version="draft")
    assert first.status_code == 202 and again.status_code == 200
    assert again.json()["data"]["execution_id"] == first.json()["data"]["execution_id"]
    assert set(again.json()["data"]) == set(first.json()["data"])
    assert again["Idempotent-Replayed"] == "true" and "Idempotent-Replayed" not in first
    assert Execution.objects.count() == 1


def test_key_order_and_wait_do_not_make_a_body_different(alice_api, make_workflow):
    workflow = make_workflow()
    first = execute(alice_api, workflow.id, "k", input={"a": 1, "b": 2}, version="draft")
    again = execute(alice_api, workflow.id, "k", version="draft", input={"b": 2, "a": 1}, wait=0.1)
    assert again.status_code == 200
    assert again.json()["data"]["execution_id"] == first.json()["data"]["execution_id"]


def test_a_replay_with_wait_answers_the_finished_execution(alice_api, make_workflow, run_now):
    workflow = make_workflow()
    first = execute(alice_api, workflow.id, "k", input={"name": "Ada"}, version="draft").json()["data"]
    run_now(first["execution_id"])
    again = execute(alice_api, workflow.id, "k", input={"name": "Ada"}, version="draft", wait=1)
    assert again.status_code == 200
    data = again.json()["data"]
    assert (data["id"], data["status"], data["output"]) == (first["execution_id"], "completed", {"hello": "Ada"})


def test_the_same_key_with_a_different_body_is_a_conflict(alice_api, make_workflow):
    workflow = make_workflow()
    execute(alice_api, workflow.id, "k", input={"name": "Ada"}, version="draft")
    response = execute(alice_api, workflow.id, "k", input={"name": "Grace"}, version="draft")
    assert_error(response, 409, "CONFLICT")
    assert "different request body" in response.json()["error"]["message"]
    assert Execution.objects.count() == 1


def test_a_different_key_or_no_key_starts_a_new_run(alice_api, make_workflow):
    workflow = make_workflow()
    ids = {
        execute(alice_api, workflow.id, key, input={}, version="draft").json()["data"]["execution_id"]
        for key in ("a", "b", None, None)
    }
    assert len(ids) == 4


def test_keys_are_per_workflow_and_per_organization(alice_api, charlie_api, make_workflow):
    mine, other = make_workflow(), make_workflow(name="Other")
    created = charlie_api.post(
        "/api/v1/workflows", {"name": "Globex flow", "definition": mine.definition}, format="json"
    )
    theirs = created.json()["data"]["id"]
    answers = [
        execute(alice_api, mine.id, "shared", version="draft"),
        execute(alice_api, other.id, "shared", version="draft"),
        execute(charlie_api, theirs, "shared", version="draft"),
    ]
    assert [answer.status_code for answer in answers] == [202, 202, 202]
    assert len({answer.json()["data"]["execution_id"] for answer in answers}) == 3


def test_a_key_expires_after_a_day(alice_api, make_workflow):
    workflow = make_workflow()
    first = execute(alice_api, workflow.id, "k", version="draft").json()["data"]
    IdempotencyKey.objects.update(created_at=dt.datetime.now(dt.UTC) - dt.timedelta(hours=24, minutes=1))
    later = execute(alice_api, workflow.id, "k", input={"changed": True}, version="draft")
    assert later.status_code == 202
    assert later.json()["data"]["execution_id"] != first["execution_id"]
    assert IdempotencyKey.objects.get().execution_id == later.json()["data"]["execution_id"]


@pytest.mark.parametrize(
    ("key", "message"),
    [("x" * 256, "at most 255 characters"), ("   ", "must not be empty"), ("tab\there", "printable ASCII")],
    ids=["too-long", "blank", "control-character"],
)
def test_a_bad_key_is_refused_with_a_clear_error(alice_api, make_workflow, key, message):
    response = execute(alice_api, make_workflow().id, key, version="draft")
    assert_error(response, 400, "VALIDATION_ERROR")
    assert message in response.json()["error"]["message"]
    assert response.json()["error"]["field"] == "Idempotency-Key"
    assert not Execution.objects.exists()


def test_a_key_of_255_characters_is_fine(alice_api, make_workflow):
    assert execute(alice_api, make_workflow().id, "x" * 255, version="draft").status_code == 202


def test_the_schema_documents_the_header_and_the_conflict(db):
    schema = Client().get("/api/v1/schema/", HTTP_ACCEPT="application/vnd.oai.openapi+json").json()
    operation = schema["paths"]["/api/v1/workflows/{workflow_id}/execute"]["post"]
    assert any(p["name"] == "Idempotency-Key" and p["in"] == "header" for p in operation["parameters"])
    assert {"200", "202", "409"} <= set(operation["responses"])


@pytest.mark.django_db(transaction=True)
def test_concurrent_requests_with_one_key_start_one_run(acme, alice, make_key, api_client_for, make_workflow):
    workflow = make_workflow()
    _, plaintext = make_key(acme)
    clients = 6
    barrier = threading.Barrier(clients)
    answers = []

    def request() -> None:
        try:
            barrier.wait()
            answers.append(execute(api_client_for(plaintext), workflow.id, "once", input={"n": 1}, version="draft"))
        finally:
            connection.close()

    threads = [threading.Thread(target=request) for _ in range(clients)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()

    assert sorted(answer.status_code for answer in answers) == [200] * (clients - 1) + [202]
    assert len({answer.json()["data"]["execution_id"] for answer in answers}) == 1
    assert Execution.objects.count() == 1
