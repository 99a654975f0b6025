"""Pinned test data and sticky notes in a definition (docs/design.md D24)."""

from __future__ import annotations

from tests.engine.support import flow, link, node, probe_calls
from workflows.engine import Definition, InMemoryJournal, validate_definition

TEST_RUN = {"id": "exec-1", "workflow_id": "wf-1", "mode": "test"}


def _pinned_flow() -> dict:
    definition = flow(
        [node("call", "test.probe", {"output": "live"}), node("after", "data.set", {"fields": {"got": "{{ input }}"}})],
        [link("start", "call"), link("call", "after")],
    )
    definition["pinned"] = {"call": {"output": {"status": 200, "body": "pinned"}}}
    return definition


def test_a_test_run_uses_the_pinned_output_instead_of_running_the_node(run, journal):
    outcome = run(_pinned_flow(), {}, execution=TEST_RUN)
    assert probe_calls("call") == 0
    assert outcome.output == {"got": {"status": 200, "body": "pinned"}}
    record = next(r for r in journal.records if r.step_key == "call")
    assert (record.status, record.output_port, record.output) == ("succeeded", "out", {"status": 200, "body": "pinned"})


def test_a_production_run_never_uses_pinned_data(run):
    outcome = run(_pinned_flow(), {}, execution={"id": "exec-1", "workflow_id": "wf-1", "mode": "manual"})
    assert probe_calls("call") == 1
    assert outcome.output == {"got": "live"}


def test_a_pinned_branch_node_leaves_by_the_port_pinned_with_it(run):
    definition = flow(
        [
            node("check", "logic.if", {"condition": "{{ true }}"}),
            node("yes", "test.probe", {"output": "yes"}),
            node("no", "test.probe", {"output": "no"}),
        ],
        [link("start", "check"), link("check", "yes", "true"), link("check", "no", "false")],
    )
    definition["pinned"] = {"check": {"output": {}, "port": "false"}}
    assert run(definition, {}, execution=TEST_RUN).output == "no"
    definition["pinned"] = {"check": {"output": {}, "port": "nowhere"}}  # not a port: the node's first
    assert run(definition, {}, execution=TEST_RUN, journal=InMemoryJournal()).output == "yes"


def test_notes_and_pins_survive_the_definition_round_trip():
    data = _pinned_flow()
    data["notes"] = [{"id": "n1", "text": "**Why**", "position": {"x": 1, "y": 2}, "color": "blue"}]
    again = Definition.from_dict(data).to_dict()
    assert again["pinned"] == data["pinned"] and again["notes"] == data["notes"]
    assert "pinned" not in Definition.from_dict(flow([], [])).to_dict()


def test_validation_checks_the_shape_of_pins_and_notes(registry):
    data = _pinned_flow()
    assert validate_definition(data, registry) == []
    data["pinned"] = {"gone": {"output": 1}, "call": {"value": 1}}
    data["notes"] = [
        {"id": "n1", "text": "ok", "position": {"x": 0, "y": 0}, "width": 20},
        {"id": "n1", "text": 5, "position": {"x": "a"}, "color": "red"},
    ]
    found = {(p.path, p.code) for p in validate_definition(data, registry)}
    assert found == {
        ("pinned.gone", "UNKNOWN_NODE"),
        ("pinned.call", "INVALID_PINNED_DATA"),
        ("notes[0].width", "INVALID_NOTE"),
        ("notes[1].id", "INVALID_NOTE"),
        ("notes[1].text", "INVALID_NOTE"),
        ("notes[1].color", "INVALID_NOTE"),
        ("notes[1].position", "INVALID_NOTE"),
    }


def test_notes_do_not_change_what_runs(run):
    data = _pinned_flow()
    del data["pinned"]
    data["notes"] = [{"id": "n1", "text": "hello", "position": {"x": 0, "y": 0}}]
    assert run(data, {}).output == {"got": "live"}
