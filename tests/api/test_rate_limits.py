import subprocess
import sys
import time

import pytest

from accounts import services
from accounts.models import Plan, Role
from flowbuilder.api import throttling


@pytest.fixture(autouse=True)
def one_window(monkeypatch):
    """Hold the rate-limit clock in the middle of the current minute.

    The windows are real minutes: a test whose calls straddled a minute's end saw its count
    start again (the two-process test, a few seconds long, did so about one run in ten).
    """
    middle = int(time.time()) // 60 * 60 + 30
    monkeypatch.setattr(throttling, "clock", lambda: float(middle))
    return middle


@pytest.fixture
def three_per_minute(settings):
    settings.RATE_LIMITS = {**settings.RATE_LIMITS, "business": (3, 1_000)}


def test_headers_count_down_and_the_fourth_call_is_refused(alice_api, three_per_minute):
    remaining = []
    for _ in range(3):
        response = alice_api.get("/api/v1/projects")
        assert response.status_code == 200
        assert response["X-RateLimit-Limit"] == "3"
        remaining.append(int(response["X-RateLimit-Remaining"]))
    assert remaining == [2, 1, 0]

    refused = alice_api.get("/api/v1/projects")
    assert refused.status_code == 429
    assert refused.json()["error"]["code"] == "RATE_LIMITED"
    retry_after = int(refused["Retry-After"])
    assert 1 <= retry_after <= 60
    reset = int(refused["X-RateLimit-Reset"])
    assert reset - time.time() <= 61
    assert refused["X-RateLimit-Remaining"] == "0"


def test_the_daily_limit_applies_too(alice_api, settings):
    settings.RATE_LIMITS = {**settings.RATE_LIMITS, "business": (100, 2)}
    assert alice_api.get("/api/v1/projects")["X-RateLimit-Limit"] == "2"
    alice_api.get("/api/v1/projects")
    refused = alice_api.get("/api/v1/projects")
    assert refused.status_code == 429
    assert int(refused["Retry-After"]) > 60 or time.time() % 86_400 > 86_340


def test_limits_are_per_organization(alice_api, charlie_api, three_per_minute):
    for _ in range(4):
        alice_api.get("/api/v1/projects")
    assert charlie_api.get("/api/v1/projects").status_code == 200


def test_the_plan_sets_the_limit(acme, alice, make_key, api_client_for):
    acme.plan = Plan.ENTERPRISE
    acme.save()
    _, plaintext = make_key(acme)
    assert api_client_for(plaintext).get("/api/v1/projects")["X-RateLimit-Limit"] == "1200"


def test_counters_roll_over_with_the_window(acme, settings):
    settings.RATE_LIMITS = {**settings.RATE_LIMITS, "business": (1, 1_000)}
    minute = 1_800_000_000
    assert not throttling.hit(acme.id, "business", now=minute).exceeded
    assert throttling.hit(acme.id, "business", now=minute + 30).exceeded
    assert not throttling.hit(acme.id, "business", now=minute + 60).exceeded


CLIENT_SCRIPT = """
import sys, httpx
url, key, count = sys.argv[1], sys.argv[2], int(sys.argv[3])
for _ in range(count):
    response = httpx.get(url, headers={"Authorization": "Bearer " + key}, timeout=10)
    print(response.status_code, response.headers.get("X-RateLimit-Remaining"))
"""


@pytest.mark.django_db(transaction=True)
def test_two_client_processes_share_one_counter(live_server, settings):
    settings.RATE_LIMITS = {**settings.RATE_LIMITS, "business": (10, 1_000)}
    organization = services.create_organization("Shared", plan=Plan.BUSINESS)
    plaintext = services.create_api_key(organization, name="k", role=Role.ADMIN).plaintext
    url = f"{live_server.url}/api/v1/projects"

    def run_client(count: int) -> list[str]:
        done = subprocess.run(
            [sys.executable, "-c", CLIENT_SCRIPT, url, plaintext, str(count)],
            capture_output=True,
            text=True,
            timeout=60,
            check=True,
        )
        return done.stdout.split("\n")[:-1]

    first = run_client(6)
    second = run_client(6)
    assert [line.split()[0] for line in first] == ["200"] * 6
    assert [line.split()[0] for line in second] == ["200"] * 4 + ["429"] * 2
    assert second[0].split()[1] == "3"  # the second process continues the first one's count


def test_an_unreachable_redis_does_not_take_the_api_down(alice_api, settings, caplog):
    settings.REDIS_URL = "redis://127.0.0.1:1/0"  # nothing listens on port 1
    response = alice_api.get("/api/v1/projects")
    assert response.status_code == 200
    assert "X-RateLimit-Limit" not in response
    assert any("rate limit not counted" in record.message for record in caplog.records)


# Every answer to an identified caller carries the headers, refusals included (issue 15, item 5).


def remaining_of(response) -> int:
    assert response["X-RateLimit-Limit"] == "3", dict(response.headers)
    return int(response["X-RateLimit-Remaining"])


def test_a_role_refusal_carries_the_headers_and_counts(acme, alice, make_key, api_client_for, three_per_minute):
    _, plaintext = make_key(acme, Role.VIEWER)
    viewer = api_client_for(plaintext)

    refused = viewer.post("/api/v1/workflows", {"name": "x", "nodes": []}, format="json")
    assert refused.status_code == 403 and refused.json()["error"]["code"] == "FORBIDDEN"
    assert remaining_of(refused) == 2
    assert remaining_of(viewer.get("/api/v1/projects")) == 1


def test_a_plan_refusal_carries_the_plan_headers(globex, charlie, make_key, api_client_for, settings):
    globex.plan = Plan.FREE
    globex.save()
    settings.RATE_LIMITS = {**settings.RATE_LIMITS, "free": (2, 1_000)}
    _, plaintext = make_key(globex)
    client = api_client_for(plaintext)

    answers = [client.get("/api/v1/workflows") for _ in range(3)]
    assert [answer.status_code for answer in answers] == [403, 403, 403]
    assert answers[0].json()["error"]["code"] == "PLAN_UPGRADE_REQUIRED"
    assert [answer["X-RateLimit-Limit"] for answer in answers] == ["2", "2", "2"]
    assert [answer["X-RateLimit-Remaining"] for answer in answers] == ["1", "0", "0"]
    assert "Retry-After" in answers[2]


def test_a_project_refusal_carries_the_headers(alice_api, globex, three_per_minute):
    refused = alice_api.get("/api/v1/workflows", HTTP_X_PROJECT_ID=globex.default_project.id)
    assert refused.status_code == 403
    assert remaining_of(refused) == 2


def test_not_found_answers_carry_the_headers(alice_api, three_per_minute):
    missing_workflow = alice_api.get("/api/v1/workflows/wf_missing")
    assert missing_workflow.status_code == 404
    assert remaining_of(missing_workflow) == 2
    no_such_path = alice_api.get("/api/v1/no-such-thing")
    assert no_such_path.status_code == 404
    assert no_such_path.json()["error"]["code"] == "NOT_FOUND"
    assert remaining_of(no_such_path) == 1


def test_a_browser_session_refused_for_csrf_carries_the_headers(alice, session_client_for, three_per_minute):
    browser = session_client_for(alice)
    refused = browser.post("/api/v1/workflows", {"name": "x"}, format="json")  # no CSRF token
    assert refused.status_code == 403
    assert remaining_of(refused) == 2
    assert remaining_of(browser.get("/api/v1/no-such-thing")) == 1


def test_unidentified_callers_get_no_headers_and_spend_nobody_s_budget(alice_api, api_client_for, three_per_minute):
    for client in (api_client_for(), api_client_for("wf_live_not-a-key")):
        answer = client.get("/api/v1/projects")
        assert answer.status_code == 401
        assert "X-RateLimit-Limit" not in answer
    assert api_client_for().get("/api/v1/no-such-thing").status_code == 404
    assert remaining_of(alice_api.get("/api/v1/projects")) == 2


def test_a_refused_call_is_counted_once(alice_api, three_per_minute):
    answers = [alice_api.get("/api/v1/projects") for _ in range(5)]
    assert [answer.status_code for answer in answers] == [200, 200, 200, 429, 429]
    assert [answer["X-RateLimit-Remaining"] for answer in answers] == ["2", "1", "0", "0", "0"]


def test_the_schema_documents_the_headers_on_refusals_too(db):
    from django.test import Client
    from openapi_spec_validator import validate

    schema = Client().get("/api/v1/schema/", HTTP_ACCEPT="application/vnd.oai.openapi+json").json()
    validate(schema)
    responses = schema["paths"]["/api/v1/workflows"]["post"]["responses"]
    detail = schema["paths"]["/api/v1/workflows/{workflow_id}"]["get"]["responses"]
    for answer in (responses["201"], responses["403"], responses["429"], detail["404"]):
        assert set(answer["headers"]) >= {"X-RateLimit-Limit", "X-RateLimit-Remaining", "X-RateLimit-Reset"}
    assert "Retry-After" in responses["429"]["headers"]
    assert set(responses["401"]["headers"]) == {"X-Request-Id"}  # an unidentified caller is counted against nobody
