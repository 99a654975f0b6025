"""Values the schema calls invalid are refused, not read as "no filter" (found by schemathesis, D12)."""

import pytest

from tests.api.test_authentication import assert_error
from tests.workflows.conftest import simple_flow


@pytest.mark.parametrize(
    ("path", "field"),
    [
        ("/api/v1/webhooks?enabled=null", "enabled"),  # django-filter read it as "any"
        ("/api/v1/forms?is_active=yes", "is_active"),
        ("/api/v1/executions?to=", "to"),  # an empty date was no bound at all
        ("/api/v1/executions?status=failed&status=completed", "status"),  # the last one won
        ("/api/v1/workflows?page=AAA&offset=0", "page"),  # offset won and page went unread
        ("/api/v1/workflows?limit=5&limit=6", "limit"),
        ("/api/v1/workflows?page=", "page"),
        ("/api/v1/node-types?category=nonsense", "category"),  # answered an empty list
        ("/api/v1/usage?start_date=2026-01-01junk", "start_date"),  # read as its first ten characters
        ("/api/v1/usage?end_date=", "end_date"),
    ],
)
def test_a_query_value_the_schema_refuses_is_a_400_naming_it(alice_api, path, field):
    error = assert_error(alice_api.get(path), 400, "VALIDATION_ERROR")
    assert error["field"] == field


def test_a_page_past_ten_million_is_refused_whatever_the_limit(alice_api):
    assert alice_api.get("/api/v1/workflows?page=10000001&limit=100").status_code == 200
    error = assert_error(alice_api.get("/api/v1/workflows?page=10000002&limit=1"), 400, "VALIDATION_ERROR")
    assert error["field"] == "page"


def test_validate_takes_true_or_false_only(alice_api):
    body = {"name": "W", "definition": simple_flow()}
    error = assert_error(alice_api.post("/api/v1/workflows?validate=no", body, format="json"), 400, "VALIDATION_ERROR")
    assert error["field"] == "validate"
    assert alice_api.post("/api/v1/workflows?validate=false", body, format="json").status_code == 201


@pytest.mark.parametrize("version", ["", 0, -1, 1.5, "latest"])
def test_execute_version_is_draft_a_number_or_null(alice_api, version):
    created = alice_api.post("/api/v1/workflows", {"name": "W", "definition": simple_flow()}, format="json")
    url = f"/api/v1/workflows/{created.json()['data']['id']}/execute"
    error = assert_error(alice_api.post(url, {"version": version}, format="json"), 400, "VALIDATION_ERROR")
    assert error["field"] == "version"


@pytest.mark.parametrize("key", ["nodes", "edges", "variables", "settings", "configuration", "definition"])
def test_definition_parts_of_the_wrong_type_are_refused_by_name(alice_api, key):
    body = {"name": "W", **simple_flow(), key: "not the right type"}
    response = alice_api.post("/api/v1/workflows?validate=false", body, format="json")
    assert response.status_code == 400 and response.json()["error"]["field"].startswith(key)
