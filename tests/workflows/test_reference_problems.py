"""Validate knows the project: forms, credentials, connections and sub-workflows (issue 16, item 3)."""

from __future__ import annotations

import pytest

from forms_app import services as form_services
from integrations import services as integration_services
from tests.workflows.conftest import edge, node

pytestmark = pytest.mark.django_db


def validate(alice_api, workflow, definition: dict) -> list[dict]:
    response = alice_api.post(f"/api/v1/workflows/{workflow.id}/validate", {"definition": definition}, format="json")
    assert response.status_code == 200, response.content
    return response.json()["data"]["problems"]


def codes(problems: list[dict]) -> set[tuple[str, str]]:
    return {(problem["path"], problem["code"]) for problem in problems}


def test_a_form_trigger_naming_a_missing_form_is_a_problem(alice_api, make_workflow, acme):
    workflow = make_workflow()
    definition = {"nodes": [node("form", "trigger.form", {"form_id": "form_nope"})], "edges": []}
    [problem] = validate(alice_api, workflow, definition)
    assert (problem["path"], problem["code"], problem["node_id"]) == (
        "nodes[0].config.form_id",
        "FORM_NOT_FOUND",
        "form",
    )
    assert problem["link"] == "/forms/"

    form = form_services.create_form(acme.default_project, name="Contact", slug="contact-16")
    for named in (form.id, form.slug):
        assert (
            validate(alice_api, workflow, {"nodes": [node("form", "trigger.form", {"form_id": named})], "edges": []})
            == []
        )


def test_an_empty_form_trigger_asks_to_choose_a_form_in_plain_words(alice_api, make_workflow):
    workflow = make_workflow()
    [problem] = validate(alice_api, workflow, {"nodes": [node("form", "trigger.form")], "edges": []})
    assert problem["code"] == "SETUP_REQUIRED"
    assert problem["message"] == "Set up first: choose the form that starts this flow"


def test_another_projects_form_does_not_count(alice_api, make_workflow, globex):
    other = form_services.create_form(globex.default_project, name="Theirs")
    workflow = make_workflow()
    problems = validate(alice_api, workflow, {"nodes": [node("f", "trigger.form", {"form_id": other.id})], "edges": []})
    assert codes(problems) == {("nodes[0].config.form_id", "FORM_NOT_FOUND")}


def test_credentials_must_exist_and_be_of_an_accepted_type(alice_api, make_workflow, acme):
    smtp = integration_services.create_credential(
        acme.default_project, name="Mail", type="smtp", fields={"host": "mail.test", "from_email": "a@b.test"}
    )
    bearer = integration_services.create_credential(
        acme.default_project, name="CRM", type="bearer", fields={"token": "t0ken"}
    )
    workflow = make_workflow()

    def http(credential: str) -> dict:
        return {
            "nodes": [
                node("start", "trigger.manual"),
                node("call", "http.request", {"url": "https://api.acme.io/x", "credential": credential}),
            ],
            "edges": [edge("start", "call")],
        }

    assert codes(validate(alice_api, workflow, http("cred_missing"))) == {
        ("nodes[1].config.credential", "CREDENTIAL_NOT_FOUND")
    }
    [wrong] = validate(alice_api, workflow, http(smtp.id))
    assert wrong["code"] == "CREDENTIAL_WRONG_TYPE" and "Mail" in wrong["message"]
    assert validate(alice_api, workflow, http(bearer.id)) == []


def test_a_required_credential_not_chosen_yet_links_to_creating_one(alice_api, make_workflow):
    workflow = make_workflow()
    definition = {
        "nodes": [node("start", "trigger.manual"), node("ask", "ai.chat", {"prompt": "Hi"})],
        "edges": [edge("start", "ask")],
    }
    [problem] = validate(alice_api, workflow, definition)
    assert problem["code"] == "SETUP_REQUIRED"
    assert problem["link"] == "/credentials/new/llm/"
    assert "required property" not in problem["message"]


def test_connections_and_sub_workflows_must_exist(alice_api, make_workflow):
    workflow = make_workflow()
    definition = {
        "nodes": [
            node("start", "trigger.manual"),
            node("query", "db.query", {"connection": "conn_missing", "sql": "SELECT 1"}),
            node("child", "logic.sub_workflow", {"workflow_id": "wf_missing"}),
            node("self", "logic.sub_workflow", {"workflow_id": workflow.id}),
        ],
        "edges": [edge("start", "query"), edge("query", "child"), edge("child", "self")],
    }
    assert codes(validate(alice_api, workflow, definition)) == {
        ("nodes[1].config.connection", "CONNECTION_NOT_FOUND"),
        ("nodes[2].config.workflow_id", "WORKFLOW_NOT_FOUND"),
    }


def test_a_placeholder_address_asks_for_the_real_one(alice_api, make_workflow):
    workflow = make_workflow()
    definition = {
        "nodes": [
            node("start", "trigger.manual"),
            node("call", "http.request", {"url": "https://api.example.com/approvals"}),
        ],
        "edges": [edge("start", "call")],
    }
    [problem] = validate(alice_api, workflow, definition)
    assert problem["code"] == "SETUP_REQUIRED" and "api.example.com" in problem["message"]


def test_a_malformed_expression_is_reported_by_validate_with_its_position(alice_api, make_workflow):
    workflow = make_workflow()
    definition = {
        "nodes": [node("start", "trigger.manual"), node("check", "logic.if", {"condition": "{{ input.amount > }}"})],
        "edges": [edge("start", "check")],
    }
    [problem] = validate(alice_api, workflow, definition)
    assert (problem["node_id"], problem["code"], problem["position"]) == ("check", "EXPRESSION_SYNTAX", 0)
