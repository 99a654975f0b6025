"""The state-machine seed's "Customer Onboarding" example, end to end.

Imported before its functions exist, it reports each missing one as a problem with a
"create it" action and refuses to start (no run that fails at its first state). Once its
three functions exist — a code function, an AI function against a local OpenAI-compatible
stub and an HTTP function against a local server — it runs to `completed`.
"""

from __future__ import annotations

import json

import pytest

from accounts.models import AiTokenUsage
from tests.api.test_authentication import assert_error
from tests.integrations.stubs import StubLlm, running_stub_llm
from workflows.models import Execution

pytestmark = pytest.mark.django_db

# As the seed page gives it (POST /workflows).
ONBOARDING = {
    "name": "Customer Onboarding",
    "description": "Workflow for onboarding new customers",
    "states": {
        "initial": {"type": "task", "task": "validateCustomerData", "next": "createAccount"},
        "createAccount": {"type": "task", "task": "createCustomerAccount", "next": "sendWelcomeEmail"},
        "sendWelcomeEmail": {"type": "task", "task": "sendEmail", "next": "complete"},
        "complete": {"type": "succeed"},
    },
    "functions": ["validateCustomerData", "createCustomerAccount", "sendEmail"],
}
CUSTOMER = {"customer": {"name": "John Doe", "email": "john.doe@example.com", "company": "Acme Inc."}}

VALIDATE = """
def main(input, ctx):
    customer = input["customer"]
    if "@" not in customer.get("email", ""):
        raise ValueError("the customer has no valid email")
    ctx.log("valid:", customer["email"])
    return {"valid": True, "customer": customer}
"""


def define_functions(api, llm_url: str, mail_url: str) -> None:
    credential = api.post("/api/v1/credentials", {
        "name": "Stub LLM", "type": "llm",
        "metadata": {"provider": "openai_compatible", "base_url": llm_url, "default_model": "stub-model"},
        "secret": {"api_key": "stub-openai-key"},
    }, format="json")  # fmt: skip
    assert credential.status_code == 201, credential.content
    functions = [
        {"name": "validateCustomerData", "kind": "code", "language": "python", "source": VALIDATE},
        {"name": "createCustomerAccount", "kind": "ai", "spec": {
            "prompt": "Create an account id for {{ input.customer.name }} of {{ input.customer.company }}.",
            "input_schema": {"type": "object", "required": ["customer"]},
            "output_schema": {"type": "object", "required": ["accountId"],
                              "properties": {"accountId": {"type": "string", "pattern": "^account_"}}},
            "credential": credential.json()["data"]["id"],
        }},
        {"name": "sendEmail", "kind": "http", "spec": {
            "method": "POST", "url": mail_url,
            "body": {"to": "john.doe@example.com", "account": "{{ input.accountId }}"},
            "response": {"welcomeEmailSent": "{{ response.status == 200 }}", "account": "{{ input.accountId }}"},
        }},
    ]  # fmt: skip
    for function in functions:
        response = api.post("/api/v1/functions", function, format="json")
        assert response.status_code == 201, response.content


def test_importing_it_reports_each_missing_function_with_a_create_action(alice_api):
    created = alice_api.post("/api/v1/workflows", ONBOARDING, format="json")
    assert created.status_code == 201, created.content
    problems = created.json()["data"]["problems"]
    assert [p["code"] for p in problems] == ["UNKNOWN_FUNCTION"] * 3
    assert {p["node_id"] for p in problems} == {"initial", "createAccount", "sendWelcomeEmail"}
    action = next(p["action"] for p in problems if p["node_id"] == "initial")
    assert action["label"] == "Create function validateCustomerData"
    assert action["api"] == {"method": "POST", "path": "/api/v1/functions", "body": {"name": "validateCustomerData"}}
    workflow_id = created.json()["data"]["id"]
    validated = alice_api.post(f"/api/v1/workflows/{workflow_id}/validate", {}, format="json").json()["data"]
    assert validated["valid"] is False and len(validated["problems"]) == 3
    error = assert_error(alice_api.post(f"/api/v1/workflows/{workflow_id}/execute", {"input": CUSTOMER},
                                        format="json"), 400, "INVALID_WORKFLOW_CONFIG")  # fmt: skip
    assert error["details"]["problems"][0]["code"] == "UNKNOWN_FUNCTION"
    assert not Execution.objects.exists()


def test_it_runs_to_completed_once_its_three_functions_exist(alice_api, acme, http_server, run_now):
    stub = StubLlm(reply_text=json.dumps({"accountId": "account_456"}))
    with running_stub_llm(stub):
        define_functions(alice_api, stub.base_url, http_server.url)
        workflow = alice_api.post("/api/v1/workflows", ONBOARDING, format="json").json()["data"]
        assert workflow["problems"] == []
        started = alice_api.post(f"/api/v1/workflows/{workflow['id']}/execute", {"input": CUSTOMER}, format="json")
        assert started.status_code == 202, started.content
        run_now(started.json()["data"]["execution_id"])
    execution = alice_api.get(f"/api/v1/executions/{started.json()['data']['execution_id']}").json()["data"]
    assert execution["status"] == "completed", execution["error"]
    assert execution["output"] == {"welcomeEmailSent": True, "account": "account_456"}
    outputs = {step["node_id"]: step["output"] for step in execution["steps"]}
    assert outputs["initial"] == {"valid": True, **CUSTOMER}
    assert outputs["createAccount"] == {"accountId": "account_456"}
    assert json.loads(http_server.received[0]["body"]) == {"to": "john.doe@example.com", "account": "account_456"}
    assert "John Doe of Acme Inc." in stub.requests[0]["body"]["messages"][-1]["content"]
    assert AiTokenUsage.objects.filter(organization=acme).exists()


def test_the_ai_function_retries_once_with_the_validation_error_then_fails_clearly(alice_api, http_server):
    stub = StubLlm(reply_text=json.dumps({"account": "nope"}))
    with running_stub_llm(stub):
        define_functions(alice_api, stub.base_url, http_server.url)
        function = alice_api.get("/api/v1/functions?search=createCustomer").json()["data"][0]
        result = alice_api.post(f"/api/v1/functions/{function['id']}/test", {"input": CUSTOMER},
                                format="json").json()["data"]  # fmt: skip
    assert result["ok"] is False
    assert result["error"]["code"] == "AI_OUTPUT_INVALID"
    assert len(stub.requests) == 2
    assert "did not match the JSON Schema" in stub.requests[1]["body"]["messages"][-1]["content"]


def test_a_bad_function_fails_its_run_with_a_clear_message(alice_api, http_server, run_now):
    stub = StubLlm(reply_text=json.dumps({"accountId": "account_456"}))
    with running_stub_llm(stub):
        define_functions(alice_api, stub.base_url, http_server.url)
        workflow = alice_api.post("/api/v1/workflows", ONBOARDING, format="json").json()["data"]
        bad = {"input": {"customer": {"name": "No Mail", "email": "none"}}}
        started = alice_api.post(f"/api/v1/workflows/{workflow['id']}/execute", bad, format="json").json()["data"]
        run_now(started["execution_id"])
    execution = alice_api.get(f"/api/v1/executions/{started['execution_id']}").json()["data"]
    assert execution["status"] == "failed"
    assert execution["error"]["code"] == "FUNCTION_ERROR"
    assert "ValueError: the customer has no valid email" in execution["error"]["message"]
