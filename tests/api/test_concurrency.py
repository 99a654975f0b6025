"""Optimistic concurrency: ETag on reads and write answers, If-Match on PATCH/PUT/DELETE.

One table of resources (workflows, forms, credentials, connections, webhooks) and the same
promises for each: a read names its revision, a stale If-Match is a 412 that writes nothing,
and two writers holding the same ETag never both succeed (checked with two threads on
PostgreSQL, each with its own connection).
"""

from __future__ import annotations

import threading
from dataclasses import dataclass

import pytest
from django.apps import apps
from django.db import connection, connections, transaction

from tests.api.test_authentication import assert_error
from tests.workflows.conftest import simple_flow
from tests.workflows.processes import wait_until


@dataclass(frozen=True)
class Resource:
    path: str
    create: dict
    change: dict
    other_change: dict
    field: str  # a field both changes write, to see whose change is stored
    cacheable: bool = True  # answers 304 to If-None-Match


def renamed_flow(name: str) -> dict:
    flow = simple_flow()
    flow["nodes"][1]["name"] = name
    return {"definition": flow}


RESOURCES = {
    "workflows": Resource(
        "workflows",
        {"name": "Lead alert", "definition": simple_flow()},
        {"description": "mine"},
        {"description": "theirs"},
        "description",
        cacheable=False,
    ),
    "forms": Resource("forms", {"name": "Contact"}, {"description": "mine"}, {"description": "theirs"}, "description"),
    "credentials": Resource(
        "credentials",
        {"name": "Billing API", "type": "bearer", "secret": {"token": "t-123456"}},
        {"name": "mine"},
        {"name": "theirs"},
        "name",
    ),
    "connections": Resource(
        "connections",
        {"name": "Orders API", "kind": "rest", "base_url": "https://api.example.com/v1"},
        {"name": "mine"},
        {"name": "theirs"},
        "name",
    ),
    "webhooks": Resource(
        "webhooks",
        {"url": "https://receiver.example.com/hook", "events": ["form.submitted"]},
        {"description": "mine"},
        {"description": "theirs"},
        "description",
    ),
}
every_resource = pytest.mark.parametrize("resource", RESOURCES.values(), ids=RESOURCES.keys())


def url(resource: Resource, pk: str) -> str:
    return f"/api/v1/{resource.path}/{pk}"


def create(client, resource: Resource) -> tuple[str, str]:
    """The new resource's id and the ETag its 201 answered."""
    response = client.post(f"/api/v1/{resource.path}", resource.create, format="json")
    assert response.status_code == 201, response.content
    return response.json()["data"]["id"], response["ETag"]


def read(client, resource: Resource, pk: str):
    response = client.get(url(resource, pk))
    assert response.status_code == 200, response.content
    return response


@pytest.mark.django_db
@every_resource
def test_a_read_and_a_write_answer_name_the_revision(alice_api, resource):
    pk, created_tag = create(alice_api, resource)
    assert created_tag == '"r1"'
    assert read(alice_api, resource, pk)["ETag"] == created_tag

    changed = alice_api.patch(url(resource, pk), resource.change, format="json", HTTP_IF_MATCH=created_tag)

    assert changed.status_code == 200, changed.content
    assert changed["ETag"] == '"r2"'
    assert read(alice_api, resource, pk)["ETag"] == changed["ETag"]


@pytest.mark.django_db
@every_resource
def test_a_stale_if_match_is_a_412_and_writes_nothing(alice_api, resource):
    pk, first_tag = create(alice_api, resource)
    alice_api.patch(url(resource, pk), resource.other_change, format="json")  # someone else, unconditionally

    error = assert_error(
        alice_api.patch(url(resource, pk), resource.change, format="json", HTTP_IF_MATCH=first_tag),
        412,
        "PRECONDITION_FAILED",
    )

    assert error["field"] == "If-Match" and error["details"]["current_etag"] == '"r2"'
    assert read(alice_api, resource, pk).json()["data"][resource.field] == resource.other_change[resource.field]


@pytest.mark.django_db
@every_resource
def test_a_stale_if_match_on_delete_keeps_the_resource(alice_api, resource):
    pk, first_tag = create(alice_api, resource)
    fresh_tag = alice_api.patch(url(resource, pk), resource.other_change, format="json")["ETag"]

    assert_error(alice_api.delete(url(resource, pk), HTTP_IF_MATCH=first_tag), 412, "PRECONDITION_FAILED")
    read(alice_api, resource, pk)

    assert alice_api.delete(url(resource, pk), HTTP_IF_MATCH=fresh_tag).status_code == 204
    assert alice_api.get(url(resource, pk)).status_code == 404


@pytest.mark.django_db
@every_resource
@pytest.mark.parametrize("if_match", [None, "*", '"r0", "r1"'], ids=["no header", "star", "a list holding it"])
def test_no_header_a_star_or_a_list_holding_the_revision_writes(alice_api, resource, if_match):
    pk, _ = create(alice_api, resource)
    headers = {} if if_match is None else {"HTTP_IF_MATCH": if_match}

    response = alice_api.patch(url(resource, pk), resource.change, format="json", **headers)

    assert response.status_code == 200, response.content
    assert response.json()["data"][resource.field] == resource.change[resource.field]


@pytest.mark.django_db
@pytest.mark.parametrize("tag", ['W/"r1"', '"1"', '"r1x"', '""'])
def test_a_weak_or_foreign_tag_never_matches(alice_api, tag):
    pk, _ = create(alice_api, RESOURCES["forms"])
    response = alice_api.patch(url(RESOURCES["forms"], pk), {"description": "x"}, format="json", HTTP_IF_MATCH=tag)
    assert_error(response, 412, "PRECONDITION_FAILED")


@pytest.mark.django_db
@pytest.mark.parametrize("value", ["r1", '"r1', "", '"r1" junk', '"r 1"'])
def test_a_malformed_if_match_is_a_400_naming_the_header(alice_api, value):
    pk, _ = create(alice_api, RESOURCES["forms"])
    response = alice_api.patch(url(RESOURCES["forms"], pk), {"description": "x"}, format="json", HTTP_IF_MATCH=value)
    assert assert_error(response, 400, "VALIDATION_ERROR")["field"] == "If-Match"


@pytest.mark.django_db
def test_a_stale_tag_is_refused_before_the_body_is_validated(alice_api):
    """RFC 9110 §13.2.2: the precondition is evaluated before the request content is processed."""
    resource = RESOURCES["workflows"]
    pk, first_tag = create(alice_api, resource)
    alice_api.patch(url(resource, pk), {"description": "theirs"}, format="json")

    response = alice_api.put(url(resource, pk), {"name": ""}, format="json", HTTP_IF_MATCH=first_tag)

    assert_error(response, 412, "PRECONDITION_FAILED")


@pytest.mark.django_db
def test_put_on_a_workflow_honours_if_match(alice_api):
    resource = RESOURCES["workflows"]
    pk, first_tag = create(alice_api, resource)
    whole = {"name": "Lead alert", **renamed_flow("Greeter")}

    saved = alice_api.put(url(resource, pk), whole, format="json", HTTP_IF_MATCH=first_tag)
    assert saved.status_code == 200 and saved["ETag"] == '"r2"'
    stale = alice_api.put(url(resource, pk), {"name": "Lead alert", **renamed_flow("Late")}, format="json",
                          HTTP_IF_MATCH=first_tag)  # fmt: skip

    assert_error(stale, 412, "PRECONDITION_FAILED")
    assert read(alice_api, resource, pk).json()["data"]["definition"]["nodes"][1]["name"] == "Greeter"


@pytest.mark.django_db
def test_every_write_moves_a_workflow_to_a_new_revision(alice_api):
    """Publishing, (de)activating and restoring are writes too; their answers carry the new ETag."""
    resource = RESOURCES["workflows"]
    pk, tag = create(alice_api, resource)
    seen = [tag]
    assert alice_api.post(f"{url(resource, pk)}/publish", {"note": "v1"}, format="json").status_code == 201
    seen.append(read(alice_api, resource, pk)["ETag"])
    for action in ("activate", "deactivate", "versions/1/restore"):
        answer = alice_api.post(f"{url(resource, pk)}/{action}")
        assert answer.status_code == 200, answer.content
        seen.append(answer["ETag"])
    assert seen == ['"r1"', '"r2"', '"r3"', '"r4"', '"r5"']


@pytest.mark.django_db
@pytest.mark.parametrize("resource", [r for r in RESOURCES.values() if r.cacheable], ids=lambda r: r.path)
def test_if_none_match_with_the_current_tag_is_a_304_without_a_body(alice_api, resource):
    pk, tag = create(alice_api, resource)

    unchanged = alice_api.get(url(resource, pk), HTTP_IF_NONE_MATCH=f'"r0", W/{tag}')
    assert unchanged.status_code == 304 and unchanged.content == b"" and unchanged["ETag"] == tag

    alice_api.patch(url(resource, pk), resource.change, format="json")
    changed = alice_api.get(url(resource, pk), HTTP_IF_NONE_MATCH=tag)
    assert changed.status_code == 200 and changed["ETag"] == '"r2"'


@pytest.mark.django_db
def test_a_workflow_read_is_never_a_304_since_its_run_counters_change_without_a_write(alice_api):
    resource = RESOURCES["workflows"]
    pk, tag = create(alice_api, resource)
    response = alice_api.get(url(resource, pk), HTTP_IF_NONE_MATCH=tag)
    assert response.status_code == 200 and response["ETag"] == tag


@pytest.mark.django_db
def test_a_connection_test_result_is_a_new_revision(alice_api):
    """GET shows the last test's outcome, so a 304 after a test would hide it."""
    resource = RESOURCES["connections"]
    pk, tag = create(alice_api, resource)
    alice_api.post(f"{url(resource, pk)}/test")
    assert alice_api.get(url(resource, pk), HTTP_IF_NONE_MATCH=tag).status_code == 200


@pytest.mark.django_db
def test_an_outsider_gets_404_whatever_the_tag(alice_api, charlie_api):
    resource = RESOURCES["forms"]
    pk, tag = create(alice_api, resource)
    outsider = charlie_api.patch(url(resource, pk), {"description": "x"}, format="json", HTTP_IF_MATCH=tag)
    assert outsider.status_code == 404
    assert charlie_api.delete(url(resource, pk), HTTP_IF_MATCH='"r999"').status_code == 404


@pytest.mark.django_db
def test_the_schema_documents_the_headers_and_the_412(alice_api):
    schema = alice_api.get("/api/v1/schema/?format=json", HTTP_ACCEPT="application/vnd.oai.openapi+json").json()
    for path in ("workflows", "forms", "credentials", "connections", "webhooks"):
        item = next(value for key, value in schema["paths"].items() if key.startswith(f"/api/v1/{path}/{{"))
        for method in ("patch", "delete"):
            operation = item[method]
            assert "If-Match" in {p["name"] for p in operation["parameters"] if p["in"] == "header"}, (path, method)
            assert operation["responses"]["412"]["content"]["application/json"]["schema"] == {
                "$ref": "#/components/schemas/Error"
            }
        assert "ETag" in item["get"]["responses"]["200"]["headers"]
        assert ("304" in item["get"]["responses"]) == (path != "workflows")
    assert "If-Match" in {p["name"] for p in schema["paths"]["/api/v1/workflows/{workflow_id}"]["put"]["parameters"]}


# --- two writers, one tag -------------------------------------------------------------------


MODELS = {
    "workflows": "workflows.Workflow",
    "forms": "forms_app.Form",
    "credentials": "integrations.Credential",
    "connections": "integrations.Connection",
    "webhooks": "webhooks.WebhookSubscription",
}


def waiting_for_a_lock() -> int:
    """How many sessions of this test database wait for a lock another session holds."""
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_stat_clear_snapshot()")  # else a transaction sees one snapshot
        cursor.execute(
            "SELECT count(*) FROM pg_stat_activity WHERE datname = current_database()"
            " AND cardinality(pg_blocking_pids(pid)) > 0"
        )
        return cursor.fetchone()[0]


@pytest.mark.django_db(transaction=True)
@every_resource
def test_two_writers_with_the_same_etag_never_both_succeed(acme, alice, alice_api, make_key, api_client_for, resource):
    """Both requests pass the early check on the revision they loaded, then meet at the row lock.

    The test holds the row's lock itself until both requests are waiting for it (seen in
    pg_stat_activity, not guessed with a sleep), then lets them go: whichever takes the lock
    first writes, the other finds a newer revision under the lock and gets 412.
    """
    if connection.vendor != "postgresql":
        pytest.skip("row locks need PostgreSQL")
    pk, tag = create(alice_api, resource)
    # A client and a key each, so the two requests share no row before the one under test.
    clients = {name: api_client_for(make_key(acme, name=name)[1]) for name in ("mine", "theirs")}
    answers: dict[str, int] = {}

    def write(name: str, body: dict) -> None:
        try:
            answers[name] = clients[name].patch(url(resource, pk), body, format="json", HTTP_IF_MATCH=tag).status_code
        finally:
            connections.close_all()

    writers = [
        threading.Thread(target=write, args=("mine", resource.change)),
        threading.Thread(target=write, args=("theirs", resource.other_change)),
    ]
    with transaction.atomic():
        apps.get_model(MODELS[resource.path]).objects.select_for_update().get(pk=pk)
        for writer in writers:
            writer.start()
        wait_until(lambda: waiting_for_a_lock() >= 2, what="both writers to wait for the row lock")
    for writer in writers:
        writer.join(timeout=60)

    assert sorted(answers.values()) == [200, 412], answers
    winner = next(name for name, status in answers.items() if status == 200)
    expected = (resource.change if winner == "mine" else resource.other_change)[resource.field]
    stored = read(alice_api, resource, pk)
    assert stored.json()["data"][resource.field] == expected
    assert stored["ETag"] == '"r2"'


@pytest.mark.django_db(transaction=True)
def test_many_writers_one_tag_one_winner_and_unconditional_writers_get_a_revision_each(acme, alice, make_key,
                                                                                       api_client_for):  # fmt: skip
    """Eight threads send the same ETag: one write, seven 412s, whatever the interleaving.

    Then eight unconditional writers: all succeed, and each answer names a revision of its own,
    because the database does the increment (two writes never share a tag).
    """
    if connection.vendor != "postgresql":
        pytest.skip("row locks need PostgreSQL")
    resource = RESOURCES["forms"]
    clients = [api_client_for(make_key(acme, name=f"writer {n}")[1]) for n in range(8)]
    pk, tag = create(clients[0], resource)

    def patch_all(headers: dict) -> list:
        answers: list = [None] * len(clients)

        def write(index: int) -> None:
            try:
                body = {"description": f"writer {index}"}
                answers[index] = clients[index].patch(url(resource, pk), body, format="json", **headers)
            finally:
                connections.close_all()

        threads = [threading.Thread(target=write, args=(index,)) for index in range(len(clients))]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join(timeout=120)
        return answers

    conditional = patch_all({"HTTP_IF_MATCH": tag})
    assert sorted(answer.status_code for answer in conditional) == [200] + [412] * 7
    unconditional = patch_all({})
    assert [answer.status_code for answer in unconditional] == [200] * 8
    assert sorted(answer["ETag"] for answer in unconditional) == sorted(f'"r{n}"' for n in range(3, 11))
    assert read(clients[0], resource, pk)["ETag"] == '"r10"'


@pytest.mark.django_db
def test_a_write_to_a_row_deleted_meanwhile_is_a_404_not_a_500(acme):
    """Two deletes that both read the row before either committed: the second finds nothing."""
    from django.http import Http404

    from workflows import services

    workflow = services.create_workflow(acme.default_project, name="Gone", definition=simple_flow())
    stale_copy = type(workflow).objects.get(pk=workflow.pk)
    services.delete_workflow(workflow)
    with pytest.raises(Http404):
        services.delete_workflow(stale_copy)
