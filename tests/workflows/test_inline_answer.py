"""`execute` with `wait` answers from the rows its inline run wrote (D19 addendum (4)).

The run ran in this process from its first step, so the journal knows every step row and
log line it committed, ids included: the answer shows them without reading them back. What
it shows must be exactly what a later `GET /executions/{id}` reads from the database.
"""

from __future__ import annotations

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from tests.workflows.conftest import edge, node
from workflows import definitions, journal, services
from workflows.models import ExecutionStatus

pytestmark = pytest.mark.django_db(transaction=True)

READ_BACK = ("steps", "step_count", "steps_complete", "steps_next_cursor", "logs", "state_history",
             "current_state", "output", "status")  # fmt: skip


def chain(length: int, pinned: dict | None = None) -> dict:
    """manual → set-1 → … → set-n, each adding its own field."""
    nodes = [node("start", "trigger.manual")]
    nodes += [node(f"set-{i}", "data.set", {"fields": {f"f{i}": "{{ input.n }}"}, "keep_input": True})
              for i in range(1, length + 1)]  # fmt: skip
    ids = [item["id"] for item in nodes]
    definition = {"nodes": nodes, "edges": [edge(a, b) for a, b in zip(ids, ids[1:], strict=False)]}
    if pinned is not None:
        definition["pinned"] = pinned
    return definition


def execute(api, workflow, **extra) -> tuple[dict, list[str]]:
    """The answer's data, and the statements the request sent."""
    body = {"input": {"n": 7}, "version": "draft", "wait": 10, **extra}
    with CaptureQueriesContext(connection) as queries:
        answer = api.post(f"/api/v1/workflows/{workflow.id}/execute", body, format="json")
    assert answer.status_code == 200, answer.content
    return answer.json()["data"], [query["sql"] for query in queries.captured_queries]


def read_back(api, execution_id: str) -> dict:
    answer = api.get(f"/api/v1/executions/{execution_id}")
    assert answer.status_code == 200, answer.content
    return answer.json()["data"]


def reads_of(statements: list[str], table: str) -> list[str]:
    return [sql for sql in statements if sql.lstrip().upper().startswith("SELECT") and f'"{table}"' in sql]


def test_the_answer_shows_the_written_steps_without_reading_them_back(alice_api, make_workflow):
    workflow = make_workflow("Chain", definition=chain(3))

    data, statements = execute(alice_api, workflow)

    assert data["status"] == ExecutionStatus.COMPLETED
    assert [step["node_id"] for step in data["steps"]] == ["start", "set-1", "set-2", "set-3"]
    assert data["output"] == {"n": 7, "f1": 7, "f2": 7, "f3": 7}
    assert reads_of(statements, "workflows_executionstep") == []
    assert reads_of(statements, "workflows_executionlog") == []
    stored = read_back(alice_api, data["id"])
    assert {name: data[name] for name in READ_BACK} == {name: stored[name] for name in READ_BACK}


def test_log_lines_the_run_wrote_are_in_the_answer_as_stored(alice_api, make_workflow):
    pinned = {"set-1": {"output": {"n": 7, "f1": "pinned"}}}
    workflow = make_workflow("Pinned", definition=chain(2, pinned=pinned))

    data, statements = execute(alice_api, workflow, test=True)  # pinned data is used in test runs

    assert any("Pinned data used" in entry["message"] for entry in data["logs"])
    assert reads_of(statements, "workflows_executionlog") == []
    stored = read_back(alice_api, data["id"])
    assert {name: data[name] for name in READ_BACK} == {name: stored[name] for name in READ_BACK}


def test_a_run_over_the_inline_steps_lists_the_first_ones_and_a_cursor_as_stored(alice_api, make_workflow, settings):
    settings.FLOWBUILDER_INLINE_STEPS = 3
    workflow = make_workflow("Long", definition=chain(5))

    data, _ = execute(alice_api, workflow)

    assert (data["steps_complete"], data["step_count"], len(data["steps"])) == (False, 6, 3)
    stored = read_back(alice_api, data["id"])
    assert {name: data[name] for name in READ_BACK} == {name: stored[name] for name in READ_BACK}
    rest = alice_api.get(f"/api/v1/executions/{data['id']}/steps", {"cursor": data["steps_next_cursor"]})
    assert [step["node_id"] for step in rest.json()["data"]] == ["set-3", "set-4", "set-5"]


def test_a_queued_run_is_answered_from_the_database(alice_api, make_workflow, settings, run_now):
    """Without the inline path the rows were written by a worker: the answer reads them."""
    settings.FLOWBUILDER_INLINE_RUN_SECONDS = 0
    workflow = make_workflow("Queued", definition=chain(1))
    execution = services.start_execution(workflow, input={"n": 7}, version=None, enqueue=False)
    run_now(execution.id)

    stored = read_back(alice_api, execution.id)

    assert [step["node_id"] for step in stored["steps"]] == ["start", "set-1"]


def test_a_draft_is_checked_once_per_content(make_workflow, monkeypatch):
    checked = []
    monkeypatch.setattr(definitions, "_STRUCTURE_PROBLEMS", {})  # kept per process: start empty
    real = definitions.find_problems
    monkeypatch.setattr(definitions, "find_problems", lambda canonical, *a: checked.append(1) or real(canonical, *a))
    workflow = make_workflow("Checked once", definition=chain(1))

    for _ in range(3):
        services.start_execution(workflow, input={"n": 1}, version=None, enqueue=False)
    assert len(checked) == 1

    broken = chain(1)
    broken["edges"].append(edge("set-1", "nowhere"))
    workflow.definition = broken  # an edited draft is new content: checked again, and refused
    with pytest.raises(definitions.DefinitionError):
        services.start_execution(workflow, input={"n": 1}, version=None, enqueue=False)
    with pytest.raises(definitions.DefinitionError):
        services.start_execution(workflow, input={"n": 1}, version=None, enqueue=False)
    assert len(checked) == 2


def test_a_run_with_more_rows_than_the_journal_keeps_is_read_back(alice_api, make_workflow, monkeypatch):
    monkeypatch.setattr(journal, "WRITTEN_KEPT", 3)  # a long run is not held in memory
    workflow = make_workflow("Longer", definition=chain(4))

    data, statements = execute(alice_api, workflow)

    assert len(reads_of(statements, "workflows_executionstep")) == 1
    assert [step["node_id"] for step in data["steps"]] == ["start", "set-1", "set-2", "set-3", "set-4"]
    stored = read_back(alice_api, data["id"])
    assert {name: data[name] for name in READ_BACK} == {name: stored[name] for name in READ_BACK}
