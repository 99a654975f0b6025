"""The embedded mode (SQLite, the in-process worker) under concurrent clients loses no run."""

import json
import sqlite3
import subprocess
import sys
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import httpx
import pytest

from tests.test_embedded_boot import ROOT, embedded_env, manage, wait_for  # noqa: F401
from tests.workflows.processes import free_port, wait_until

CLIENTS, RUNS_PER_CLIENT = 8, 100
FLOW = {
    "nodes": [
        {"id": "start", "type": "trigger.manual", "config": {}},
        {"id": "greet", "type": "data.set", "config": {"fields": {"hello": "{{ trigger.n }}"}}},
    ],
    "edges": [{"id": "e1", "source": "start", "source_port": "out", "target": "greet"}],
}


def execute_many(base: str, auth: dict, workflow_id: str, client_no: int) -> list[str]:
    """One client's runs, back to back; returns the ids the server accepted."""
    accepted = []
    with httpx.Client(base_url=base, headers=auth, timeout=60) as client:
        for n in range(RUNS_PER_CLIENT):
            body = {"input": {"n": client_no * 1000 + n}, "version": "draft"}
            response = client.post(f"/api/v1/workflows/{workflow_id}/execute", json=body)
            assert response.status_code == 202, response.text
            accepted.append(response.json()["data"]["execution_id"])
    return accepted


def statuses(database: Path) -> dict[str, int]:
    with sqlite3.connect(database, timeout=20) as db:
        return dict(db.execute("SELECT status, COUNT(*) FROM workflows_execution GROUP BY status").fetchall())


@pytest.mark.slow
def test_eight_concurrent_clients_lose_no_run_in_the_embedded_mode(embedded_env):  # noqa: F811
    embedded_env.update(RATE_LIMIT_BUSINESS_MINUTE="100000", LOG_LEVEL="WARNING")
    manage(embedded_env, "migrate", "--noinput")
    bootstrap = ["bootstrap", "--org", "Load", "--email", "load@flowbuilder.local", "--password", "load-flowbuilder"]
    api_key = json.loads(manage(embedded_env, *bootstrap, "--plan", "business", "--json"))["api_key"]
    port = free_port()
    server = subprocess.Popen(
        [sys.executable, "-m", "daphne", "--bind", "127.0.0.1", "--port", str(port), "flowbuilder.asgi:application"],
        cwd=ROOT,
        env=embedded_env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    base, auth = f"http://127.0.0.1:{port}", {"Authorization": f"Bearer {api_key}"}
    database = Path(embedded_env["FLOWBUILDER_VAR_DIR"]) / "flowbuilder.sqlite3"
    try:
        with httpx.Client(base_url=base, headers=auth, timeout=30) as client:
            wait_for(client, "/login/")
            created = client.post("/api/v1/workflows", json={"name": "Load", "definition": FLOW})
            assert created.status_code == 201, created.text
            workflow_id = created.json()["data"]["id"]
        with ThreadPoolExecutor(CLIENTS) as pool:
            batches = pool.map(lambda no: execute_many(base, auth, workflow_id, no), range(CLIENTS))
            accepted = [execution_id for batch in batches for execution_id in batch]
        assert len(set(accepted)) == CLIENTS * RUNS_PER_CLIENT
        wait_until(
            lambda: statuses(database).get("completed") == len(accepted),
            timeout=120,
            poll=0.5,
            what=f"all {len(accepted)} runs to complete (now {statuses(database)})",
        )
    finally:
        server.terminate()
        server.wait(timeout=10)
    assert statuses(database) == {"completed": CLIENTS * RUNS_PER_CLIENT}


def test_the_embedded_database_runs_in_wal_mode_with_a_busy_timeout(embedded_env):  # noqa: F811
    probe = (
        "import django; django.setup(); from django.db import connection; "
        "cursor = connection.cursor(); cursor.execute('PRAGMA journal_mode'); print(cursor.fetchone()[0]); "
        "cursor.execute('PRAGMA busy_timeout'); print(cursor.fetchone()[0]); print(connection.transaction_mode)"
    )
    done = subprocess.run(
        [sys.executable, "-c", probe], cwd=ROOT, env=embedded_env, capture_output=True, text=True, timeout=120
    )
    assert done.returncode == 0, done.stderr
    assert done.stdout.split() == ["wal", "20000", "IMMEDIATE"]
