"""The editor's test data (issue 16, item 8; docs/design.md D24): pinned data, "Test step" and
the inline expression preview, through the API the editor calls."""

from __future__ import annotations

from tests.workflows.conftest import edge, node
from workflows import services
from workflows.models import Execution, ExecutionStatus


def branching_flow(pinned: dict | None = None) -> dict:
    """manual → shape (total = a × 2) → check (total > 10) → yes / no."""
    definition = {
        "nodes": [
            node("start", "trigger.manual"),
            node("shape", "data.set", {"fields": {"total": "{{ input.a * 2 }}"}}),
            node("check", "logic.if", {"condition": "{{ input.total > 10 }}"}),
            node("yes", "data.set", {"fields": {"big": "{{ input.total }}"}}),
            node("no", "data.set", {"fields": {"small": "{{ input.total }}"}}),
        ],
        "edges": [edge("start", "shape"), edge("shape", "check"), edge("check", "yes", "true"),
                  edge("check", "no", "false")],
    }  # fmt: skip
    if pinned is not None:
        definition["pinned"] = pinned
    return definition


def full_run(workflow, run_now, payload: dict, mode: str = "manual") -> Execution:
    execution = services.start_execution(workflow, input=payload, version=None, mode=mode, enqueue=False)
    run_now(execution.id)
    execution.refresh_from_db()
    return execution


def steps_of(execution: Execution) -> dict[str, tuple[str, object]]:
    return {s.step_key: (s.status, s.output) for s in execution.steps.exclude(status="running")}


def run_one_step(alice_api, workflow, run_now, **body):
    response = alice_api.post(f"/api/v1/workflows/{workflow.id}/test-step", body, format="json")
    assert response.status_code == 202, response.content
    execution = Execution.objects.get(pk=response.json()["data"]["execution_id"])
    run_now(execution.id)
    execution.refresh_from_db()
    return execution


def test_a_step_runs_alone_with_its_input_from_the_last_run(alice_api, make_workflow, run_now):
    workflow = make_workflow("Branches", definition=branching_flow())
    last = full_run(workflow, run_now, {"a": 3})
    assert steps_of(last)["no"] == ("succeeded", {"small": 6})

    # "yes" was not reached (the If went false): its test still runs it, from check's recorded output.
    execution = run_one_step(alice_api, workflow, run_now, node_id="yes")
    assert (execution.mode, execution.status) == ("test", ExecutionStatus.COMPLETED)
    assert steps_of(execution)["yes"] == ("succeeded", {"big": 6})
    assert "no" not in steps_of(execution)
    assert execution.input == {"a": 3}
    assert [n["id"] for n in execution.definition["nodes"]] == ["start", "shape", "check", "yes"]


def test_a_changed_step_runs_on_the_last_runs_data_and_pinned_data_wins(alice_api, make_workflow, run_now):
    workflow = make_workflow("Branches", definition=branching_flow())
    full_run(workflow, run_now, {"a": 3})
    workflow.definition = branching_flow(pinned={"shape": {"output": {"total": 50}}})
    workflow.definition["nodes"][2]["config"]["condition"] = "{{ input.total > 40 }}"
    workflow.save()

    execution = run_one_step(alice_api, workflow, run_now, node_id="check")
    assert steps_of(execution)["shape"] == ("succeeded", {"total": 50})
    assert execution.steps.get(step_key="check", status="succeeded").output_port == "true"


def test_a_test_run_uses_pins_and_a_production_run_never_does(make_workflow, run_now):
    workflow = make_workflow("Branches", definition=branching_flow(pinned={"shape": {"output": {"total": 50}}}))
    assert steps_of(full_run(workflow, run_now, {"a": 1}, mode="test"))["yes"] == ("succeeded", {"big": 50})
    assert steps_of(full_run(workflow, run_now, {"a": 1}, mode="manual"))["no"] == ("succeeded", {"small": 2})


def test_without_a_run_or_pins_the_answer_says_what_to_do(alice_api, make_workflow):
    workflow = make_workflow("Branches", definition=branching_flow())
    response = alice_api.post(f"/api/v1/workflows/{workflow.id}/test-step", {"node_id": "check"}, format="json")
    assert response.status_code == 400
    error = response.json()["error"]
    assert (error["code"], error["field"], error["details"]) == ("NO_TEST_DATA", "node_id", {"node_ids": ["shape"]})
    assert "pin data on shape" in error["message"]


def test_a_trigger_tests_alone_with_its_sample_input(alice_api, make_workflow, run_now):
    definition = branching_flow()
    definition["nodes"][0]["config"] = {"sample_input": {"a": 9}}
    workflow = make_workflow("Branches", definition=definition)
    execution = run_one_step(alice_api, workflow, run_now, node_id="shape")
    assert steps_of(execution)["shape"] == ("succeeded", {"total": 18})


def test_unknown_nodes_and_runs_are_400s_naming_the_field(alice_api, charlie_api, make_workflow, run_now):
    workflow = make_workflow("Branches", definition=branching_flow())
    other = make_workflow("Other", definition=branching_flow())
    foreign_run = full_run(other, run_now, {"a": 1})
    for path in ("test-step", "preview"):
        url = f"/api/v1/workflows/{workflow.id}/{path}"
        for body, field in (({"node_id": "nope"}, "node_id"), ({"node_id": "check", "execution_id": foreign_run.id},
                                                                "execution_id")):  # fmt: skip
            response = alice_api.post(url, {**body, "text": "x"}, format="json")
            assert (response.status_code, response.json()["error"]["field"]) == (400, field), response.content
        assert charlie_api.post(url, {"node_id": "check", "text": "x"}, format="json").status_code == 404


def preview(alice_api, workflow, text: str, node_id: str = "check", **more) -> dict:
    body = {"node_id": node_id, "text": text, **more}
    response = alice_api.post(f"/api/v1/workflows/{workflow.id}/preview", body, format="json")
    assert response.status_code == 200, response.content
    return response.json()["data"]


def test_the_preview_evaluates_with_the_engine_on_the_last_run_then_on_pins(alice_api, make_workflow, run_now):
    workflow = make_workflow("Branches", definition=branching_flow())
    assert preview(alice_api, workflow, "{{ input.total }}") == {
        "value": None, "error": None, "data_from": "none", "execution_id": None,
    }  # fmt: skip
    last = full_run(workflow, run_now, {"a": 3})
    assert preview(alice_api, workflow, "{{ input.total * 2 }}")["value"] == 12
    answer = preview(alice_api, workflow, "Total: {{ input.total }} of {{ trigger.a }}, {{ [1, true] }}")
    assert answer == {"value": "Total: 6 of 3, [1,true]", "error": None, "data_from": "run", "execution_id": last.id}
    assert preview(alice_api, workflow, "{{ steps.shape.output.total > 5 }}", node_id="yes")["value"] is True

    failed = preview(alice_api, workflow, "{{ input.total + }}")
    assert failed["value"] is None and failed["error"]

    workflow.definition = branching_flow(pinned={"shape": {"output": {"total": 50}}})
    workflow.save()
    pinned = preview(alice_api, workflow, "{{ input.total }}", execution_id=last.id)
    assert (pinned["value"], pinned["data_from"]) == (50, "pinned")


def test_notes_and_pins_travel_through_import_and_export_and_are_checked(alice_api):
    notes = [{"id": "note_1", "text": "# Why\nCalls the **CRM**", "position": {"x": 0, "y": -200}, "color": "blue"}]
    body = {"name": "Annotated", **branching_flow(pinned={"shape": {"output": {"total": 1}}}), "notes": notes}
    created = alice_api.post("/api/v1/workflows/import", body, format="json")
    assert created.status_code == 201, created.content
    workflow_id = created.json()["data"]["id"]
    assert created.json()["data"]["problems"] == []
    exported = alice_api.get(f"/api/v1/workflows/{workflow_id}/export").json()["data"]["definition"]
    assert exported["notes"] == notes and exported["pinned"] == {"shape": {"output": {"total": 1}}}

    again = alice_api.post("/api/v1/workflows/import", {"name": "Again", "definition": exported}, format="json")
    assert again.json()["data"]["definition"]["notes"] == notes

    bad = {**exported, "notes": [{"id": "n", "text": "x", "position": {"x": 0}}], "pinned": {"gone": {"output": 1}}}
    answer = alice_api.post(f"/api/v1/workflows/{workflow_id}/validate", {"definition": bad}, format="json").json()
    assert {(p["path"], p["code"]) for p in answer["data"]["problems"]} == {
        ("notes[0].position", "INVALID_NOTE"), ("pinned.gone", "UNKNOWN_NODE"),
    }  # fmt: skip
