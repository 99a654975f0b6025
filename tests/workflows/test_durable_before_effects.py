"""Durable before effects, not before every step (D19).

A pure step's record waits in memory for the next durable write: the next step with an
effect (written with everything before it, before the effect starts), a park, or the end
of the run (in the finish's transaction). A worker killed in between loses only pure
records, which the next worker replays to the same values; a completed effect is never
run again.
"""

from __future__ import annotations

import json
import threading
from datetime import timedelta
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import parse_qs, urlparse

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from tests.workflows.conftest import edge, node
from workflows import lifecycle
from workflows.models import Execution, ExecutionStatus, ExecutionStep

pytestmark = pytest.mark.django_db(transaction=True)


class SeeingHandler(BaseHTTPRequestHandler):
    """Answers 200 and notes which step rows were on disk while the effect was in flight."""

    def do_POST(self):
        self.rfile.read(int(self.headers.get("Content-Length") or 0))
        from django.db import connection as thread_connection

        execution_id = parse_qs(urlparse(self.path).query)["run"][0]
        try:
            rows = ExecutionStep.objects.filter(execution_id=execution_id).order_by("id")
            self.server.seen.append([(row.node_id, row.attempt, row.status) for row in rows])
        finally:
            thread_connection.close()
        body = json.dumps({"ok": True}).encode()
        self.send_response(200)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, *args):
        pass


@pytest.fixture
def seeing_server(settings):
    server = ThreadingHTTPServer(("127.0.0.1", 0), SeeingHandler)
    server.daemon_threads, server.seen = True, []
    threading.Thread(target=server.serve_forever, daemon=True).start()
    settings.FLOWBUILDER_HTTP_ALLOW_LIST = ["127.0.0.1"]
    server.url = f"http://127.0.0.1:{server.server_address[1]}/effect"
    yield server
    server.shutdown()
    server.server_close()


def effect_between_pure_steps(url: str) -> dict:
    """manual → set → if → http (the effect) → set → set."""
    return {
        "nodes": [
            node("start", "trigger.manual"),
            node("tag", "data.set", {"fields": {"n": "{{ input.n }}"}}),
            node("check", "logic.if", {"condition": "{{ input.n > 1 }}"}),
            node("notify", "http.request", {"method": "POST", "url": url + "?run={{ execution.id }}", "body": {}}),
            node("after", "data.set", {"fields": {"n": "{{ steps.tag.output.n * 10 }}"}}),
            node("last", "data.set", {"fields": {"done": True}, "keep_input": True}),
        ],
        "edges": [
            edge("start", "tag"),
            edge("tag", "check"),
            edge("check", "notify", "true"),
            edge("notify", "after"),
            edge("after", "last"),
        ],
    }


def rows(execution) -> list[tuple[str, int, str]]:
    found = ExecutionStep.objects.filter(execution=execution).order_by("id")
    return [(row.node_id, row.attempt, row.status) for row in found]


def step_inserts(queries) -> int:
    return sum(1 for query in queries if query["sql"].startswith('INSERT INTO "workflows_executionstep"'))


def test_everything_before_an_effect_is_on_disk_before_it_starts_and_pure_steps_are_batched(
    make_workflow, run_now, seeing_server
):
    workflow = make_workflow(definition=effect_between_pure_steps(seeing_server.url))
    execution = lifecycle.services.start_execution(workflow, input={"n": 2}, version=None)
    with CaptureQueriesContext(connection) as queries:
        assert run_now(execution.id) == ExecutionStatus.COMPLETED
    # While the request was in flight, the pure steps before it and its own start were durable.
    assert seeing_server.seen == [[("start", 1, "succeeded"), ("tag", 1, "succeeded"),
                                   ("check", 1, "succeeded"), ("notify", 1, "running")]]  # fmt: skip
    assert rows(execution) == [
        ("start", 1, "succeeded"), ("tag", 1, "succeeded"), ("check", 1, "succeeded"),
        ("notify", 1, "succeeded"), ("after", 1, "succeeded"), ("last", 1, "succeeded"),
    ]  # fmt: skip
    # Three writes for twelve records: before the effect, its end, and the rest with the finish.
    assert step_inserts(queries.captured_queries) == 3


class Killed(BaseException):
    """The worker dies (SIGKILL): nothing after this point runs, no handler sees it."""


def test_a_run_killed_after_its_effect_replays_pure_steps_and_never_reruns_the_effect(
    make_workflow, run_now, seeing_server, monkeypatch
):
    workflow = make_workflow(definition=effect_between_pure_steps(seeing_server.url))
    execution = lifecycle.services.start_execution(workflow, input={"n": 2}, version=None)
    real_finish = lifecycle.finish_execution

    def killed(*args, **kwargs):
        raise Killed

    monkeypatch.setattr(lifecycle, "finish_execution", killed)
    with pytest.raises(Killed):
        run_now(execution.id)
    # The effect and everything before it are on disk; the pure steps after it were lost.
    assert rows(execution) == [("start", 1, "succeeded"), ("tag", 1, "succeeded"), ("check", 1, "succeeded"),
                               ("notify", 1, "succeeded")]  # fmt: skip
    # The lease runs out and another worker takes the run over.
    Execution.objects.filter(pk=execution.pk).update(
        lease_owner="dead-worker:1:abc", lease_expires_at=timezone.now() - timedelta(seconds=1)
    )
    monkeypatch.setattr(lifecycle, "finish_execution", real_finish)
    assert run_now(execution.id) == ExecutionStatus.COMPLETED
    execution.refresh_from_db()
    assert execution.output == {"n": 20, "done": True}
    assert len(seeing_server.seen) == 1  # the effect ran once
    assert rows(execution) == [
        ("start", 1, "succeeded"), ("tag", 1, "succeeded"), ("check", 1, "succeeded"),
        ("notify", 1, "succeeded"), ("after", 1, "succeeded"), ("last", 1, "succeeded"),
    ]  # fmt: skip


def test_a_worker_that_lost_its_lease_starts_no_effect_and_writes_nothing(make_workflow, seeing_server):
    workflow = make_workflow(definition=effect_between_pure_steps(seeing_server.url))
    execution = lifecycle.services.start_execution(workflow, input={"n": 2}, version=None)
    claimed = lifecycle.claim_execution(execution.id)
    stolen_until = timezone.now() + timedelta(seconds=60)
    Execution.objects.filter(pk=execution.pk).update(lease_owner="other-worker:2:def", lease_expires_at=stolen_until)
    assert lifecycle.advance_claimed(claimed, None) is None
    assert seeing_server.seen == []
    assert rows(execution) == []
    execution.refresh_from_db()
    assert execution.lease_owner == "other-worker:2:def" and execution.lease_expires_at == stolen_until
