import datetime as dt

from django.db import connection
from django.utils import timezone

from accounts.models import ApiKey, AuditEvent, Role
from tests.api.test_authentication import assert_error


def all_text_in_database() -> str:
    """Every row of every table as text: what a `pg_dump` would show."""
    chunks = []
    with connection.cursor() as cursor:
        for table in connection.introspection.table_names():
            cursor.execute(f'SELECT * FROM "{table}"')
            chunks.extend(repr(row) for row in cursor.fetchall())
    return "\n".join(chunks)


def test_an_admin_creates_a_key_and_sees_it_once(alice_api, acme):
    response = alice_api.post("/api/v1/api-keys", {"name": "CRM sync", "role": "editor"}, format="json")
    assert response.status_code == 201
    data = response.json()["data"]
    assert data["key"].startswith("wf_live_")
    assert data["prefix"] == data["key"][:12]
    assert data["role"] == "editor" and data["status"] == "active"

    listed = alice_api.get("/api/v1/api-keys").json()["data"]
    assert all("key" not in item and "key_hash" not in item for item in listed)
    shown = alice_api.get(f"/api/v1/api-keys/{data['id']}").json()["data"]
    assert "key" not in shown


def test_the_plaintext_key_is_nowhere_in_the_database(alice_api):
    plaintext = alice_api.post("/api/v1/api-keys", {"name": "secret"}, format="json").json()["data"]["key"]
    dump = all_text_in_database()
    assert plaintext not in dump
    assert plaintext[12:] not in dump  # not even the part after the shown prefix


def test_the_new_key_works(alice_api, api_client_for):
    plaintext = alice_api.post("/api/v1/api-keys", {"name": "k"}, format="json").json()["data"]["key"]
    assert api_client_for(plaintext).get("/api/v1/projects").status_code == 200


def test_a_key_can_expire(alice_api):
    past = (timezone.now() - dt.timedelta(hours=1)).isoformat()
    response = alice_api.post("/api/v1/api-keys", {"name": "k", "expires_at": past}, format="json")
    error = assert_error(response, 400, "VALIDATION_ERROR")
    assert error["field"] == "expires_at"
    future = (timezone.now() + dt.timedelta(days=30)).isoformat()
    response = alice_api.post("/api/v1/api-keys", {"name": "k", "expires_at": future}, format="json")
    assert response.status_code == 201
    assert response.json()["data"]["expires_at"] is not None


def test_a_missing_name_is_a_missing_required_field(alice_api):
    error = assert_error(alice_api.post("/api/v1/api-keys", {}, format="json"), 400, "MISSING_REQUIRED_FIELD")
    assert error["field"] == "name"


def test_revoking_a_key_stops_it_and_is_audited(alice_api, acme, make_key, api_client_for):
    api_key, plaintext = make_key(acme, Role.EDITOR)
    response = alice_api.delete(f"/api/v1/api-keys/{api_key.id}")
    assert response.status_code == 200
    assert response.json()["data"]["status"] == "revoked"
    assert_error(api_client_for(plaintext).get("/api/v1/projects"), 401, "UNAUTHORIZED")
    actions = list(AuditEvent.objects.filter(target_id=api_key.id).values_list("action", flat=True))
    assert actions == ["api_key.revoked", "api_key.created"]


def test_an_editor_cannot_create_or_list_keys(acme, bob_editor, make_key, api_client_for, session_client_for):
    _, plaintext = make_key(acme, Role.EDITOR)
    error = assert_error(
        api_client_for(plaintext).post("/api/v1/api-keys", {"name": "x"}, format="json"), 403, "FORBIDDEN"
    )
    assert "admin" in error["message"]
    assert_error(session_client_for(bob_editor).get("/api/v1/api-keys"), 403, "FORBIDDEN")
    assert ApiKey.objects.filter(name="x").count() == 0


def test_a_viewer_cannot_create(acme, make_key, api_client_for):
    _, plaintext = make_key(acme, Role.VIEWER)
    response = api_client_for(plaintext).post("/api/v1/api-keys", {"name": "x"}, format="json")
    assert_error(response, 403, "FORBIDDEN")


def test_an_outsider_cannot_see_or_revoke_our_keys(acme, charlie_api, make_key):
    api_key, _ = make_key(acme)
    assert_error(charlie_api.get(f"/api/v1/api-keys/{api_key.id}"), 404, "NOT_FOUND")
    assert_error(charlie_api.delete(f"/api/v1/api-keys/{api_key.id}"), 404, "NOT_FOUND")
    assert api_key.id not in [key["id"] for key in charlie_api.get("/api/v1/api-keys").json()["data"]]
    api_key.refresh_from_db()
    assert api_key.revoked_at is None
