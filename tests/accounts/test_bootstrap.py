import io
import json

from django.core.management import call_command

from accounts.models import ApiKey, Membership, Organization
from accounts.services import hash_api_key


def bootstrap(*extra) -> dict:
    out = io.StringIO()
    call_command(
        "bootstrap",
        "--org",
        "Initech",
        "--email",
        "Peter@Initech.test",
        "--password",
        "tps-report-42",
        "--plan",
        "business",
        "--json",
        *extra,
        stdout=out,
    )
    return json.loads(out.getvalue())


def test_it_creates_an_organization_admin_and_key(db, api_client_for):
    result = bootstrap()
    assert set(result) == {"organization_id", "project_id", "email", "api_key"}
    assert result["email"] == "peter@initech.test"
    organization = Organization.objects.get(pk=result["organization_id"])
    assert organization.plan == "business"
    assert organization.default_project.id == result["project_id"]
    assert Membership.objects.get(organization=organization).role == "admin"
    assert ApiKey.objects.get(key_hash=hash_api_key(result["api_key"])).role == "admin"
    assert api_client_for(result["api_key"]).get("/api/v1/projects").status_code == 200


def test_running_it_again_reuses_everything_and_rotates_the_key(db, api_client_for):
    first = bootstrap()
    second = bootstrap()
    assert first["organization_id"] == second["organization_id"]
    assert first["project_id"] == second["project_id"]
    assert Organization.objects.count() == 1 and Membership.objects.count() == 1
    assert api_client_for(first["api_key"]).get("/api/v1/projects").status_code == 401
    assert api_client_for(second["api_key"]).get("/api/v1/projects").status_code == 200


def test_the_admin_can_log_in_with_the_password(db, client):
    bootstrap()
    response = client.post("/login/", {"username": "peter@initech.test", "password": "tps-report-42"})
    assert response.status_code == 302
    assert client.get("/").status_code == 200
