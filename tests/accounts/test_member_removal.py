"""Issue 14 item 5: demotion and removal take effect on the next request."""

from django.contrib.sessions.models import Session

from accounts.models import ApiKey, AuditEvent, Membership, Role
from tests.api.test_authentication import assert_error


def test_a_key_acts_with_its_owners_current_role_after_demotion(acme, alice, bob_editor, make_key, api_client_for):
    Membership.objects.filter(user=bob_editor).update(role=Role.ADMIN)
    _, plaintext = make_key(acme, Role.ADMIN, created_by=bob_editor)
    bob_api = api_client_for(plaintext)
    assert bob_api.get("/api/v1/audit-log").status_code == 200

    Membership.objects.filter(user=bob_editor).update(role=Role.VIEWER)

    assert_error(bob_api.get("/api/v1/audit-log"), 403, "FORBIDDEN")
    assert_error(bob_api.post("/api/v1/api-keys", {"name": "again", "role": "admin"}, format="json"), 403, "FORBIDDEN")
    assert_error(bob_api.post("/api/v1/workflows", {"name": "x", "definition": {}}, format="json"), 403, "FORBIDDEN")
    assert bob_api.get("/api/v1/members").status_code == 200  # a viewer still reads


def test_a_key_never_acts_above_its_own_role(acme, alice, make_key, api_client_for):
    _, plaintext = make_key(acme, Role.VIEWER, created_by=alice)
    assert_error(api_client_for(plaintext).get("/api/v1/audit-log"), 403, "FORBIDDEN")


def test_removing_a_member_revokes_their_keys_and_sessions(
    alice_api, acme, alice, bob_editor, make_key, api_client_for, session_client_for
):
    key, plaintext = make_key(acme, Role.EDITOR, created_by=bob_editor)
    bob_api = api_client_for(plaintext)
    bob_browser = session_client_for(bob_editor)
    assert bob_api.get("/api/v1/workflows").status_code == 200
    assert bob_browser.get("/api/v1/workflows").status_code == 200
    membership = Membership.objects.get(user=bob_editor)

    response = alice_api.delete(f"/api/v1/members/{membership.id}")

    assert response.status_code == 204
    assert not Membership.objects.filter(pk=membership.pk).exists()
    key.refresh_from_db()
    assert key.revoked_at is not None
    assert_error(bob_api.get("/api/v1/workflows"), 401, "UNAUTHORIZED")
    assert bob_browser.get("/api/v1/workflows").status_code in (401, 403)
    user_ids = [s.get_decoded().get("_auth_user_id") for s in Session.objects.all()]
    assert str(bob_editor.pk) not in user_ids
    actions = set(AuditEvent.objects.values_list("action", flat=True))
    assert {"member.removed", "api_key.revoked", "member.sessions_ended"} <= actions


def test_the_last_admin_cannot_be_removed(alice_api, alice):
    membership = Membership.objects.get(user=alice)
    assert_error(alice_api.delete(f"/api/v1/members/{membership.id}"), 409, "CONFLICT")
    assert Membership.objects.filter(pk=membership.pk).exists()


def test_an_editor_cannot_remove_members(acme, alice, bob_editor, make_key, api_client_for):
    _, plaintext = make_key(acme, Role.EDITOR, created_by=bob_editor)
    membership = Membership.objects.get(user=alice)
    assert_error(api_client_for(plaintext).delete(f"/api/v1/members/{membership.id}"), 403, "FORBIDDEN")


def test_an_outsider_gets_404(charlie_api, alice):
    membership = Membership.objects.get(user=alice)
    assert_error(charlie_api.delete(f"/api/v1/members/{membership.id}"), 404, "NOT_FOUND")


def test_the_members_page_removes_a_member(acme, alice, bob_editor, make_key):
    from django.test import Client

    key, _ = make_key(acme, Role.EDITOR, created_by=bob_editor)
    client = Client()
    client.force_login(alice)
    membership = Membership.objects.get(user=bob_editor)
    page = client.get("/settings/members/")
    assert f"/settings/members/{membership.id}/remove/" in page.content.decode()
    response = client.post(f"/settings/members/{membership.id}/remove/")
    assert response.status_code == 302
    assert not Membership.objects.filter(pk=membership.pk).exists()
    assert ApiKey.objects.get(pk=key.pk).revoked_at is not None
