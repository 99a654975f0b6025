from __future__ import annotations

from tests.engine.support import link, node
from workflows.engine import default_registry, validate_definition


def _problems(definition: dict) -> set[tuple[str, str]]:
    return {(p.path, p.code) for p in validate_definition(definition, default_registry())}


def _valid_flow() -> dict:
    return {
        "nodes": [
            node("start", "trigger.webhook", {"methods": ["POST"]}),
            node("check", "logic.if", {"condition": "{{ input.amount > vars.threshold }}"}),
            node("call", "http.request", {"url": "https://example.com"}),
            node("done", "logic.succeed"),
        ],
        "edges": [link("start", "check"), link("check", "call", "true"), link("call", "done")],
        "variables": {"threshold": 100},
        "settings": {"max_steps": 100},
    }


def test_a_valid_definition_has_no_problems():
    assert validate_definition(_valid_flow(), default_registry()) == []


def test_it_reports_every_structural_problem_at_once():
    definition = {
        "nodes": [
            node("start", "trigger.manual"),
            {"type": "data.set"},
            node("start", "data.set", {"fields": {}}),
            node("bad id!", "data.set", {"fields": {}}),
            node("mystery", "nope.unknown"),
            "not a node",
        ],
        "edges": [link("start", "ghost"), {"id": "e2", "source": "start"}],
    }
    assert _problems(definition) >= {
        ("nodes[1].id", "MISSING_ID"),
        ("nodes[2].id", "DUPLICATE_NODE_ID"),
        ("nodes[3].id", "INVALID_ID"),
        ("nodes[4].type", "UNKNOWN_NODE_TYPE"),
        ("nodes[5]", "NOT_AN_OBJECT"),
        ("edges[0].target", "DANGLING_EDGE"),
        ("edges[1].target", "MISSING_TARGET"),
    }


def test_it_refuses_nodes_and_edges_that_are_not_lists():
    assert _problems({"nodes": {}, "edges": "x"}) == {
        ("nodes", "NOT_A_LIST"),
        ("edges", "NOT_A_LIST"),
        ("nodes", "NO_TRIGGER"),
    }


def test_it_points_config_problems_at_the_field():
    definition = _valid_flow()
    definition["nodes"][2]["config"] = {"method": "BREW", "timeout_seconds": "soon"}
    definition["nodes"].append(
        node("cron", "trigger.schedule", {"cron": "every minute", "timezone": "Mars/Base"})
    )
    assert _problems(definition) >= {
        ("nodes[2].config.url", "INVALID_NODE_CONFIG"),
        ("nodes[2].config.method", "INVALID_NODE_CONFIG"),
        ("nodes[2].config.timeout_seconds", "INVALID_NODE_CONFIG"),
        ("nodes[4].config.cron", "INVALID_NODE_CONFIG"),
        ("nodes[4].config.timezone", "INVALID_NODE_CONFIG"),
    }


def test_it_points_nested_config_problems_down_the_list():
    definition = _valid_flow()
    definition["nodes"][1] = node("check", "logic.switch", {"cases": ["a", {"port": "b"}]})
    definition["edges"][1] = link("check", "call", "a")
    assert ("nodes[1].config.cases[1]", "INVALID_NODE_CONFIG") in _problems(definition)


def test_it_reports_edge_problems():
    definition = _valid_flow()
    definition["edges"] += [
        link("call", "done"),
        {**link("check", "done", "false"), "id": "start-out-check"},
        link("check", "done", "maybe"),
        link("done", "start"),
    ]
    assert _problems(definition) >= {
        ("edges[3]", "DUPLICATE_EDGE"),
        ("edges[4].id", "DUPLICATE_EDGE_ID"),
        ("edges[5].source_port", "UNKNOWN_PORT"),
        ("edges[6].target", "EDGE_INTO_TRIGGER"),
    }


def test_switch_cases_and_the_error_port_are_known_ports():
    definition = _valid_flow()
    definition["nodes"][1] = node(
        "check", "logic.switch", {"value": "{{ input.plan }}", "cases": ["free", "pro"]}
    )
    definition["edges"][1] = link("check", "call", "pro")
    definition["edges"].append(link("call", "done", "error"))
    definition["edges"].append(link("check", "done", "default"))
    assert validate_definition(definition, default_registry()) == []


def test_it_reports_unreachable_nodes_and_a_missing_trigger():
    definition = _valid_flow()
    definition["nodes"].append(node("orphan", "data.set", {"fields": {}}))
    assert ("nodes[4]", "UNREACHABLE_NODE") in _problems(definition)
    no_trigger = {"nodes": [node("a", "data.set", {"fields": {}})], "edges": []}
    assert _problems(no_trigger) == {("nodes", "NO_TRIGGER")}


def test_it_refuses_a_cycle_outside_a_loop():
    definition = _valid_flow()
    definition["nodes"].append(node("again", "data.set", {"fields": {}}))
    definition["edges"] += [link("call", "again"), link("again", "check")]
    assert ("nodes[1]", "CYCLE") in _problems(definition)


def test_it_accepts_the_back_edge_of_a_for_each_loop():
    definition = {
        "nodes": [
            node("start", "trigger.manual"),
            node("each", "logic.for_each", {"items": "{{ input }}"}),
            node("body", "data.set", {"fields": {"x": "{{ input }}"}}),
        ],
        "edges": [link("start", "each"), link("each", "body", "loop"), link("body", "each")],
    }
    assert validate_definition(definition, default_registry()) == []


def test_it_checks_retry_and_timeout_settings():
    definition = _valid_flow()
    definition["nodes"][2]["retry"] = {"max_attempts": -1, "jitter": 1}
    definition["nodes"][2]["timeout_seconds"] = 0
    assert _problems(definition) >= {
        ("nodes[2].retry.max_attempts", "INVALID_RETRY"),
        ("nodes[2].retry.jitter", "INVALID_RETRY"),
        ("nodes[2].timeout_seconds", "INVALID_TIMEOUT"),
    }


def test_problems_serialise_to_dicts():
    problem = validate_definition({"nodes": []}, default_registry())[0]
    assert problem.to_dict() == {"path": "nodes", "code": "NO_TRIGGER", "message": problem.message}
