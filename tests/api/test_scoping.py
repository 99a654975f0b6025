from accounts.models import Project
from tests.api.test_authentication import assert_error


def test_the_default_project_is_used_without_a_header(alice_api, acme):
    response = alice_api.get("/api/v1/projects")
    assert response.json()["data"][0]["id"] == acme.default_project.id


def test_a_project_of_our_organization_is_accepted(alice_api, acme):
    second = Project.objects.create(organization=acme, name="Marketing")
    response = alice_api.get("/api/v1/projects", HTTP_X_PROJECT_ID=second.id)
    assert response.status_code == 200
    assert {project["id"] for project in response.json()["data"]} == {acme.default_project.id, second.id}


def test_a_project_of_another_organization_is_forbidden(alice_api, globex):
    error = assert_error(
        alice_api.get("/api/v1/projects", HTTP_X_PROJECT_ID=globex.default_project.id), 403, "FORBIDDEN"
    )
    assert globex.default_project.id in error["message"]


def test_an_unknown_project_is_forbidden_not_a_crash(alice_api):
    assert_error(alice_api.get("/api/v1/projects", HTTP_X_PROJECT_ID="proj_nope"), 403, "FORBIDDEN")


def test_a_session_user_is_scoped_the_same_way(alice, globex, session_client_for):
    client = session_client_for(alice)
    assert_error(
        client.get("/api/v1/projects", HTTP_X_PROJECT_ID=globex.default_project.id), 403, "FORBIDDEN"
    )


def test_another_organizations_members_are_not_visible(alice_api, charlie, globex):
    membership = globex.memberships.get()
    assert_error(alice_api.get(f"/api/v1/members/{membership.id}"), 404, "NOT_FOUND")
    emails = [member["email"] for member in alice_api.get("/api/v1/members").json()["data"]]
    assert "charlie@globex.test" not in emails
