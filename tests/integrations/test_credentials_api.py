"""Credentials API: CRUD, roles, scoping, and the secret never coming back out."""

from __future__ import annotations

import json

import pytest

from accounts.models import AuditEvent, Role
from integrations.models import Credential
from tests.api.test_authentication import assert_error

SECRET = "sk-live-DO-NOT-LEAK-7f3a9c"
BEARER = {"name": "Billing API", "type": "bearer", "secret": {"token": SECRET}}


def body_text(response) -> str:
    return response.content.decode()


@pytest.fixture
def bearer_credential(alice_api):
    response = alice_api.post("/api/v1/credentials", BEARER, format="json")
    assert response.status_code == 201, response.content
    return response.json()["data"]


def test_creating_a_credential_answers_its_fields_but_never_the_secret(alice_api, acme):
    response = alice_api.post(
        "/api/v1/credentials",
        {"name": "Warehouse", "type": "basic", "metadata": {"username": "etl"}, "secret": {"password": SECRET}},
        format="json",
    )
    assert response.status_code == 201
    data = response.json()["data"]
    assert data["id"].startswith("cred_")
    assert data["metadata"] == {"username": "etl"}
    assert data["secret_fields"] == ["password"]
    assert data["project_id"] == acme.default_project.id
    assert SECRET not in body_text(response)
    stored = Credential.objects.get(pk=data["id"])
    assert SECRET.encode() not in bytes(stored.ciphertext)
    assert stored.unseal() == {"password": SECRET}


def test_a_secret_sent_in_metadata_is_still_sealed(alice_api):
    response = alice_api.post(
        "/api/v1/credentials", {"name": "Oops", "type": "bearer", "metadata": {"token": SECRET}}, format="json"
    )
    assert response.status_code == 201
    credential = Credential.objects.get(pk=response.json()["data"]["id"])
    assert credential.metadata == {}
    assert credential.unseal() == {"token": SECRET}


def test_listing_and_reading_never_include_the_secret(alice_api, bearer_credential):
    listing = alice_api.get("/api/v1/credentials")
    detail = alice_api.get(f"/api/v1/credentials/{bearer_credential['id']}")
    assert listing.json()["meta"]["total"] == 1
    assert detail.json()["data"]["secret_fields"] == ["token"]
    for response in (listing, detail):
        assert response.status_code == 200
        assert SECRET not in body_text(response)


def test_patching_replaces_the_secret_and_keeps_the_name_unique(alice_api, bearer_credential):
    url = f"/api/v1/credentials/{bearer_credential['id']}"
    response = alice_api.patch(url, {"name": "Billing v2", "secret": {"token": "rotated-token-xyz"}}, format="json")
    assert response.status_code == 200
    assert response.json()["data"]["name"] == "Billing v2"
    assert "rotated-token-xyz" not in body_text(response)
    assert Credential.objects.get(pk=bearer_credential["id"]).unseal() == {"token": "rotated-token-xyz"}
    alice_api.post("/api/v1/credentials", {**BEARER, "name": "Other"}, format="json")
    assert_error(alice_api.patch(url, {"name": "Other"}, format="json"), 409, "CONFLICT")


def test_a_duplicate_name_in_the_project_is_a_conflict(alice_api, bearer_credential):
    assert_error(alice_api.post("/api/v1/credentials", BEARER, format="json"), 409, "CONFLICT")


def test_deleting_removes_the_credential(alice_api, bearer_credential):
    url = f"/api/v1/credentials/{bearer_credential['id']}"
    assert alice_api.delete(url).status_code == 204
    assert_error(alice_api.get(url), 404, "NOT_FOUND")


def test_create_change_and_delete_are_audited_without_the_secret(alice_api, bearer_credential):
    url = f"/api/v1/credentials/{bearer_credential['id']}"
    alice_api.patch(url, {"secret": {"token": "second-secret-123"}}, format="json")
    alice_api.delete(url)
    actions = list(AuditEvent.objects.filter(target_id=bearer_credential["id"]).values_list("action", flat=True))
    assert sorted(actions) == ["credential.created", "credential.deleted", "credential.updated"]
    log = alice_api.get("/api/v1/audit-log?limit=100")
    assert "credential.updated" in body_text(log)
    assert SECRET not in body_text(log) and "second-secret-123" not in body_text(log)


@pytest.mark.parametrize(
    "payload, field",
    [
        ({"name": "x", "type": "bearer", "secret": {"token": 12345}}, "secret.token"),
        ({"name": "x", "type": "basic", "secret": {"password": SECRET}}, None),
        ({"name": "x", "type": "api_key", "secret": {"key": SECRET, "extra": SECRET}}, None),
        ({"name": "x", "type": "llm", "metadata": {"provider": "skynet"}, "secret": {"api_key": SECRET}}, None),
    ],
)
def test_invalid_fields_are_refused_with_a_message_that_never_echoes_the_secret(alice_api, payload, field):
    response = alice_api.post("/api/v1/credentials", payload, format="json")
    assert_error(response, 400, "VALIDATION_ERROR")
    assert SECRET not in body_text(response)
    if field:
        assert response.json()["error"]["field"] == field


def test_an_unknown_type_is_a_validation_error(alice_api):
    response = alice_api.post("/api/v1/credentials", {"name": "x", "type": "telepathy"}, format="json")
    assert_error(response, 400, "VALIDATION_ERROR")


def test_a_viewer_reads_but_cannot_write(acme, bob_viewer, session_client_for, alice_api, bearer_credential):
    client = session_client_for(bob_viewer)
    assert client.get("/api/v1/credentials").status_code == 200
    assert SECRET not in body_text(client.get(f"/api/v1/credentials/{bearer_credential['id']}"))
    response = client.post("/api/v1/credentials", {**BEARER, "name": "mine"}, format="json")
    assert response.status_code == 403  # CSRF or role: either way, no write


def test_a_viewer_key_cannot_create_patch_or_delete(acme, make_key, api_client_for, bearer_credential):
    _, plaintext = make_key(acme, Role.VIEWER)
    viewer = api_client_for(plaintext)
    url = f"/api/v1/credentials/{bearer_credential['id']}"
    assert_error(viewer.post("/api/v1/credentials", {**BEARER, "name": "v"}, format="json"), 403, "FORBIDDEN")
    assert_error(viewer.patch(url, {"name": "v"}, format="json"), 403, "FORBIDDEN")
    assert_error(viewer.delete(url), 403, "FORBIDDEN")


def test_an_editor_key_can_create(acme, make_key, api_client_for):
    _, plaintext = make_key(acme, Role.EDITOR)
    response = api_client_for(plaintext).post("/api/v1/credentials", BEARER, format="json")
    assert response.status_code == 201


def test_an_outsider_gets_404_for_every_credential_endpoint(charlie_api, bearer_credential):
    url = f"/api/v1/credentials/{bearer_credential['id']}"
    assert charlie_api.get("/api/v1/credentials").json()["meta"]["total"] == 0
    for response in (
        charlie_api.get(url),
        charlie_api.patch(url, {"name": "stolen"}, format="json"),
        charlie_api.delete(url),
        charlie_api.post(f"/api/v1/integrations/{bearer_credential['id']}/test"),
    ):
        assert_error(response, 404, "NOT_FOUND")
        assert SECRET not in body_text(response)


def test_credential_types_serve_one_schema_per_type_with_secret_fields_write_only(alice_api):
    response = alice_api.get("/api/v1/credential-types")
    types = {item["type"]: item for item in response.json()["data"]}
    assert set(types) == {"api_key", "bearer", "basic", "oauth2_token", "smtp", "database", "llm", "hmac_secret"}
    assert types["smtp"]["schema"]["properties"]["password"]["writeOnly"] is True
    assert types["smtp"]["secret_fields"] == ["password"]
    assert "writeOnly" not in types["smtp"]["schema"]["properties"]["host"]


def test_the_openapi_schema_marks_the_secret_write_only(alice_api):
    schema = json.dumps(alice_api.get("/api/v1/schema/", HTTP_ACCEPT="application/json").json())
    assert "/api/v1/credentials" in schema
    assert SECRET not in schema
