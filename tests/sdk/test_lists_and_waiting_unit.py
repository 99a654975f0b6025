"""Lazy lists (page and cursor), execute_and_wait and stream, against a scripted API."""

from __future__ import annotations

import asyncio

import flowbuilder_sdk as sdk
import pytest
from flowbuilder_sdk import client as client_module

from tests.sdk.mock_api import WORKFLOW, ScriptedAPI, execution, ok


@pytest.fixture(autouse=True)
def no_sleeping(monkeypatch):
    async def instantly(seconds: float) -> None:
        return None

    monkeypatch.setattr(client_module.time, "sleep", lambda seconds: None)
    monkeypatch.setattr(client_module.asyncio, "sleep", instantly)


def summary(n: int) -> dict:
    return {**execution("completed"), "id": f"exec_{n}"}


def test_a_page_list_fetches_lazily_and_stops_at_the_last_page():
    api = ScriptedAPI(
        ok([WORKFLOW, WORKFLOW], meta={"page": 1, "pages": 2, "limit": 2, "total": 3}),
        ok([WORKFLOW], meta={"page": 2, "pages": 2, "limit": 2, "total": 3}),
    )
    pager = api.client().workflows.list(limit=2, status="draft")
    assert api.requests == []
    items = iter(pager)
    assert isinstance(next(items), sdk.models.WorkflowList) and len(api.requests) == 1
    assert len(list(items)) == 2 and len(api.requests) == 2
    assert dict(api.requests[1].url.params) == {"limit": "2", "status": "draft", "page": "2"}


def test_a_cursor_list_follows_next_cursor():
    api = ScriptedAPI(
        ok([summary(1), summary(2)], meta={"limit": 2, "next_cursor": "abc", "has_more": True, "page": 1, "pages": 2}),
        ok([summary(3)], meta={"limit": 2, "next_cursor": None, "has_more": False}),
    )
    ids = [item.id for item in api.client().executions.list(limit=2, status="completed", from_="2026-11-01")]
    assert ids == ["exec_1", "exec_2", "exec_3"]
    assert dict(api.requests[0].url.params) == {"limit": "2", "status": "completed", "from": "2026-11-01"}
    assert dict(api.requests[1].url.params) == {"limit": "2", "status": "completed", "from": "2026-11-01",
                                                "cursor": "abc"}  # fmt: skip


def test_list_filters_may_repeat():
    api = ScriptedAPI(ok([], meta={"page": 1, "pages": 0, "limit": 20, "total": 0}))
    assert list(api.client().credentials.list(type=["bearer", "basic"])) == []
    assert api.requests[0].url.params.get_list("type") == ["bearer", "basic"]


def test_pages_gives_whole_pages_with_their_meta():
    api = ScriptedAPI(ok([WORKFLOW], meta={"page": 1, "pages": 1, "limit": 20, "total": 1}))
    pages = list(api.client().workflows.list().pages())
    assert len(pages) == 1 and pages[0].meta["total"] == 1 and pages[0].items[0].id == "wf_1"


def test_the_async_pager_walks_the_same_pages():
    api = ScriptedAPI(
        ok([summary(1)], meta={"limit": 1, "next_cursor": "c1", "has_more": True}),
        ok([summary(2)], meta={"limit": 1, "next_cursor": None, "has_more": False}),
    )

    async def collect():
        async with api.async_client() as client:
            return [item.id async for item in client.executions.list(limit=1)]

    assert asyncio.run(collect()) == ["exec_1", "exec_2"]


def test_execute_and_wait_returns_what_the_server_waited_for():
    api = ScriptedAPI(ok(execution("completed", output={"ok": True})))
    run = api.client().workflows.execute_and_wait("wf_1", {"a": 1}, timeout=20)
    assert run.output == {"ok": True} and api.body()["wait"] == 20 and len(api.requests) == 1


def test_the_read_timeout_outlasts_the_server_wait():
    api = ScriptedAPI(ok(execution("completed")), ok(WORKFLOW))
    client = api.client(timeout=10)
    client.workflows.execute_and_wait("wf_1", timeout=600)
    client.workflows.get("wf_1")
    held, plain = (request.extensions["timeout"] for request in api.requests)
    assert held["read"] == 75 and held["connect"] == 10 and plain["read"] == 10


def test_execute_and_wait_polls_when_the_run_outlasts_the_server_wait():
    started = {"execution_id": "exec_1", "status": "running", "started_at": None}
    api = ScriptedAPI(ok(started, 202), ok(execution("running")), ok(execution("failed", error={"code": "X"})))
    run = api.client().workflows.execute_and_wait("wf_1", timeout=600)
    assert run.status == "failed" and api.body(0)["wait"] == 60
    assert [r.url.path for r in api.requests[1:]] == ["/api/v1/executions/exec_1"] * 2


def test_execute_and_wait_gives_up_at_its_timeout_naming_the_run():
    started = {"execution_id": "exec_1", "status": "pending", "started_at": None}
    api = ScriptedAPI(ok(started, 202), *[ok(execution("running"))] * 50)
    with pytest.raises(sdk.WaitTimeoutError) as timed_out:
        api.client().workflows.execute_and_wait("wf_1", timeout=0)
    assert timed_out.value.execution_id == "exec_1" and timed_out.value.status == "running"


def test_async_execute_and_wait_polls_too():
    started = {"execution_id": "exec_1", "status": "pending", "started_at": None}
    api = ScriptedAPI(ok(started, 202), ok(execution("completed")))

    async def run():
        async with api.async_client() as client:
            return await client.workflows.execute_and_wait("wf_1", timeout=30)

    assert asyncio.run(run()).status == "completed"


def event(seq: int, name: str) -> dict:
    return {"event": name, "execution_id": "exec_1", "workflow_id": "wf_1", "seq": seq, "data": {}}


def test_stream_yields_each_event_once_until_the_run_has_ended():
    api = ScriptedAPI(
        ok([event(1, "execution.started")], meta={"next_after": 1, "last_seq": 1, "has_more": False,
                                                  "status": "running", "complete": True}),  # fmt: skip
        ok([], meta={"next_after": 1, "last_seq": 1, "has_more": False, "status": "running", "complete": True}),
        ok([event(2, "step.succeeded"), event(3, "execution.finished")],
           meta={"next_after": 3, "last_seq": 3, "has_more": False, "status": "completed", "complete": True}),
    )  # fmt: skip
    events = list(api.client().executions.stream("exec_1"))
    assert [(e.seq, e.event) for e in events] == [(1, "execution.started"), (2, "step.succeeded"),
                                                  (3, "execution.finished")]  # fmt: skip
    assert isinstance(events[0], sdk.ExecutionEvent)
    assert [r.url.params["after"] for r in api.requests] == ["0", "1", "1"]


def test_stream_resumes_from_the_execution_when_the_log_was_trimmed():
    api = ScriptedAPI(
        ok([], meta={"next_after": 0, "last_seq": 900, "has_more": False, "status": "running", "complete": False}),
        ok(execution("running", event_seq=880)),
        ok([event(881, "execution.finished")],
           meta={"next_after": 881, "last_seq": 881, "has_more": False, "status": "completed", "complete": True}),
    )  # fmt: skip
    assert [e.seq for e in api.client().executions.stream("exec_1")] == [881]
    assert api.requests[2].url.params["after"] == "880"
