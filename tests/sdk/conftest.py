"""The Python SDK's tests: the package from sdk/python/src (not installed), and a real server.

They live under tests/ rather than sdk/python/tests so that `make test`'s pytest finds them with
the project's fixtures (organizations, keys, the webhook receiver) and its test database; the
packaging test checks separately that the built wheel works on its own.
"""

from __future__ import annotations

import contextlib
import subprocess
import sys
from pathlib import Path

import httpx
import pytest
from rq import Worker

from flowbuilder.redis import get_queue
from tests.webhooks.conftest import receiver  # noqa: F401 - the loopback webhook receiver, reused
from tests.workflows.processes import ROOT, free_port, process_env, wait_until
from webhooks.services import QUEUE_NAME as WEBHOOK_QUEUE
from workflows.services import EXECUTION_QUEUE

SDK_ROOT = ROOT / "sdk" / "python"
SDK_SOURCE = SDK_ROOT / "src"
if str(SDK_SOURCE) not in sys.path:
    sys.path.insert(0, str(SDK_SOURCE))

WAIT = 120  # seconds for a process to come up: bounds a wait, never asserted on


def answers(base_url: str) -> bool:
    with contextlib.suppress(httpx.HTTPError):
        return httpx.get(f"{base_url}/api/v1/schema/", timeout=5).status_code == 200
    return False


@pytest.fixture
def live_api(transactional_db, tmp_path: Path):
    """The base URL of a daphne process on the test database, with an rqworker for runs and deliveries.

    FLOWBUILDER_INLINE_RUN_SECONDS=0 sends every run to the worker (no run in the web process),
    so `execute_and_wait` waits for a real worker.
    """
    port = free_port()
    env = process_env(FLOWBUILDER_VAR_DIR=str(tmp_path), FLOWBUILDER_INLINE_RUN_SECONDS="0")
    commands = {
        "daphne": [sys.executable, "-m", "daphne", "-b", "127.0.0.1", "-p", str(port), "flowbuilder.asgi:application"],
        "worker": [sys.executable, "manage.py", "rqworker", EXECUTION_QUEUE, WEBHOOK_QUEUE, "--with-scheduler"],
    }
    processes, base_url = {}, f"http://127.0.0.1:{port}"
    try:
        for name, command in commands.items():
            log = (tmp_path / f"{name}.log").open("w")
            processes[name] = subprocess.Popen(command, cwd=ROOT, env=env, stdout=log, stderr=subprocess.STDOUT)
        wait_until(lambda: answers(base_url), timeout=WAIT, what="daphne to answer")
        wait_until(lambda: Worker.all(queue=get_queue(EXECUTION_QUEUE)), timeout=WAIT, what="the worker")
        yield base_url
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
