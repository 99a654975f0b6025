"""Crash safety, racing workers and waits, on real `rqworker` processes, Redis and PostgreSQL."""

from __future__ import annotations

import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest

from tests.workflows.conftest import edge, node, wait_flow
from tests.workflows.processes import start_worker, wait_until
from workflows import services
from workflows.models import Execution, ExecutionStep
from workflows.recovery import reap_abandoned_executions

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.slow]


class SlowHandler(BaseHTTPRequestHandler):
    def do_POST(self):
        self.rfile.read(int(self.headers.get("Content-Length") or 0))
        self.server.keys.append(self.headers.get("Idempotency-Key"))
        hold = self.server.hold
        if hold is not None and len(self.server.keys) == 1:
            hold.wait(timeout=60)  # the first call stays in flight until the test killed its worker
        else:
            time.sleep(self.server.delay)
        body = b'{"ok": true}'
        try:
            self.send_response(200)
            self.send_header("Content-Type", "application/json")
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)
        except OSError:
            pass  # the worker that asked was killed

    def log_message(self, *args):
        pass


@pytest.fixture
def slow_server():
    server = ThreadingHTTPServer(("127.0.0.1", 0), SlowHandler)
    server.daemon_threads = True
    server.keys, server.delay, server.hold = [], 1.5, None
    threading.Thread(target=server.serve_forever, daemon=True).start()
    server.url = f"http://127.0.0.1:{server.server_address[1]}/slow"
    yield server
    server.shutdown()
    server.server_close()


def slow_flow(url: str) -> dict:
    return {
        "nodes": [
            node("start", "trigger.manual"),
            node("before", "data.set", {"fields": {"step": 1}}),
            node("slow", "http.request", {"method": "POST", "url": url, "body": {"n": 1}, "timeout_seconds": 30}),
            node("after", "data.set", {"fields": {"done": True}}),
        ],
        "edges": [edge("start", "before"), edge("before", "slow"), edge("slow", "after")],
    }


def attempts(execution: Execution, node_id: str) -> list[tuple[int, str]]:
    rows = ExecutionStep.objects.filter(execution=execution, node_id=node_id).order_by("attempt")
    return [(row.attempt, row.status) for row in rows]


def crash_and_recover_once(workflow, slow_server) -> Execution:
    """Kill the worker while its HTTP call is in flight, then let a second worker recover the run.

    The first call is held until the kill (not for a fixed delay), so however slow the machine
    the worker dies mid-call: with a delay, a starved test could notice the call only after it
    had answered, and the step would already be complete.
    """
    slow_server.keys.clear()
    slow_server.hold = threading.Event()
    first = start_worker()
    try:
        execution = services.start_execution(workflow, input={}, version=None)
        wait_until(lambda: slow_server.keys, what="the slow step to be in flight")
        first.kill()
    finally:
        first.kill()
        slow_server.hold.set()  # the held call's answer goes nowhere: its worker is gone
    # The lease (2 s in workers) runs out; the reaper, as the scheduler would, re-enqueues.
    wait_until(lambda: reap_abandoned_executions(), timeout=15, what="the execution to be reaped")
    second = start_worker()
    try:
        wait_until(lambda: Execution.objects.get(pk=execution.pk).is_terminal, timeout=60, what="the run to end")
    finally:
        second.stop()
    return Execution.objects.get(pk=execution.pk)


def assert_recovered_cleanly(execution: Execution, slow_server) -> None:
    assert execution.status == "completed", execution.error
    assert execution.recovered_count == 1
    assert attempts(execution, "start") == [(1, "succeeded")]
    assert attempts(execution, "before") == [(1, "succeeded")]
    # The in-flight step ran again as attempt 2; attempt 1 never finished.
    assert attempts(execution, "slow") == [(1, "running"), (2, "succeeded")]
    assert attempts(execution, "after") == [(1, "succeeded")]
    assert slow_server.keys == [f"{execution.id}:slow", f"{execution.id}:slow"]


def test_a_killed_worker_loses_nothing_and_completed_steps_never_rerun(make_workflow, slow_server):
    workflow = make_workflow(definition=slow_flow(slow_server.url))
    assert_recovered_cleanly(crash_and_recover_once(workflow, slow_server), slow_server)


def test_crash_recovery_holds_twenty_times_in_a_row(make_workflow, slow_server):
    workflow = make_workflow(definition=slow_flow(slow_server.url))
    slow_server.delay = 1.0
    for _ in range(20):
        assert_recovered_cleanly(crash_and_recover_once(workflow, slow_server), slow_server)


def test_two_workers_racing_on_one_execution_never_run_a_step_twice(make_workflow, slow_server):
    workflow = make_workflow(definition=slow_flow(slow_server.url))
    workers = [start_worker(), start_worker()]
    try:
        execution = services.start_execution(workflow, input={}, version=None)
        for _ in range(3):  # the same execution on the queue several more times
            services.enqueue_execution(execution.id)
        wait_until(lambda: Execution.objects.get(pk=execution.pk).is_terminal, timeout=60, what="the run to end")
    finally:
        for worker in workers:
            worker.stop()
    execution.refresh_from_db()
    assert execution.status == "completed"
    for node_id in ("start", "before", "slow", "after"):
        assert attempts(execution, node_id) == [(1, "succeeded")]
    assert slow_server.keys == [f"{execution.id}:slow"]


def test_a_wait_parks_the_run_without_holding_the_worker(make_workflow):
    waiting = make_workflow(name="Waits", definition=wait_flow(2))
    quick = make_workflow(name="Quick")
    worker = start_worker()
    try:
        parked = services.start_execution(waiting, input={}, version=None)
        wait_until(lambda: Execution.objects.get(pk=parked.pk).status == "waiting", what="the wait to park")
        # While the first run waits, the only worker is free to run another one.
        other = services.start_execution(quick, input={"name": "Ada"}, version=None)
        wait_until(lambda: Execution.objects.get(pk=other.pk).status == "completed", what="the quick run")
        assert Execution.objects.get(pk=parked.pk).status == "waiting"
        wait_until(lambda: Execution.objects.get(pk=parked.pk).is_terminal, timeout=30, what="the wait to end")
    finally:
        worker.stop()
    parked.refresh_from_db()
    assert parked.status == "completed" and parked.output == {"waited": True}
    pause = [row.status for row in ExecutionStep.objects.filter(execution=parked, node_id="pause").order_by("id")]
    assert pause[0] == "waiting" and pause[-1] == "succeeded", pause
    assert (parked.completed_at - parked.started_at).total_seconds() >= 2


def approval_flow(timeout_seconds: float) -> dict:
    return {
        "nodes": [
            node("start", "trigger.manual"),
            node("approve", "logic.wait_for_event", {"event": "approval", "timeout_seconds": timeout_seconds}),
            node("ok", "data.set", {"fields": {"by": "{{ input.by }}"}}),
            node("late", "data.set", {"fields": {"timed_out": True}}),
        ],
        "edges": [edge("start", "approve"), edge("approve", "ok"), edge("approve", "late", "timeout")],
    }


def test_wait_for_event_resumes_with_the_payload_on_a_real_worker(make_workflow):
    workflow = make_workflow(definition=approval_flow(3600))
    worker = start_worker()
    try:
        execution = services.start_execution(workflow, input={}, version=None)
        wait_until(lambda: Execution.objects.get(pk=execution.pk).status == "waiting", what="the run to park")
        services.resume_execution(Execution.objects.get(pk=execution.pk), payload={"by": "Grace"})
        wait_until(lambda: Execution.objects.get(pk=execution.pk).is_terminal, what="the run to end")
    finally:
        worker.stop()
    execution.refresh_from_db()
    assert execution.status == "completed" and execution.output == {"by": "Grace"}


def test_wait_for_event_takes_the_timeout_port_when_nobody_answers(make_workflow):
    workflow = make_workflow(definition=approval_flow(1))
    worker = start_worker()
    try:
        execution = services.start_execution(workflow, input={}, version=None)
        wait_until(lambda: Execution.objects.get(pk=execution.pk).is_terminal, timeout=30, what="the timeout")
    finally:
        worker.stop()
    execution.refresh_from_db()
    assert execution.status == "completed" and execution.output == {"timed_out": True}
    assert "succeeded" not in {status for _, status in attempts(execution, "ok")}
