"""Functions API: CRUD, versions, test runs, roles, scoping, errors in the envelope."""

from __future__ import annotations

import pytest
from django.test import Client

from accounts.models import Role
from functions_app.models import Function
from tests.api.test_authentication import assert_error
from tests.functions_app.conftest import DOUBLE

pytestmark = pytest.mark.django_db

CODE = {"name": "double", "kind": "code", "language": "python", "source": DOUBLE}


def create(client, payload=None):
    response = client.post("/api/v1/functions", payload or CODE, format="json")
    assert response.status_code == 201, response.content
    return response.json()["data"]


def test_creating_a_code_function_answers_it_at_version_1(alice_api):
    data = create(alice_api)
    assert data["id"].startswith("fn_")
    assert data["kind"] == "code"
    assert data["version"] == 1
    assert data["spec"] == {"language": "python", "source": DOUBLE}


def test_listing_filters_by_kind_and_refuses_an_unknown_kind(alice_api):
    create(alice_api)
    create(alice_api, {"name": "greet", "kind": "http", "spec": {"method": "GET", "url": "https://example.com"}})
    listed = alice_api.get("/api/v1/functions?kind=http").json()
    assert [item["name"] for item in listed["data"]] == ["greet"]
    assert listed["meta"]["total"] == 1
    assert_error(alice_api.get("/api/v1/functions?kind=shell"), 400, "VALIDATION_ERROR")


def test_each_change_of_the_source_is_a_new_version(alice_api):
    data = create(alice_api)
    changed = alice_api.patch(f"/api/v1/functions/{data['id']}", {"source": DOUBLE.replace("* 2", "* 3")},
                              format="json")  # fmt: skip
    assert changed.status_code == 200, changed.content
    assert changed.json()["data"]["version"] == 2
    renamed = alice_api.patch(f"/api/v1/functions/{data['id']}", {"description": "Triples"}, format="json")
    assert renamed.json()["data"]["version"] == 2
    versions = alice_api.get(f"/api/v1/functions/{data['id']}/versions").json()["data"]
    assert [v["number"] for v in versions] == [2, 1]
    assert "* 3" in versions[0]["spec"]["source"]


def test_a_syntax_error_is_refused_with_its_line(alice_api):
    error = assert_error(alice_api.post("/api/v1/functions", {**CODE, "source": "def main(input, ctx)\n  return 1"},
                                        format="json"), 400, "VALIDATION_ERROR")  # fmt: skip
    assert error["field"] == "spec.source"
    assert "line 1" in error["message"]


@pytest.mark.parametrize(
    "payload,field",
    [
        ({**CODE, "name": "1bad name"}, "name"),
        ({"name": "x", "kind": "shell", "spec": {}}, "kind"),
        ({"name": "x", "kind": "ai", "spec": {"prompt": "hi"}}, "spec"),
        ({"name": "x", "kind": "http", "spec": {"method": "FETCH", "url": "https://a"}}, "spec.method"),
        ({"name": "x", "kind": "ai", "spec": {"prompt": "hi", "credential": "cred_NOPE"}}, "spec.credential"),
        ({"name": "x", "kind": "code", "spec": [1, 2]}, "spec"),
    ],
)
def test_bad_functions_are_400_naming_the_field(alice_api, payload, field):
    error = assert_error(alice_api.post("/api/v1/functions", payload, format="json"), 400, "VALIDATION_ERROR")
    assert error["field"] == field


def test_the_same_name_twice_is_a_conflict(alice_api):
    create(alice_api)
    assert_error(alice_api.post("/api/v1/functions", CODE, format="json"), 409, "CONFLICT")


def test_testing_a_function_runs_it_in_the_sandbox(alice_api):
    data = create(alice_api)
    response = alice_api.post(f"/api/v1/functions/{data['id']}/test", {"input": {"x": 21}}, format="json")
    assert response.status_code == 200, response.content
    result = response.json()["data"]
    assert result["ok"] is True
    assert result["output"] == {"double": 42}
    assert result["logs"] == ["doubling 21"]
    assert result["duration_ms"] > 0
    assert result["limits_hit"] == []
    assert result["version"] == 1


def test_a_failing_function_reports_its_error_not_a_500(alice_api):
    data = create(alice_api, {**CODE, "name": "broken", "source": "def main(input, ctx):\n    return 1 / 0\n"})
    result = alice_api.post(f"/api/v1/functions/{data['id']}/test", {"input": {}}, format="json").json()["data"]
    assert result["ok"] is False
    assert result["error"]["code"] == "FUNCTION_ERROR"
    assert "ZeroDivisionError" in result["error"]["message"]


def test_a_credential_the_function_declares_reaches_it_and_is_redacted(alice_api):
    secret = "tok-SECRET-4242-abcdef"
    cred = alice_api.post("/api/v1/credentials", {"name": "Slack", "type": "bearer", "secret": {"token": secret}},
                          format="json").json()["data"]  # fmt: skip
    source = "def main(input, ctx):\n    print(ctx.credentials['slack']['token'])\n    return ctx.credentials\n"
    data = create(alice_api, {"name": "leaky", "kind": "code",
                              "spec": {"language": "python", "source": source, "credentials": {"slack": cred["id"]}}})
    response = alice_api.post(f"/api/v1/functions/{data['id']}/test", {"input": {}}, format="json")
    assert response.status_code == 200
    assert secret not in response.content.decode()
    assert response.json()["data"]["output"] == {"slack": {"token": "[redacted]"}}


def test_a_viewer_reads_but_cannot_create_change_test_or_delete(acme, alice_api, bob_viewer, make_key, api_client_for):
    data = create(alice_api)
    _, plaintext = make_key(acme, Role.VIEWER, name="viewer key", created_by=bob_viewer)
    viewer = api_client_for(plaintext)
    assert viewer.get("/api/v1/functions").status_code == 200
    assert viewer.get(f"/api/v1/functions/{data['id']}/versions").status_code == 200
    assert_error(viewer.post("/api/v1/functions", {**CODE, "name": "other"}, format="json"), 403, "FORBIDDEN")
    assert_error(viewer.patch(f"/api/v1/functions/{data['id']}", {"description": "x"}, format="json"), 403, "FORBIDDEN")
    assert_error(viewer.post(f"/api/v1/functions/{data['id']}/test", {}, format="json"), 403, "FORBIDDEN")
    assert_error(viewer.delete(f"/api/v1/functions/{data['id']}"), 403, "FORBIDDEN")


def test_an_outsider_sees_no_function(alice_api, charlie_api):
    data = create(alice_api)
    assert charlie_api.get("/api/v1/functions").json()["meta"]["total"] == 0
    for response in (
        charlie_api.get(f"/api/v1/functions/{data['id']}"),
        charlie_api.get(f"/api/v1/functions/{data['id']}/versions"),
        charlie_api.post(f"/api/v1/functions/{data['id']}/test", {}, format="json"),
        charlie_api.delete(f"/api/v1/functions/{data['id']}"),
    ):
        assert_error(response, 404, "NOT_FOUND")


def test_deleting_a_function_removes_it_and_its_versions(alice_api):
    data = create(alice_api)
    assert alice_api.delete(f"/api/v1/functions/{data['id']}").status_code == 204
    assert not Function.objects.filter(pk=data["id"]).exists()


def test_the_schema_describes_the_functions_endpoints_with_the_error_envelope():
    schema = Client().get("/api/v1/schema/", HTTP_ACCEPT="application/vnd.oai.openapi+json").json()
    paths = schema["paths"]
    assert {"/api/v1/functions", "/api/v1/functions/{id}", "/api/v1/functions/{id}/test",
            "/api/v1/functions/{id}/versions"} <= set(paths)  # fmt: skip
    listing = paths["/api/v1/functions"]["get"]
    assert {"kind", "search", "sort", "order", "page", "limit"} <= {p["name"] for p in listing["parameters"]}
    test = paths["/api/v1/functions/{id}/test"]["post"]
    assert test["responses"]["403"]["content"]["application/json"]["schema"]["$ref"].endswith("/Error")


def test_code_calls_another_function_by_name_and_http_only_to_declared_hosts(alice_api, http_server):
    create(alice_api, {"name": "slack.postMessage", "kind": "http",
                       "spec": {"method": "POST", "url": http_server.url, "body": {"text": "{{ input.text }}"}}})
    host = http_server.url.split("/")[2]
    source = (
        "def main(input, ctx):\n"
        "    sent = ctx.api.slack.postMessage(text='hi ' + input['name'])\n"
        f"    direct = ctx.http('GET', 'http://{host}/direct')\n"
        "    try:\n"
        "        ctx.http('GET', 'http://example.com/')\n"
        "    except RuntimeError as error:\n"
        "        refused = str(error)\n"
        "    return {'sent': sent['body'], 'status': direct['status'], 'refused': refused}\n"
    )
    data = create(alice_api, {"name": "notify", "kind": "code",
                              "spec": {"language": "python", "source": source, "hosts": [host]}})
    result = alice_api.post(f"/api/v1/functions/{data['id']}/test", {"input": {"name": "Ada"}},
                            format="json").json()["data"]  # fmt: skip
    assert result["ok"], result
    assert result["output"]["sent"] == {"text": "hi Ada"}
    assert result["output"]["status"] == 200
    assert result["output"]["refused"].startswith("HOST_NOT_DECLARED")
    assert [r["path"] for r in http_server.received] == ["/hook", "/direct"]
