"""db.query, email.send and ai.chat run by the real engine with the project's resources.

The "Ask your database" flow: ai.chat turns a question and the schema into one SELECT,
db.query runs it read-only. When the model answers a DELETE, the guard stops it.
"""

from __future__ import annotations

import json
from datetime import UTC, datetime, timedelta

import pytest

from accounts.models import AiTokenUsage, UsageCounter
from accounts.usage import flush_usage
from integrations.nodes import register_integration_nodes
from integrations.runtime import ProjectResources, resources_services
from integrations.services import create_connection, create_credential
from tests.integrations.conftest import read_customers_postgres
from tests.integrations.stubs import StubLlm, running_stub_llm
from workflows.engine import GuardedHttpClient, InMemoryJournal, default_registry, run_workflow, validate_definition

LLM_KEY = "stub-anthropic-key"


def ask_your_database(llm_credential_id: str, connection_id: str) -> dict:
    def node(node_id, node_type, config=None):
        return {"id": node_id, "type": node_type, "name": node_id, "config": config or {}}

    return {
        "nodes": [
            node("start", "trigger.manual"),
            node(
                "ask",
                "ai.chat",
                {
                    "credential": llm_credential_id,
                    "system": 'Answer with JSON {"sql": one PostgreSQL SELECT}. Schema: {{ trigger.schema }}',
                    "prompt": "{{ trigger.question }}",
                    "json_output": True,
                },
            ),
            node("query", "db.query", {"connection": connection_id, "sql": "{{ steps.ask.output.data.sql }}"}),
        ],
        "edges": [
            {"id": "e1", "source": "start", "source_port": "out", "target": "ask"},
            {"id": "e2", "source": "ask", "source_port": "out", "target": "query"},
        ],
    }


@pytest.fixture
def stub_llm():
    with running_stub_llm(StubLlm()) as stub:
        yield stub


@pytest.fixture
def ask_flow(acme, scratch_postgres, stub_llm):
    project = acme.default_project
    llm = create_credential(
        project,
        name="stub llm",
        type="llm",
        fields={"provider": "anthropic", "base_url": stub_llm.base_url, "api_key": LLM_KEY, "default_model": "m"},
    )
    values = {"name": "pg", "host": scratch_postgres.host, "port": scratch_postgres.port}
    values |= {"database": scratch_postgres.database, "username": scratch_postgres.user, "ssl_mode": "disable"}
    connection = create_connection(project, kind="postgresql", values=values, password="pg-conn-password-9")
    services = resources_services(ProjectResources(project.id, acme.id))
    services |= {"http_client": GuardedHttpClient(allow_list=["127.0.0.1"]), "sleep": lambda seconds: None}
    return ask_your_database(llm.id, connection.id), services


def run(definition, services, question: str, journal=None, **options):
    registry = register_integration_nodes(default_registry())
    journal = journal or InMemoryJournal()
    payload = {"question": question, "schema": "customers(id, name, city)"}
    outcome = run_workflow(
        definition,
        registry=registry,
        journal=journal,
        trigger_node_id="start",
        trigger_payload=payload,
        services=services,
        sleep=lambda seconds: None,
        **options,
    )
    return outcome, journal


def test_ask_your_database_returns_rows_and_meters_the_tokens(acme, ask_flow, stub_llm, scratch_postgres):
    definition, services = ask_flow
    stub_llm.reply_text = json.dumps({"sql": "SELECT name FROM customers WHERE city = 'Oslo'"})
    outcome, journal = run(definition, services, "Who lives in Oslo?")
    assert outcome.status == "completed", outcome.error
    assert outcome.output["rows"] == [{"name": "Linus"}]
    ask_step = next(r for r in journal.records if r.node_id == "ask" and r.is_complete)
    assert ask_step.output["usage"] == {"input_tokens": 11, "output_tokens": 7}
    flush_usage(acme.id)  # usage is counted in Redis and moved to the database in batches (D19)
    assert UsageCounter.objects.get(organization=acme).ai_tokens == 18
    per_model = AiTokenUsage.objects.get(organization=acme)
    assert (per_model.input_tokens, per_model.output_tokens) == (11, 7) and per_model.model
    stored = json.dumps([r.to_dict() for r in journal.records], default=str) + json.dumps(journal.logs)
    assert LLM_KEY not in stored and "pg-conn-password-9" not in stored


def test_ask_your_database_refuses_a_delete_from_the_model_and_deletes_nothing(ask_flow, stub_llm, scratch_postgres):
    definition, services = ask_flow
    stub_llm.reply_text = json.dumps({"sql": "DELETE FROM customers"})
    outcome, _ = run(definition, services, "Delete everyone")
    assert outcome.status == "failed"
    assert outcome.error["node_id"] == "query"
    assert outcome.error["code"] == "QUERY_NOT_READ_ONLY"
    assert "Only reads are allowed" in outcome.error["message"]
    assert len(read_customers_postgres(scratch_postgres)) == 3


def test_a_rate_limited_ai_chat_parks_on_its_node_retry_policy_then_continues(ask_flow, stub_llm, scratch_postgres):
    """ai.chat's one retry policy is the node's: Retry-After 7 s parks the run, no inner loop."""
    definition, services = ask_flow
    stub_llm.rate_limited = 1
    stub_llm.reply_text = json.dumps({"sql": "SELECT name FROM customers WHERE city = 'Oslo'"})
    now = [datetime(2026, 1, 1, tzinfo=UTC)]
    first, journal = run(definition, services, "Who lives in Oslo?", journal=None, clock=lambda: now[0])
    assert first.status == "waiting"
    assert first.resume_at == now[0] + timedelta(seconds=7)
    assert first.waiting_for["kind"] == "retry"
    assert len(stub_llm.requests) == 1
    now[0] += timedelta(seconds=7)
    second, _ = run(definition, services, "Who lives in Oslo?", journal=journal, clock=lambda: now[0])
    assert second.status == "completed", second.error
    assert second.output["rows"] == [{"name": "Linus"}]
    assert len(stub_llm.requests) == 2


def test_ai_chat_declares_its_default_retry_policy():
    registry = register_integration_nodes(default_registry())
    described = {item["type"]: item for item in registry.describe()}
    assert described["ai.chat"]["default_retry"]["max_attempts"] == 4


def test_a_credential_of_another_project_cannot_be_used(ask_flow, globex):
    definition, _ = ask_flow
    outsider = resources_services(ProjectResources(globex.default_project.id, globex.id))
    outcome, _ = run(definition, outsider, "Who?")
    assert outcome.status == "failed"
    assert outcome.error["code"] == "RESOURCE_NOT_FOUND"


def test_the_node_schemas_offer_credential_pickers_filtered_by_type():
    registry = register_integration_nodes(default_registry())
    described = {item["type"]: item for item in registry.describe()}
    assert described["ai.chat"]["config_schema"]["properties"]["credential"]["x-credential-types"] == ["llm"]
    assert described["email.send"]["config_schema"]["properties"]["credential"]["x-credential-types"] == ["smtp"]
    assert "connection" in described["db.query"]["config_schema"]["required"]


def test_validation_says_an_email_needs_a_body_before_a_run():
    """Found by the issue 16 walkthrough: sending refused the email only once the run reached it."""
    registry = default_registry()
    register_integration_nodes(registry)
    definition = {
        "nodes": [
            {"id": "start", "type": "trigger.manual", "config": {}},
            {"id": "send", "type": "email.send", "config": {"to": "a@example.test", "subject": "Hi"}},
        ],
        "edges": [{"id": "e", "source": "start", "source_port": "out", "target": "send"}],
    }
    [problem] = validate_definition(definition, registry)
    assert (problem.path, problem.message) == ("nodes[1].config.text", "Fill in Text or HTML: an email needs a body")
    definition["nodes"][1]["config"]["html"] = "<p>Hi</p>"
    assert validate_definition(definition, registry) == []
