"""GET /executions/{id}/events (the event log by seq) and GET /executions/{id}/steps (steps on demand)."""

from __future__ import annotations

from urllib.parse import urlsplit

import pytest

from tests.api.test_authentication import assert_error
from tests.workflows.conftest import edge, node
from tests.workflows.test_event_log import long_chain
from workflows import services

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def finished_run(alice, make_workflow, run_now):
    def make(definition: dict):
        workflow = make_workflow("Logged", definition)
        execution = services.start_execution(workflow, input={}, version=None, actor=alice)
        assert run_now(execution.id) == "completed"
        return execution

    return make


def events(client, execution_id: str, query: str = "") -> dict:
    response = client.get(f"/api/v1/executions/{execution_id}/events{query}")
    assert response.status_code == 200, response.content
    return response.json()


def test_the_log_holds_every_event_of_a_run_numbered_without_gaps(alice_api, finished_run):
    execution = finished_run(long_chain(3))
    body = events(alice_api, execution.id)
    seqs = [event["seq"] for event in body["data"]]
    assert seqs == list(range(1, len(seqs) + 1))
    assert body["data"][0]["event"] == "execution.started" and body["data"][-1]["event"] == "execution.finished"
    assert body["meta"] == {"after": 0, "limit": 500, "last_seq": seqs[-1], "next_after": seqs[-1],
                            "has_more": False, "complete": True, "status": "completed"}  # fmt: skip


def test_events_after_a_seq_come_a_page_at_a_time(alice_api, finished_run):
    execution = finished_run(long_chain(3))
    body = events(alice_api, execution.id, "?after=3&limit=2")
    assert [event["seq"] for event in body["data"]] == [4, 5]
    assert body["meta"]["has_more"] is True and body["meta"]["next_after"] == 5
    assert events(alice_api, execution.id, "?after=999")["data"] == []


def test_a_log_trimmed_past_the_asked_seq_says_it_is_incomplete(alice_api, finished_run, settings):
    settings.FLOWBUILDER_EVENT_LOG_MAX_EVENTS = 3
    execution = finished_run(long_chain(3))
    body = events(alice_api, execution.id, "?after=0")
    assert body["meta"]["complete"] is False and len(body["data"]) == 3
    assert events(alice_api, execution.id, f"?after={body['meta']['last_seq'] - 3}")["meta"]["complete"] is True


@pytest.mark.parametrize("query", ["?after=-1", "?after=x", "?after=1e3", "?limit=0"])
def test_a_bad_after_or_limit_is_a_validation_error(alice_api, finished_run, query):
    execution = finished_run(long_chain(1))
    assert_error(alice_api.get(f"/api/v1/executions/{execution.id}/events{query}"), 400, "VALIDATION_ERROR")


def test_an_outsider_sees_neither_events_nor_steps(charlie_api, finished_run):
    execution = finished_run(long_chain(1))
    assert_error(charlie_api.get(f"/api/v1/executions/{execution.id}/events"), 404, "NOT_FOUND")
    assert_error(charlie_api.get(f"/api/v1/executions/{execution.id}/steps"), 404, "NOT_FOUND")


def test_a_large_run_answers_its_first_steps_and_pages_the_rest(alice_api, finished_run, settings):
    settings.FLOWBUILDER_INLINE_STEPS = 5
    execution = finished_run(long_chain(11))
    answer = alice_api.get(f"/api/v1/executions/{execution.id}").json()["data"]
    assert [step["node_id"] for step in answer["steps"]] == ["start", "s001", "s002", "s003", "s004"]
    assert answer["step_count"] == 12 and answer["steps_complete"] is False
    assert answer["current_state"] == "s011" and answer["event_seq"] > 0
    rows, cursor = list(answer["steps"]), answer["steps_next_cursor"]
    while cursor:
        page = alice_api.get(f"/api/v1/executions/{execution.id}/steps?cursor={cursor}&limit=4").json()
        assert page["meta"]["total"] == 12
        rows += page["data"]
        cursor = page["meta"]["next_cursor"]
    assert [step["node_id"] for step in rows] == ["start", *(f"s{index:03d}" for index in range(1, 12))]
    assert_error(alice_api.get(f"/api/v1/executions/{execution.id}/steps?cursor=bm9wZQ"), 400, "VALIDATION_ERROR")


def big_value_flow() -> dict:
    nodes = [node("start", "trigger.manual"), node("big", "data.set", {"fields": {"text": "x" * 500}})]
    return {"nodes": nodes, "edges": [edge("start", "big")]}


def test_a_large_value_is_a_preview_with_a_link_to_the_whole_value(alice_api, finished_run, settings):
    settings.FLOWBUILDER_INLINE_VALUE_BYTES = 100
    execution = finished_run(big_value_flow())
    page = alice_api.get(f"/api/v1/executions/{execution.id}/steps").json()
    output = page["data"][1]["output"]["$truncated"]
    assert output["bytes"] > 500 and output["preview"].startswith('{"text": "xxx')
    whole = alice_api.get(urlsplit(output["url"]).path + "?" + urlsplit(output["url"]).query).json()["data"]
    assert len(whole) == 1 and whole[0]["output"]["text"] == "x" * 500
    # The live event carried the preview too: small channel messages, small log.
    logged = [event for event in events(alice_api, execution.id)["data"] if event["event"] == "step.succeeded"]
    assert "$truncated" in logged[-1]["data"]["output"]


def test_a_small_run_answers_as_before_with_whole_values(alice_api, finished_run, settings):
    settings.FLOWBUILDER_INLINE_VALUE_BYTES = 100
    execution = finished_run(big_value_flow())
    answer = alice_api.get(f"/api/v1/executions/{execution.id}").json()["data"]
    assert answer["steps_complete"] is True and answer["steps_next_cursor"] is None and answer["step_count"] == 2
    assert answer["steps"][1]["output"] == {"text": "x" * 500}
