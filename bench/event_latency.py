"""Latency from a step finishing in a worker process to its event at a WebSocket client of daphne.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/flowbuilder_bench REDIS_URL=redis://127.0.0.1:6379/14 \\
        .venv/bin/python bench/event_latency.py [--runs 100]

Prints figures; no pass/fail. Starts one daphne and one `rqworker executions` process against
PostgreSQL + Redis (creating and migrating the database if needed), connects a WebSocket client
to the workflow's stream with an API key, then runs a 5-node flow N times through the HTTP API.
For every `step.succeeded` event: receive time minus the step's `finished_at`, which the worker
stamps when the step ends (one machine, one clock). That span covers the journal's DB write,
the seq counter, the channels_redis hop, daphne and the socket.

Give each concurrent benchmark its own Redis db: workers of another run on the same queue
would take these jobs against their own database and leave the runs here pending.
"""

from __future__ import annotations

import argparse
import contextlib
import json
import os
import statistics
import time
from datetime import datetime

from support import configure, free_port, make_org_and_key, percentile, start_daphne, start_workers

WARMUP_RUNS = 3
WAIT = 30


def prepare() -> tuple[str, str]:
    """The bench organization's API key and a fresh copy of the 5-node flow."""
    from workflows import services
    from workflows.models import Workflow

    organization, plaintext = make_org_and_key("Bench")
    Workflow.objects.filter(project__organization=organization, name="Event latency").delete()
    workflow = services.create_workflow(organization.default_project, name="Event latency", definition=five_nodes())
    return workflow.id, plaintext


def five_nodes() -> dict:
    """manual → four data.set steps in a chain, one expression each."""
    nodes = [{"id": "start", "type": "trigger.manual", "config": {}}]
    edges = []
    for index in range(1, 5):
        nodes.append({"id": f"s{index}", "type": "data.set", "config": {"fields": {"n": "{{ input.n + 1 }}"}}})
        source = "start" if index == 1 else f"s{index - 1}"
        edges.append({"id": f"e{index}", "source": source, "source_port": "out", "target": f"s{index}"})
    return {"nodes": nodes, "edges": edges}


@contextlib.contextmanager
def web_and_worker(port: int):
    """daphne and one rqworker, as separate processes; always stopped on the way out."""
    web = start_daphne(port)
    workers = start_workers(1)
    try:
        yield
    finally:
        for process in (web, *workers):
            process.stop()


def measure_run(websocket, http, port: int, workflow_id: str) -> list[float]:
    """Start one run through the API; the latency (ms) of each of its step.succeeded events."""
    answer = http.post(
        f"http://127.0.0.1:{port}/api/v1/workflows/{workflow_id}/execute", json={"version": "draft", "input": {"n": 0}}
    )
    answer.raise_for_status()
    execution_id = answer.json()["data"]["execution_id"]
    latencies = []
    while True:
        message = websocket.recv(timeout=WAIT)
        received = time.time()  # before parsing: the parse is the client's cost, not ours
        event = json.loads(message)
        if event.get("execution_id") != execution_id:
            continue
        if event["event"] == "step.succeeded":
            finished = datetime.fromisoformat(event["data"]["finished_at"]).timestamp()
            latencies.append((received - finished) * 1000)
        if event["event"] == "execution.finished":
            assert event["data"]["status"] == "completed", event
            return latencies


def warm_up(http, port: int, workflow_id: str) -> None:
    """Runs before measuring: the worker's first imports and connections are paid here.

    The WebSocket connects only afterwards, so it never sits idle while the worker starts.
    """
    from workflows.models import Execution
    from workflows.waiting import wait_for_end

    for _ in range(WARMUP_RUNS):
        answer = http.post(
            f"http://127.0.0.1:{port}/api/v1/workflows/{workflow_id}/execute",
            json={"version": "draft", "input": {"n": 0}},
        )
        answer.raise_for_status()
        execution = Execution.objects.get(pk=answer.json()["data"]["execution_id"])
        if not wait_for_end(execution, WAIT).is_terminal:
            raise SystemExit(f"warm-up run {execution.id} did not end")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=100)
    args = parser.parse_args()
    configure()
    database_url, redis_url = os.environ["DATABASE_URL"], os.environ["REDIS_URL"]
    workflow_id, plaintext = prepare()

    import httpx
    from websockets.sync.client import connect

    port, auth = free_port(), {"Authorization": f"Bearer {plaintext}"}
    url = f"ws://127.0.0.1:{port}/ws/workflows/{workflow_id}/"
    with web_and_worker(port), httpx.Client(headers=auth, timeout=WAIT + 5) as http:
        warm_up(http, port, workflow_id)
        # A program sends no Origin by itself; the server's origin check wants one of ALLOWED_HOSTS.
        with connect(url, additional_headers=auth, origin="http://127.0.0.1", open_timeout=WAIT) as websocket:
            assert json.loads(websocket.recv(timeout=WAIT))["event"] == "snapshot"
            runs = [measure_run(websocket, http, port, workflow_id) for _ in range(args.runs)]
    latencies = sorted(value for run in runs for value in run)
    report(latencies, args.runs, database_url, redis_url)


def report(latencies: list[float], runs: int, database_url: str, redis_url: str) -> None:
    print(f"step end (worker) → WebSocket event (client of daphne), 5-node flow, {runs} runs, {len(latencies)} steps:")
    print(f"  p50  {percentile(latencies, 0.50):7.2f} ms")
    print(f"  p90  {percentile(latencies, 0.90):7.2f} ms")
    print(f"  p99  {percentile(latencies, 0.99):7.2f} ms")
    print(f"  max  {latencies[-1]:7.2f} ms   mean {statistics.fmean(latencies):.2f} ms")
    command = f"DATABASE_URL={database_url} REDIS_URL={redis_url} .venv/bin/python bench/event_latency.py"
    print(f"reproduce: {command} --runs {runs}")


if __name__ == "__main__":
    main()
