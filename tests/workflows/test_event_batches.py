"""A run's live events leave in batches (workflows.events.RunEvents, D19 addendum (2)).

Pure steps' events wait with their records; a durable write (an effectful step's start or
end) sends everything waiting, so a watcher sees an HTTP step running before it is called;
the run's end sends the rest. Real runs (the job function, Redis, the channel layer); the
spy wraps the real sender and only notes what each call carried.
"""

from __future__ import annotations

import pytest

from tests.workflows.conftest import edge, node
from workflows import events, services
from workflows.event_log import append_event, append_events, read_events
from workflows.models import Execution

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def batches(monkeypatch):
    """Each batch sent: (event kinds, how many requests the loopback server had received by then)."""
    sent: list[list[str]] = []
    real = events._log_and_send

    def spy(execution, batch):
        sent.append([event["event"] + (f":{event['data'].get('node_id')}" if "node_id" in event["data"] else "")
                     for event in batch])  # fmt: skip
        real(execution, batch)

    monkeypatch.setattr(events, "_log_and_send", spy)
    return sent


def test_a_batch_is_numbered_in_order_after_single_events():
    execution_id = "exe_batch_numbering"
    assert append_event(execution_id, {"event": "a", "data": {}}) == 1
    assert append_events(execution_id, [{"event": "b", "data": {}}, {"event": "c", "data": {}}]) == [2, 3]
    assert append_events(execution_id, []) == []
    page = read_events(execution_id, after=0, limit=10)
    assert [(event["seq"], event["event"]) for event in page.events] == [(1, "a"), (2, "b"), (3, "c")]
    assert page.complete and page.last_seq == 3


def test_a_run_of_pure_steps_sends_its_events_in_one_batch(make_workflow, run_now, batches):
    definition = {
        "nodes": [node("start", "trigger.manual"), node("one", "data.set", {"fields": {"a": 1}}),
                  node("two", "data.set", {"fields": {"b": 2}})],
        "edges": [edge("start", "one"), edge("one", "two")],
    }  # fmt: skip
    execution = services.start_execution(make_workflow(definition=definition), input={}, version=None)
    assert run_now(execution.id) == "completed"
    assert len(batches) == 1
    assert batches[0][0] == "execution.started" and batches[0][-1] == "execution.finished"
    logged = read_events(execution.id, after=0, limit=100).events
    assert [event["seq"] for event in logged] == list(range(1, len(batches[0]) + 1))
    assert [event["event"] for event in logged][1:-1] == ["step.started", "step.succeeded"] * 3


def test_an_effectful_step_is_shown_running_before_it_is_called(
    make_workflow, run_now, batches, http_server, monkeypatch
):
    url = f"http://127.0.0.1:{http_server.server_port}/hook"
    definition = {
        "nodes": [node("start", "trigger.manual"), node("before", "data.set", {"fields": {"a": 1}}),
                  node("call", "http.request", {"method": "POST", "url": url, "body": {}}),
                  node("after", "data.set", {"fields": {"b": 2}})],
        "edges": [edge("start", "before"), edge("before", "call"), edge("call", "after")],
    }  # fmt: skip
    received_when_sent = []
    spy = events._log_and_send

    def note(execution, batch):
        received_when_sent.append(len(http_server.received))
        spy(execution, batch)

    monkeypatch.setattr(events, "_log_and_send", note)
    execution = services.start_execution(make_workflow(definition=definition), input={}, version=None)
    assert run_now(execution.id) == "completed"
    # The first batch ends with the HTTP step's start and went out before the request was made.
    assert batches[0][0] == "execution.started" and batches[0][-1] == "step.started:call"
    assert received_when_sent[0] == 0 and len(http_server.received) == 1
    assert batches[1] == ["step.succeeded:call"]
    assert batches[-1][-1] == "execution.finished"
    logged = read_events(execution.id, after=0, limit=100).events
    assert [event["seq"] for event in logged] == list(range(1, sum(map(len, batches)) + 1))
    assert Execution.objects.get(pk=execution.pk).steps.count() == 4


def test_a_batch_older_than_the_limit_is_sent_at_the_next_event(make_workflow, settings, batches):
    settings.FLOWBUILDER_EVENT_BATCH_SECONDS = 1.0
    now = [100.0]
    execution = services.start_execution(make_workflow(), input={}, version=None)
    run = events.RunEvents(execution, clock=lambda: now[0])
    run.add("log", {"node_id": "a", "level": "info", "message": "one"})
    now[0] += 0.5
    run.add("log", {"node_id": "a", "level": "info", "message": "two"})
    assert batches == []
    now[0] += 0.6
    run.add("log", {"node_id": "a", "level": "info", "message": "three"})
    assert batches == [["log:a", "log:a", "log:a"]]
    run.add("log", {"node_id": "a", "level": "info", "message": "four"}, urgent=True)
    run.flush()
    assert batches == [["log:a", "log:a", "log:a"], ["log:a"]]
