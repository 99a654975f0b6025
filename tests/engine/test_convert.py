"""Converters between canonical nodes/edges and the seeds' `states` and `configuration` forms."""

from __future__ import annotations

import pytest

from workflows.engine import (
    default_registry,
    detect_format,
    from_canonical,
    to_canonical,
    validate_definition,
)

# The state machine from the seed page (002): a linear chain of tasks ending in succeed.
SEED_STATES = {
    "states": {
        "initial": {"type": "task", "task": "validateCustomerData", "next": "createAccount"},
        "createAccount": {"type": "task", "task": "createCustomerAccount", "next": "sendWelcomeEmail"},
        "sendWelcomeEmail": {"type": "task", "task": "sendEmail", "next": "complete"},
        "complete": {"type": "succeed"},
    },
    "functions": ["validateCustomerData", "createCustomerAccount", "sendEmail"],
}

# The chatbot workflow from the seed page (004), including its dangling `confirmation`.
SEED_CONFIGURATION = {
    "channel": "whatsapp",
    "configuration": {
        "trigger": {"type": "message", "keywords": ["start", "begin", "new"]},
        "nodes": [
            {
                "id": "welcome",
                "type": "message",
                "content": "Welcome! Let's get you started.",
                "next": "collect_info",
            },
            {
                "id": "collect_info",
                "type": "form",
                "fields": [{"name": "name", "type": "text", "required": True, "label": "What's your name?"}],
                "next": "confirmation",
            },
        ],
    },
}

RICHER_STATES = {
    "states": {
        "check": {
            "type": "choice",
            "choices": [{"condition": "{{ input.amount > 100 }}", "next": "hold"}],
            "default": "fanout",
        },
        "hold": {"type": "wait", "seconds": 60, "next": "fanout"},
        "fanout": {
            "type": "parallel",
            "branches": [
                {"start_at": "left", "states": {"left": {"type": "task", "task": "a"}}},
                {
                    "start_at": "right",
                    "states": {"right": {"type": "task", "task": "b", "parameters": {"x": 1}}},
                },
            ],
            "next": "finish",
        },
        "finish": {"type": "fail", "error": "STOPPED", "cause": "done here"},
    },
    "functions": ["a", "b"],
}


def _normalised(canonical: dict) -> dict:
    nodes = sorted((n["id"], n["type"], repr(n.get("config"))) for n in canonical["nodes"])
    edges = sorted((e["source"], e.get("source_port", "out"), e["target"]) for e in canonical["edges"])
    return {"nodes": nodes, "edges": edges}


def test_it_detects_each_format():
    assert detect_format(SEED_STATES) == "states"
    assert detect_format(SEED_CONFIGURATION) == "configuration"
    assert detect_format({"nodes": [], "edges": []}) == "nodes"
    with pytest.raises(ValueError, match="unrecognised"):
        detect_format({"steps": []})


def test_the_seed_state_machine_becomes_a_valid_canonical_flow():
    canonical = to_canonical(SEED_STATES)
    assert validate_definition(canonical, default_registry()) == []
    assert canonical["edges"][0]["target"] == "initial"


@pytest.mark.parametrize("states", [SEED_STATES, RICHER_STATES])
def test_states_survive_a_round_trip_through_canonical(states):
    assert from_canonical(to_canonical(states), "states") == states


def test_the_richer_state_machine_validates_after_conversion():
    assert validate_definition(to_canonical(RICHER_STATES), default_registry()) == []


def test_the_seed_chatbot_survives_a_round_trip_through_canonical():
    assert from_canonical(to_canonical(SEED_CONFIGURATION), "configuration") == SEED_CONFIGURATION


def test_the_chatbot_message_becomes_a_chat_message_node():
    canonical = to_canonical(SEED_CONFIGURATION)
    welcome = next(n for n in canonical["nodes"] if n["id"] == "welcome")
    assert welcome["type"] == "chat.message"
    assert welcome["config"] == {"text": "Welcome! Let's get you started."}
    collect = next(n for n in canonical["nodes"] if n["id"] == "collect_info")
    assert collect["type"] == "chat.form"
    problems = {(p.path, p.code) for p in validate_definition(canonical, default_registry())}
    assert not any(path == "nodes[2].type" for path, _ in problems)  # chat.form is built in
    assert any(code == "DANGLING_EDGE" for _, code in problems)


def test_canonical_survives_a_round_trip_through_states():
    canonical = {
        "nodes": [
            {"id": "trigger", "type": "trigger.manual", "config": {}},
            {"id": "call", "type": "http.request", "config": {"url": "https://x"}},
            {"id": "recover", "type": "function.call", "config": {"function": "cleanup"}},
            {"id": "done", "type": "logic.succeed", "config": {}},
        ],
        "edges": [
            {"id": "1", "source": "trigger", "source_port": "out", "target": "call"},
            {"id": "2", "source": "call", "source_port": "out", "target": "done"},
            {"id": "3", "source": "call", "source_port": "error", "target": "recover"},
        ],
    }
    back = to_canonical(from_canonical(canonical, "states"))
    assert _normalised(back) == _normalised(canonical)


def test_it_refuses_to_export_a_plain_fan_out_as_states():
    canonical = {
        "nodes": [
            {"id": "trigger", "type": "trigger.manual", "config": {}},
            {"id": "a", "type": "logic.succeed", "config": {}},
            {"id": "b", "type": "logic.succeed", "config": {}},
        ],
        "edges": [
            {"id": "1", "source": "trigger", "source_port": "out", "target": "a"},
            {"id": "2", "source": "a", "source_port": "error", "target": "b"},
            {"id": "3", "source": "a", "source_port": "error", "target": "trigger"},
        ],
    }
    with pytest.raises(ValueError, match="fans out"):
        from_canonical(canonical, "states")


def test_a_converted_state_machine_runs(run):
    canonical = to_canonical(SEED_STATES)
    services = {"functions": {name: (lambda data, n=name: [*data, n]) for name in SEED_STATES["functions"]}}
    outcome = run(canonical, [], trigger_node_id="trigger", services=services)
    assert outcome.output == ["validateCustomerData", "createCustomerAccount", "sendEmail"]
