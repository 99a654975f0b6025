"""Regression tests for what schemathesis found (tests/api/test_schemathesis.py), one per bug.

Each fails on the code before its fix; the schemathesis run itself is too coarse (and too slow
to run alone) to pin a single behaviour.
"""

from __future__ import annotations

import json
import subprocess
import sys

import jsonschema
from django.test import override_settings

from accounts.models import AuditEvent, Membership, Role
from tests.api.test_authentication import assert_error
from tests.workflows.processes import ROOT
from webhooks.signing import secret_problem


def _schema(api) -> dict:
    return api.get("/api/v1/schema/", HTTP_ACCEPT="application/vnd.oai.openapi+json").json()


def _form(**field) -> dict:
    return {"name": "Contact", "fields": [{"key": "email", "type": "text", "label": "Email", **field}]}


# --- strings are strings -----------------------------------------------------------------


def test_a_number_where_the_schema_says_string_is_refused(alice_api):
    response = alice_api.post("/api/v1/forms", _form(help_text=0), format="json")
    error = assert_error(response, 400, "VALIDATION_ERROR")
    assert error["field"] == "fields.0.help_text"
    assert "Not a valid string" in error["message"]


def test_strict_strings_hold_on_every_serializer_and_in_lists(alice_api):
    assert_error(alice_api.post("/api/v1/workflows", {"name": 12}, format="json"), 400, "VALIDATION_ERROR")
    assert_error(alice_api.post("/api/v1/api-keys", {"name": 1.5}, format="json"), 400, "VALIDATION_ERROR")
    select = _form(type="select", options=["a", 2])
    assert_error(alice_api.post("/api/v1/forms", select, format="json"), 400, "VALIDATION_ERROR")
    # Strings still work, and so does what was valid before.
    assert alice_api.post("/api/v1/forms", _form(help_text="0"), format="json").status_code == 201


def test_a_number_or_text_where_the_schema_says_boolean_is_refused(alice_api):
    for value in (0, 1, "true", "yes"):
        response = alice_api.post("/api/v1/forms", _form(required=value), format="json")
        assert assert_error(response, 400, "VALIDATION_ERROR")["field"] == "fields.0.required", value
    assert alice_api.post("/api/v1/forms", _form(required=True), format="json").status_code == 201


def test_a_url_the_schema_allows_is_a_url_the_server_takes(alice_api):
    # Django's URLValidator refused a DNS label over 63 characters that `format: uri` allowed.
    long_label = "https://" + "a" * 70 + ".example.com/v1"
    body = {"name": "r", "kind": "rest", "base_url": long_label}
    assert alice_api.post("/api/v1/connections", body, format="json").status_code == 201
    for bad in (" https://api.example.com", "ftp://api.example.com", "https://"):
        response = alice_api.post("/api/v1/connections", {**body, "name": bad, "base_url": bad}, format="json")
        assert assert_error(response, 400, "VALIDATION_ERROR")["field"] == "base_url", bad


# --- PATCH is partial ----------------------------------------------------------------------


def test_patching_a_member_with_nothing_changes_nothing(alice_api, bob_editor):
    membership = Membership.objects.get(user=bob_editor)
    response = alice_api.patch(f"/api/v1/members/{membership.id}", {}, format="json")
    assert response.status_code == 200, response.content
    assert response.json()["data"]["role"] == Role.EDITOR
    assert not AuditEvent.objects.filter(action="member.role_changed").exists()


# --- references in a body are 400s naming the field -------------------------------------


def test_an_unknown_credential_id_is_a_400_naming_it(alice_api):
    body = {"name": "db", "kind": "postgresql", "host": "db.example.com", "database": "d", "username": "u",
            "credential_id": "cred_does_not_exist"}  # fmt: skip
    error = assert_error(alice_api.post("/api/v1/connections", body, format="json"), 400, "VALIDATION_ERROR")
    assert error["field"] == "credential_id"


# --- query parameters ----------------------------------------------------------------------


def test_usage_with_only_an_old_end_date_starts_in_that_month(alice_api):
    response = alice_api.get("/api/v1/usage", {"end_date": "2000-01-15"})
    assert response.status_code == 200, response.content
    assert response.json()["data"]["start_date"] == "2000-01-01"


def test_a_cursor_outside_the_schemas_alphabet_is_refused(alice_api):
    # base64 decoding skips characters outside its alphabet, so "!" used to vanish.
    for cursor in ["¤", "abc!def", "a" * 201]:
        response = alice_api.get("/api/v1/executions", {"cursor": cursor})
        assert assert_error(response, 400, "VALIDATION_ERROR")["field"] == "cursor"
    cursor = _schema(alice_api)["paths"]["/api/v1/executions"]["get"]["parameters"]
    [schema] = [parameter["schema"] for parameter in cursor if parameter["name"] == "cursor"]
    assert schema["pattern"] == "^[A-Za-z0-9_-]+$"


# --- bodies over the limit -----------------------------------------------------------------


@override_settings(DATA_UPLOAD_MAX_MEMORY_SIZE=1000)
def test_a_body_over_the_limit_is_413_in_the_envelope(alice_api):
    body = {"name": "big", "description": "x" * 2000}
    response = alice_api.post("/api/v1/workflows", body, format="json")
    assert assert_error(response, 413, "PAYLOAD_TOO_LARGE")


# --- the schema says what the server checks ------------------------------------------------


def test_the_webhook_secret_pattern_is_the_servers_rule():
    import base64

    from webhooks.api.serializers import SECRET_PATTERN

    for size in range(0, 80):
        secret = "whsec_" + base64.b64encode(bytes(range(size))).decode()
        assert (jsonschema.validators.Draft202012Validator({"pattern": SECRET_PATTERN}).is_valid(secret)) is (
            secret_problem(secret) is None
        ), size


def test_each_credential_type_has_its_own_request_body(alice_api):
    schema = _schema(alice_api)
    components = schema["components"]["schemas"]
    body = components["CredentialCreateRequest"]
    assert body["discriminator"]["propertyName"] == "type"
    api_key = components["ApiKeyCredentialRequest"]
    assert api_key["required"] == ["name", "type", "secret"]
    assert api_key["properties"]["secret"]["required"] == ["key"]
    # A body the schema calls valid is created; one it calls invalid is refused.
    valid = {"name": "k", "type": "api_key", "secret": {"key": "s3cret"}}
    jsonschema.validate(valid, api_key)
    assert alice_api.post("/api/v1/credentials", valid, format="json").status_code == 201
    invalid = {"name": "k2", "type": "api_key", "secret": {}}
    assert not jsonschema.Draft202012Validator(api_key).is_valid(invalid)
    assert_error(alice_api.post("/api/v1/credentials", invalid, format="json"), 400, "VALIDATION_ERROR")


def test_each_connection_kind_has_its_own_request_body(alice_api):
    components = _schema(alice_api)["components"]["schemas"]
    assert components["ConnectionWriteRequest"]["discriminator"]["propertyName"] == "kind"
    rest = components["RestConnectionRequest"]
    assert "base_url" in rest["required"]
    invalid = {"name": "r", "kind": "rest"}
    assert not jsonschema.Draft202012Validator(rest).is_valid(invalid)
    assert_error(alice_api.post("/api/v1/connections", invalid, format="json"), 400, "VALIDATION_ERROR")


# --- the schema endpoint under concurrent first requests ----------------------------------

CONCURRENT_SCHEMA = """
import threading, django
django.setup()
from django.test import Client
barrier, statuses = threading.Barrier(4), []
def fetch():
    barrier.wait()
    statuses.append(Client().get("/api/v1/schema/").status_code)
threads = [threading.Thread(target=fetch) for _ in range(4)]
[thread.start() for thread in threads]
[thread.join() for thread in threads]
print(json.dumps(statuses))
"""


def test_first_schema_requests_at_once_all_succeed(tmp_path):
    # A fresh process: drf-spectacular loads its extensions on the first generation only.
    # The schema needs no database: the process gets an embedded-mode var dir of its own.
    env = {"DJANGO_SETTINGS_MODULE": "flowbuilder.settings", "PATH": "/usr/bin:/bin",
           "FLOWBUILDER_VAR_DIR": str(tmp_path)}  # fmt: skip
    result = subprocess.run(
        [sys.executable, "-c", "import json\n" + CONCURRENT_SCHEMA],
        cwd=ROOT, env=env, capture_output=True, text=True, timeout=300,
    )  # fmt: skip
    assert result.returncode == 0, result.stderr[-3000:]
    assert json.loads(result.stdout.strip().splitlines()[-1]) == [200, 200, 200, 200], result.stderr[-3000:]


# --- credential field errors ---------------------------------------------------------------


def test_every_kind_of_credential_field_error_is_a_400(alice_api):
    # Each rule's message used to be formatted for every error: an empty key or a port of 0
    # formatted "must be one of" over a number and answered 500.
    cases = [
        ({"type": "api_key", "secret": {"key": ""}}, "secret.key", "must not be empty"),
        ({"type": "smtp", "metadata": {"host": "h", "from_email": "a@b.c", "port": 0}}, "metadata.port", "at least 1"),
        ({"type": "smtp", "metadata": {"host": "h", "from_email": "a@b.c", "port": 70000}}, "metadata.port", "at most"),
        ({"type": "api_key", "secret": {"key": "k"}, "metadata": {"placement": "body"}}, "metadata.placement",
         "one of header, query"),
        ({"type": "bearer", "secret": {"token": 5}}, "secret.token", "of type string"),
    ]  # fmt: skip
    for index, (body, field, words) in enumerate(cases):
        response = alice_api.post("/api/v1/credentials", {"name": f"c{index}", **body}, format="json")
        error = assert_error(response, 400, "VALIDATION_ERROR")
        assert (error["field"], words in error["message"]) == (field, True), error


# --- what PostgreSQL cannot store --------------------------------------------------------


def test_a_nul_character_anywhere_in_a_body_is_a_400_naming_where(alice_api):
    # Found by the stateful phase: a NUL in a key of a free-form object reached the jsonb column.
    body = {"name": "w", "nodes": [], "edges": [], "variables": {"ok": {"bad\x00key": 1}}}
    response = alice_api.post("/api/v1/workflows?validate=false", body, format="json")
    error = assert_error(response, 400, "VALIDATION_ERROR")
    assert error["field"] == "variables.ok.bad\\u0000key"
    body = {"name": "c", "type": "basic", "metadata": {"username": "u\x00"}, "secret": {"password": "p"}}
    error = assert_error(alice_api.post("/api/v1/credentials", body, format="json"), 400, "VALIDATION_ERROR")
    assert error["field"] == "metadata.username"


def test_a_body_nested_too_deeply_is_a_400(alice_api):
    body = "[" * 100_000 + "]" * 100_000
    response = alice_api.post("/api/v1/workflows", body, content_type="application/json")
    assert_error(response, 400, "VALIDATION_ERROR")


# --- forms -------------------------------------------------------------------------------


def test_patching_a_forms_fields_needs_complete_fields(alice_api):
    # `fields` replaces the whole list; under PATCH a field without its label was stored.
    form = alice_api.post("/api/v1/forms", _form(), format="json").json()["data"]
    body = {"fields": [{"key": "email", "type": "text"}]}
    response = alice_api.patch(f"/api/v1/forms/{form['id']}", body, format="json")
    assert assert_error(response, 400, "MISSING_REQUIRED_FIELD")["field"] == "fields.0.label"


def test_an_unknown_submissions_format_is_refused(alice_api):
    form = alice_api.post("/api/v1/forms", _form(), format="json").json()["data"]
    for query in ({"format": "AAA"}, {"format": ["csv", "json"]}):
        response = alice_api.get(f"/api/v1/forms/{form['id']}/submissions", query)
        assert assert_error(response, 400, "VALIDATION_ERROR")["field"] == "format", query
    assert alice_api.get(f"/api/v1/forms/{form['id']}/submissions", {"format": "json"}).status_code == 200


# --- workflow definitions ------------------------------------------------------------------


def test_a_state_machine_without_states_is_a_400(alice_api):
    # next(iter({})) raised StopIteration out of the converter: a 500 on create and import.
    for path in ("/api/v1/workflows", "/api/v1/workflows/import"):
        for body in ({"name": "s", "definition": {"states": {}}}, {"name": "t", "states": {}}):
            response = alice_api.post(path, body, format="json")
            assert assert_error(response, 400, "INVALID_WORKFLOW_CONFIG")["field"] == "definition", (path, body)


def test_a_state_that_is_not_an_object_is_a_400(alice_api):
    # `state.get` on a list raised AttributeError out of the converter: a 500.
    for states in ({"a": []}, {"a": {"type": "parallel", "branches": [[]]}}):
        response = alice_api.post("/api/v1/workflows", {"name": "s", "definition": {"states": states}}, format="json")
        assert assert_error(response, 400, "INVALID_WORKFLOW_CONFIG")["field"] == "definition", states


def test_an_empty_or_repeated_cursor_is_refused(alice_api):
    for query in ("cursor=", "cursor=abc&cursor=def"):
        response = alice_api.get(f"/api/v1/executions?{query}")
        assert assert_error(response, 400, "VALIDATION_ERROR")["field"] == "cursor", query


def test_a_time_offset_postgresql_cannot_store_is_read_as_utc(alice_api):
    # ISO 8601 allows +23:56; PostgreSQL refused it (DataError, a 500).
    form = alice_api.post("/api/v1/forms", _form(), format="json").json()["data"]
    response = alice_api.get(f"/api/v1/forms/{form['id']}/submissions", {"to": "0110-08-08T22:21:33.323+23:56"})
    assert response.status_code == 200, response.content
    response = alice_api.get("/api/v1/executions", {"from": "0001-01-01T00:00:00+23:59"})
    assert assert_error(response, 400, "VALIDATION_ERROR")["field"] == "from"


def test_validating_a_definition_that_is_not_an_object_is_a_400(alice_api):
    draft = {"name": "v", "nodes": [], "edges": []}
    workflow = alice_api.post("/api/v1/workflows?validate=false", draft, format="json")
    response = alice_api.post(
        f"/api/v1/workflows/{workflow.json()['data']['id']}/validate", {"definition": [None, None]}, format="json"
    )
    assert assert_error(response, 400, "VALIDATION_ERROR")["field"] == "definition"


def test_an_optional_enum_credential_field_may_be_null(alice_api):
    components = _schema(alice_api)["components"]["schemas"]
    placement = components["ApiKeyCredentialRequest"]["properties"]["metadata"]["properties"]["placement"]
    assert None in placement["enum"]
    body = {"name": "k", "type": "api_key", "metadata": {"placement": None}, "secret": {"key": "s"}}
    assert alice_api.post("/api/v1/credentials", body, format="json").status_code == 201
