from accounts.models import AuditEvent, Membership, Role
from tests.api.test_authentication import assert_error


def test_members_are_listed_with_their_roles(alice_api, bob_editor):
    members = alice_api.get("/api/v1/members").json()["data"]
    assert [(member["email"], member["role"]) for member in members] == [
        ("alice@acme.test", "admin"),
        ("bob@acme.test", "editor"),
    ]


def test_an_admin_changes_a_role_and_it_is_audited(alice_api, acme, bob_editor):
    membership = Membership.objects.get(user=bob_editor)
    response = alice_api.patch(f"/api/v1/members/{membership.id}", {"role": "viewer"}, format="json")
    assert response.status_code == 200
    assert response.json()["data"]["role"] == "viewer"
    event = AuditEvent.objects.get(action="member.role_changed")
    assert event.details == {"user": "bob@acme.test", "from": "editor", "to": "viewer"}


def test_an_unknown_role_is_a_validation_error(alice_api, bob_editor):
    membership = Membership.objects.get(user=bob_editor)
    response = alice_api.patch(f"/api/v1/members/{membership.id}", {"role": "owner"}, format="json")
    assert assert_error(response, 400, "VALIDATION_ERROR")["field"] == "role"


def test_an_editor_cannot_change_roles(acme, alice, bob_editor, session_client_for):
    client = session_client_for(bob_editor)
    client.get("/")
    membership = Membership.objects.get(user=alice)
    response = client.patch(
        f"/api/v1/members/{membership.id}",
        {"role": "viewer"},
        format="json",
        HTTP_X_CSRFTOKEN=client.cookies["csrftoken"].value,
    )
    assert_error(response, 403, "FORBIDDEN")
    membership.refresh_from_db()
    assert membership.role == Role.ADMIN


def test_the_last_admin_cannot_be_demoted(alice_api, alice):
    membership = Membership.objects.get(user=alice)
    response = alice_api.patch(f"/api/v1/members/{membership.id}", {"role": "editor"}, format="json")
    assert_error(response, 409, "CONFLICT")
    membership.refresh_from_db()
    assert membership.role == Role.ADMIN
