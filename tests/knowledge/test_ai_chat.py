"""ai.chat with a knowledge_base, against the local OpenAI-compatible stub server (no mocks)."""

from __future__ import annotations

import re

import pytest

from integrations.nodes import register_integration_nodes
from integrations.runtime import ProjectResources, resources_services
from integrations.services import create_credential
from knowledge.grounding import KnowledgeAccess
from knowledge.services import create_knowledge_base
from tests.integrations.stubs import StubLlm, running_stub_llm
from workflows.engine import GuardedHttpClient, InMemoryJournal, default_registry, run_workflow


class CitingLlm(StubLlm):
    """Answers like a model following the instructions: the first passage's first sentence, cited."""

    def answer(self, path, headers, body):
        status, extra, payload = super().answer(path, headers, body)
        system = next((m["content"] for m in body.get("messages", []) if m["role"] == "system"), "")
        passage = re.search(r"^\[1\] [^\n]*\n(.+?\.)", system, re.MULTILINE | re.DOTALL)
        text = f"{passage.group(1)} [1]" if passage else "I could not find an answer in the knowledge base."
        payload["choices"][0]["message"]["content"] = text
        return status, extra, payload


@pytest.fixture
def llm():
    with running_stub_llm(CitingLlm()) as stub:
        yield stub


@pytest.fixture
def services(acme, llm):
    project = acme.default_project
    credential = create_credential(
        project,
        name="openai",
        type="llm",
        fields={
            "provider": "openai_compatible",
            "base_url": llm.base_url,
            "api_key": "stub-openai-key",
            "default_model": "gpt-stub",
        },
    )
    found = resources_services(ProjectResources(project.id, acme.id))
    found |= {"http_client": GuardedHttpClient(allow_list=["127.0.0.1"]), "knowledge": KnowledgeAccess(project.id)}
    return credential.id, found


def run_chat(services, config: dict, question: str):
    credential_id, found = services
    definition = {
        "nodes": [
            {"id": "start", "type": "trigger.manual", "name": "start", "config": {}},
            {
                "id": "answer",
                "type": "ai.chat",
                "name": "answer",
                "config": {"credential": credential_id, "prompt": "{{ trigger.question }}", **config},
            },
        ],
        "edges": [{"id": "e1", "source": "start", "source_port": "out", "target": "answer"}],
    }
    return run_workflow(
        definition,
        registry=register_integration_nodes(default_registry()),
        journal=InMemoryJournal(),
        trigger_node_id="start",
        trigger_payload={"question": question},
        services=found,
        sleep=lambda s: None,
    )


def test_the_prompt_holds_the_passage_and_the_answer_cites_it(support_kb, services, llm):
    outcome = run_chat(
        services, {"knowledge_base": support_kb.id, "system": "You are Acme's helper."}, "When will I get my refund?"
    )
    assert outcome.status == "completed", outcome.error
    sent = llm.requests[-1]["body"]["messages"]
    system = sent[0]["content"]
    assert sent[0]["role"] == "system" and system.startswith("You are Acme's helper.")
    assert "[1] Acme Support FAQ — Acme Support FAQ › Returns and refunds › When will I get my refund?" in system
    assert "Refunds are paid to the original payment method within 5 business days" in system
    assert sent[-1] == {"role": "user", "content": "When will I get my refund?"}
    output = outcome.output
    assert output["found"] is True
    assert output["text"].endswith("[1]") and "Refunds are paid" in output["text"]
    first = output["sources"][0]
    assert first["n"] == 1 and first["document_title"] == "Acme Support FAQ"
    assert first["heading"].endswith("When will I get my refund?")
    assert support_kb.documents.filter(pk=first["document_id"]).exists()


def test_nothing_found_tells_the_model_and_says_found_false(support_kb, services, llm):
    outcome = run_chat(services, {"knowledge_base": support_kb.id}, "Quantum chromodynamics lattice?")
    assert outcome.status == "completed", outcome.error
    system = llm.requests[-1]["body"]["messages"][0]["content"]
    assert "has nothing relevant to this question" in system and "[1]" not in system
    assert outcome.output["found"] is False and outcome.output["sources"] == []
    assert "could not find" in outcome.output["text"]


def test_a_knowledge_base_may_be_named_as_an_imported_configuration_does(support_kb, services, llm):
    outcome = run_chat(services, {"knowledge_base": "Support"}, "When will I get my refund?")
    assert outcome.output["found"] is True
    assert outcome.output["sources"][0]["heading"].endswith("When will I get my refund?")


def test_the_passage_count_follows_knowledge_limit(support_kb, services, llm):
    outcome = run_chat(services, {"knowledge_base": support_kb.id, "knowledge_limit": 1}, "refund return delivery")
    assert len(outcome.output["sources"]) == 1


def test_a_knowledge_base_of_another_project_is_not_found(globex, services, llm):
    foreign = create_knowledge_base(globex.default_project, name="Theirs")
    outcome = run_chat(services, {"knowledge_base": foreign.id}, "refund")
    assert outcome.status == "failed"
    assert outcome.error["code"] == "RESOURCE_NOT_FOUND"
    assert llm.requests == []


def test_without_a_knowledge_base_the_output_is_unchanged(services, llm):
    outcome = run_chat(services, {}, "hello")
    assert "sources" not in outcome.output and "found" not in outcome.output


def test_runs_get_the_knowledge_service_and_the_schema_offers_a_picker(acme):
    from workflows.lifecycle import engine_services
    from workflows.models import Execution, Workflow
    from workflows.nodes import get_registry

    schema = get_registry().get("ai.chat").config_schema["properties"]["knowledge_base"]
    assert schema["x-knowledge-base"] is True
    workflow = Workflow.objects.create(project=acme.default_project, name="w", definition={"nodes": [], "edges": []})
    execution = Execution(project=acme.default_project, workflow=workflow)
    assert engine_services(execution)["knowledge"].project_id == acme.default_project.id
