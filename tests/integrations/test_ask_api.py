"""`POST /connections/{id}/ask` (issue 24): a question in plain words → {question, sql, columns,
rows, answer}, with the local OpenAI-compatible fake model and the real PostgreSQL."""

from __future__ import annotations

import json

import pytest

from accounts.models import Role
from integrations.services import create_credential
from tests.api.test_authentication import assert_error
from tests.integrations.conftest import read_customers_postgres
from tests.integrations.stubs import StubLlm, running_stub_llm
from tests.integrations.test_connections_api import pg_connection  # noqa: F401 (a fixture)

pytestmark = pytest.mark.django_db


@pytest.fixture
def fake_model():
    with running_stub_llm(StubLlm()) as stub:
        yield stub


@pytest.fixture
def llm_credential(acme, fake_model):
    fields = {"provider": "openai_compatible", "base_url": fake_model.base_url, "api_key": "stub-openai-key"}
    return create_credential(acme.default_project, name="model", type="llm", fields={**fields, "default_model": "m1"})


def ask_url(connection: dict) -> str:
    return f"/api/v1/connections/{connection['id']}/ask"


def test_a_question_gets_the_sql_named_rows_and_a_sentence(alice_api, pg_connection, llm_credential, fake_model):  # noqa: F811
    url = f"/api/v1/connections/{pg_connection['id']}"
    response = alice_api.patch(url, {"ai_excluded": ["customers.city"]}, format="json")
    assert response.status_code == 200 and response.json()["data"]["ai_excluded"] == ["customers.city"]
    fake_model.replies = [json.dumps({"sql": "SELECT id, name FROM customers ORDER BY id LIMIT 2"}), "Ada and Grace."]
    response = alice_api.post(ask_url(pg_connection), {"question": "Who came first?"}, format="json")
    assert response.status_code == 200, response.content
    data = response.json()["data"]
    assert data["question"] == "Who came first?" and data["answer"] == "Ada and Grace."
    assert data["sql"] == "SELECT id, name FROM customers ORDER BY id LIMIT 2"
    assert data["columns"] == [{"name": "id", "type": "int4"}, {"name": "name", "type": "text"}]
    assert data["rows"] == [{"id": 1, "name": "Ada"}, {"id": 2, "name": "Grace"}]
    assert data["repaired"] is False and data["usage"] == {"input_tokens": 26, "output_tokens": 10, "calls": 2}
    system = fake_model.requests[0]["body"]["messages"][0]["content"]
    assert "customers(id integer PK, name text)" in system  # city is excluded


def test_an_injected_drop_is_a_422_and_the_table_stays(
    alice_api, pg_connection, llm_credential, fake_model, scratch_postgres  # noqa: F811
):
    fake_model.replies = [json.dumps({"sql": "DROP TABLE customers"})]
    response = alice_api.post(ask_url(pg_connection), {"question": "drop it"}, format="json")
    assert_error(response, 422, "QUERY_NOT_READ_ONLY")
    assert len(read_customers_postgres(scratch_postgres)) == 3


def test_which_llm_credential_must_be_clear(acme, alice_api, pg_connection, fake_model):  # noqa: F811
    url = ask_url(pg_connection)
    response = alice_api.post(url, {"question": "?"}, format="json")
    assert_error(response, 400, "VALIDATION_ERROR")
    assert response.json()["error"]["field"] == "credential_id"
    unknown = {"question": "?", "credential_id": "cred_nope"}
    assert_error(alice_api.post(url, unknown, format="json"), 400, "VALIDATION_ERROR")
    assert_error(alice_api.post(url, {}, format="json"), 400, "MISSING_REQUIRED_FIELD")
    assert not fake_model.requests


def test_a_rest_connection_has_nothing_to_ask(alice_api, llm_credential):
    payload = {"name": "api", "kind": "rest", "base_url": "https://api.example.com"}
    rest = alice_api.post("/api/v1/connections", payload, format="json").json()["data"]
    assert_error(alice_api.post(ask_url(rest), {"question": "?"}, format="json"), 400, "VALIDATION_ERROR")


def test_excluded_names_are_checked(alice_api, pg_connection):  # noqa: F811
    url = f"/api/v1/connections/{pg_connection['id']}"
    for bad in (["a..b"], ["has space"], ["a.b.c.d"], "payroll"):
        assert_error(alice_api.patch(url, {"ai_excluded": bad}, format="json"), 400, "VALIDATION_ERROR")


def test_viewers_and_outsiders_cannot_ask(acme, make_key, api_client_for, charlie_api, pg_connection):  # noqa: F811
    _, plaintext = make_key(acme, Role.VIEWER)
    viewer = api_client_for(plaintext)
    assert_error(viewer.post(ask_url(pg_connection), {"question": "?"}, format="json"), 403, "FORBIDDEN")
    assert_error(charlie_api.post(ask_url(pg_connection), {"question": "?"}, format="json"), 404, "NOT_FOUND")


def test_the_schema_answer_names_keys(alice_api, pg_connection):  # noqa: F811
    tables = alice_api.get(f"/api/v1/connections/{pg_connection['id']}/schema").json()["data"]["tables"]
    customers = next(table for table in tables if table["name"] == "customers")
    first = customers["columns"][0]
    assert (first["name"], first["primary_key"], first["references"]) == ("id", True, None)


def test_the_operation_is_in_the_openapi_schema_with_its_errors():
    from django.test import Client

    schema = Client().get("/api/v1/schema/", HTTP_ACCEPT="application/vnd.oai.openapi+json").json()
    operation = schema["paths"]["/api/v1/connections/{id}/ask"]["post"]
    assert {"200", "400", "401", "403", "404", "422", "429", "502"} <= set(operation["responses"])
    request = operation["requestBody"]["content"]["application/json"]["schema"]["$ref"].rsplit("/", 1)[-1]
    assert schema["components"]["schemas"][request]["required"] == ["question"]
    answer = schema["components"]["schemas"]["AskAnswer"]["properties"]
    assert {"question", "sql", "columns", "rows", "answer"} <= set(answer)


def test_a_value_without_a_json_form_is_a_422_not_a_500(alice_api, pg_connection, llm_credential, fake_model):  # noqa: F811
    fake_model.replies = [json.dumps({"sql": "SELECT int4range(1, 5) AS span"})]
    response = alice_api.post(ask_url(pg_connection), {"question": "?", "answer_in_words": False}, format="json")
    assert_error(response, 422, "OUTPUT_NOT_JSON")
    assert "answer.rows[0].span" in response.json()["error"]["message"]
