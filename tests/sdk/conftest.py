"""The Python SDK's tests: the package from sdk/python/src (not installed), and a real server.

They live under tests/ rather than sdk/python/tests so that `make test`'s pytest finds them with
the project's fixtures (organizations, keys, the webhook receiver) and its test database; the
packaging test checks separately that the built wheel works on its own.
"""

from __future__ import annotations

import contextlib
import sys
from pathlib import Path

import httpx
import pytest

from tests.webhooks.conftest import receiver  # noqa: F401 - the loopback webhook receiver, reused
from tests.workflows.processes import ROOT, process_env, serving
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
    env = process_env(FLOWBUILDER_VAR_DIR=str(tmp_path), FLOWBUILDER_INLINE_RUN_SECONDS="0")
    with serving(env, [EXECUTION_QUEUE, WEBHOOK_QUEUE], tmp_path, ready=answers, wait=WAIT) as base_url:
        yield base_url
