"""Live events across processes: a run executed by a real `rqworker` process reaches a
WebSocket client connected to a real daphne process, through the Redis channel layer.

Both processes use the test database (committed data: transactional_db) and the test Redis.
"""

from __future__ import annotations

import contextlib
import json
import subprocess
import sys
from pathlib import Path

import httpx
import pytest
from rq import Worker
from rq.job import Job
from websockets.sync.client import connect

from flowbuilder.redis import get_queue, get_redis
from tests.workflows.processes import free_port, process_env, wait_until, web_server_command
from tests.workflows.test_consumers import assert_whole_run_in_order, chain_flow
from workflows.services import EXECUTION_QUEUE

pytestmark = [pytest.mark.slow, pytest.mark.django_db(transaction=True)]

ROOT = Path(__file__).resolve().parents[2]
WAIT = 30  # seconds; bounds each wait, never asserted on


def answers_http(port: int) -> bool:
    with contextlib.suppress(httpx.HTTPError):
        return httpx.get(f"http://127.0.0.1:{port}/api/v1/", timeout=1).status_code < 500
    return False


def registered_worker_names() -> set[str]:
    return {worker.name for worker in Worker.all(queue=get_queue(EXECUTION_QUEUE))}


@pytest.fixture
def live_stack(tmp_path):
    """A daphne process and an rqworker process; yields the daphne port and the worker's name."""
    port = free_port()
    env = process_env()
    commands = {
        "daphne": web_server_command(port),
        "worker": [sys.executable, "manage.py", "rqworker", EXECUTION_QUEUE],
    }
    processes = {}
    try:
        for name, command in commands.items():
            log = (tmp_path / f"{name}.log").open("w")
            processes[name] = subprocess.Popen(command, cwd=ROOT, env=env, stdout=log, stderr=subprocess.STDOUT)
        wait_until(lambda: answers_http(port), timeout=WAIT, what="daphne to answer")
        worker_names = wait_until(registered_worker_names, timeout=WAIT, what="the worker to register")
        yield port, next(iter(worker_names))
    finally:
        for process in processes.values():
            process.terminate()
        for name, process in processes.items():
            try:
                process.wait(timeout=15)
            except subprocess.TimeoutExpired:
                process.kill()
                process.wait()
            print(f"--- {name} log ---\n{(tmp_path / f'{name}.log').read_text()[-3000:]}")


def receive_run(websocket) -> list[dict]:
    """Events of the first run seen, up to its execution.finished."""
    events = []
    while not events or events[-1]["event"] != "execution.finished":
        events.append(json.loads(websocket.recv(timeout=WAIT)))
    return events


def test_a_run_on_a_worker_process_streams_live_to_a_client_of_daphne(acme, make_workflow, make_key, live_stack):
    port, worker_name = live_stack
    workflow = make_workflow("Chain", chain_flow())
    _, plaintext = make_key(acme)
    auth = {"Authorization": f"Bearer {plaintext}"}
    # A program sends no Origin by itself; the server's origin check wants one of ALLOWED_HOSTS.
    with connect(
        f"ws://127.0.0.1:{port}/ws/workflows/{workflow.id}/", additional_headers=auth, origin="http://127.0.0.1"
    ) as websocket:
        snapshot = json.loads(websocket.recv(timeout=WAIT))
        assert snapshot["event"] == "snapshot" and snapshot["executions"] == []
        started = httpx.post(
            f"http://127.0.0.1:{port}/api/v1/workflows/{workflow.id}/execute",
            json={"version": "draft", "input": {"name": "Ada"}},
            headers=auth,
            timeout=WAIT,
        )
        assert started.status_code in (200, 201, 202), started.text
        execution_id = started.json()["data"]["execution_id"]
        events = receive_run(websocket)

    assert {event["execution_id"] for event in events} == {execution_id}
    assert_whole_run_in_order(events, ["start", "first", "second", "third"])
    # The run was executed by the rqworker process, not by daphne or by this test. RQ
    # records the job as finished after the job function returns, so after the run's last
    # event: wait for that record instead of racing it.
    registry = get_queue(EXECUTION_QUEUE).finished_job_registry
    finished_jobs = wait_until(registry.get_job_ids, timeout=WAIT, what="RQ to record the finished job")
    ran_by = {Job.fetch(job_id, connection=get_redis()).worker_name for job_id in finished_jobs}
    assert ran_by == {worker_name}
