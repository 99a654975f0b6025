import datetime as dt

import pytest
from django.utils import timezone

from accounts import services
from accounts.models import Plan, Role

URL = "/api/v1/projects"


def assert_error(response, status: int, code: str) -> dict:
    assert response.status_code == status, response.content
    body = response.json()
    assert body["success"] is False
    assert body["error"]["code"] == code
    assert body["error"]["message"]
    return body["error"]


@pytest.mark.django_db
def test_it_refuses_a_request_without_a_key(api_client_for):
    error = assert_error(api_client_for().get(URL), 401, "UNAUTHORIZED")
    assert "Authentication required" in error["message"]


@pytest.mark.django_db
@pytest.mark.parametrize(
    "header, expected",
    [
        ("Bearer", "Malformed Authorization header"),
        ("Token wf_live_abc", "Malformed Authorization header"),
        ("Bearer a b", "Malformed Authorization header"),
        ("Bearer sk_live_abc", "Malformed API key"),
    ],
)
def test_it_refuses_a_malformed_key(api_client_for, header, expected):
    client = api_client_for()
    client.credentials(HTTP_AUTHORIZATION=header)
    error = assert_error(client.get(URL), 401, "UNAUTHORIZED")
    assert expected in error["message"]


def test_it_refuses_an_unknown_key(acme, api_client_for):
    error = assert_error(api_client_for("wf_live_doesnotexist").get(URL), 401, "UNAUTHORIZED")
    assert error["message"] == "Unknown API key."


def test_it_refuses_a_revoked_key(acme, make_key, api_client_for):
    api_key, plaintext = make_key(acme)
    services.revoke_api_key(api_key)
    error = assert_error(api_client_for(plaintext).get(URL), 401, "UNAUTHORIZED")
    assert "revoked" in error["message"]


def test_it_refuses_an_expired_key(acme, make_key, api_client_for):
    api_key, plaintext = make_key(acme)
    api_key.expires_at = timezone.now() - dt.timedelta(seconds=1)
    api_key.save()
    error = assert_error(api_client_for(plaintext).get(URL), 401, "UNAUTHORIZED")
    assert "expired" in error["message"]


def test_a_401_says_how_to_authenticate(api_client_for, db):
    response = api_client_for().get(URL)
    assert response["WWW-Authenticate"].startswith("Bearer")


def test_a_valid_key_gets_in_and_records_its_use(acme, make_key, api_client_for):
    api_key, plaintext = make_key(acme)
    response = api_client_for(plaintext).get(URL)
    assert response.status_code == 200
    body = response.json()
    assert body["success"] is True
    assert [project["is_default"] for project in body["data"]] == [True]
    api_key.refresh_from_db()
    assert api_key.last_used_at is not None


@pytest.mark.parametrize("plan", [Plan.FREE, Plan.STARTER, Plan.PRO, Plan.TEAM])
def test_plans_without_api_access_get_plan_upgrade_required(acme, make_key, api_client_for, plan):
    acme.plan = plan
    acme.save()
    _, plaintext = make_key(acme)
    error = assert_error(api_client_for(plaintext).get(URL), 403, "PLAN_UPGRADE_REQUIRED")
    assert "Business" in error["message"]


def test_the_browser_session_works_on_any_plan(acme, alice, session_client_for):
    acme.plan = Plan.FREE
    acme.save()
    assert session_client_for(alice).get(URL).status_code == 200


def test_a_session_write_without_csrf_is_refused(alice, session_client_for):
    response = session_client_for(alice).post("/api/v1/api-keys", {"name": "x"}, format="json")
    error = assert_error(response, 403, "FORBIDDEN")
    assert "CSRF" in error["message"]


def test_a_session_write_with_csrf_succeeds(alice, session_client_for):
    client = session_client_for(alice)
    client.get("/")  # a page with a form sets the CSRF cookie, as in the browser
    token = client.cookies["csrftoken"].value
    response = client.post("/api/v1/api-keys", {"name": "x"}, format="json", HTTP_X_CSRFTOKEN=token)
    assert response.status_code == 201


def test_a_user_outside_every_organization_is_forbidden(db, session_client_for):
    from django.contrib.auth import get_user_model

    loner = get_user_model().objects.create_user("loner@example.test", password="x" * 12)
    assert_error(session_client_for(loner).get(URL), 403, "FORBIDDEN")


def test_a_key_role_limits_what_it_can_do(acme, make_key, api_client_for):
    _, plaintext = make_key(acme, Role.VIEWER)
    assert_error(api_client_for(plaintext).get("/api/v1/audit-log"), 403, "FORBIDDEN")
