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
import socket
import statistics
import subprocess
import sys
import time
from datetime import datetime
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
DEFAULT_DATABASE_URL = "postgres://postgres@127.0.0.1:5432/flowbuilder_bench"
DEFAULT_REDIS_URL = "redis://127.0.0.1:6379/14"
WARMUP_RUNS = 3
WAIT = 30


def create_database_if_missing(url: str) -> None:
    import psycopg

    parts = urlsplit(url)
    name = parts.path.lstrip("/")
    admin_url = urlunsplit(parts._replace(scheme="postgresql", path="/postgres"))
    with psycopg.connect(admin_url, autocommit=True) as admin:
        if not admin.execute("SELECT 1 FROM pg_database WHERE datname = %s", [name]).fetchone():
            admin.execute(f'CREATE DATABASE "{name}"')


def prepare(database_url: str, redis_url: str) -> tuple[str, str]:
    """Migrate, and make an organization on the Business plan, an API key and the flow."""
    os.environ.update(DATABASE_URL=database_url, REDIS_URL=redis_url, DJANGO_SETTINGS_MODULE="flowbuilder.settings")
    import django

    django.setup()
    from django.core.management import call_command

    from accounts import services as accounts
    from accounts.models import Organization, Plan, Role
    from workflows import services
    from workflows.models import Workflow

    call_command("migrate", verbosity=0)
    organization = Organization.objects.filter(name="Bench").first() or accounts.create_organization(
        "Bench", plan=Plan.BUSINESS
    )
    plaintext = accounts.create_api_key(organization, name="event latency bench", role=Role.ADMIN).plaintext
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


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@contextlib.contextmanager
def web_and_worker(port: int):
    """daphne and one rqworker, as separate processes; always stopped on the way out."""
    import httpx

    env = {**os.environ, "FLOWBUILDER_HTTP_ALLOW_LIST": "127.0.0.1"}
    commands = [
        [sys.executable, "-m", "daphne", "-b", "127.0.0.1", "-p", str(port), "flowbuilder.asgi:application"],
        [sys.executable, "manage.py", "rqworker", "executions"],
    ]
    processes = [subprocess.Popen(command, cwd=ROOT, env=env, stdout=subprocess.DEVNULL) for command in commands]
    try:
        deadline = time.monotonic() + WAIT
        while True:
            with contextlib.suppress(httpx.HTTPError):
                httpx.get(f"http://127.0.0.1:{port}/api/v1/", timeout=1)
                break
            if time.monotonic() > deadline:
                raise SystemExit("daphne did not answer")
            time.sleep(0.1)
        yield
    finally:
        for process in processes:
            process.terminate()
        for process in processes:
            process.wait(timeout=15)


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

    for _ in range(WARMUP_RUNS):
        answer = http.post(
            f"http://127.0.0.1:{port}/api/v1/workflows/{workflow_id}/execute",
            json={"version": "draft", "input": {"n": 0}},
        )
        answer.raise_for_status()
        execution = Execution.objects.get(pk=answer.json()["data"]["execution_id"])
        deadline = time.monotonic() + WAIT
        while not execution.is_terminal:
            if time.monotonic() > deadline:
                raise SystemExit(f"warm-up run {execution.id} did not end")
            time.sleep(0.05)
            execution.refresh_from_db()


def percentile(sorted_values: list[float], fraction: float) -> float:
    return sorted_values[min(len(sorted_values) - 1, int(fraction * len(sorted_values)))]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=100)
    args = parser.parse_args()
    database_url = os.environ.get("DATABASE_URL", DEFAULT_DATABASE_URL)
    redis_url = os.environ.get("REDIS_URL", DEFAULT_REDIS_URL)
    create_database_if_missing(database_url)
    workflow_id, plaintext = prepare(database_url, redis_url)

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
