"""A real server for browser tests: daphne and an rqworker on the test database, Chromium driving it.

The processes share a throwaway var dir (secret key, collected static files) and the test
Redis, so sessions made by daphne are read by daphne and runs queued there reach the worker.
Each test leaves a screenshot in test-artifacts/, passed or failed.
"""

from __future__ import annotations

import contextlib
import os
import re
import subprocess
import sys
from pathlib import Path

import httpx
import pytest
from django.db import connections
from playwright.sync_api import Page, sync_playwright

from tests.workflows.processes import process_env, serving
from workflows.services import EXECUTION_QUEUE

ROOT = Path(__file__).resolve().parents[2]
ARTIFACTS = ROOT / "test-artifacts"
CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--no-first-run",
]
PASSWORD = "correct horse battery"
# Bounds each wait for a process, never asserted on (django.setup alone took 25 s on a loaded 2-core machine).
WAIT = 120
UI_WAIT_MS = 20_000  # how long a browser expectation may take to come true


def answers(base_url: str) -> bool:
    with contextlib.suppress(httpx.HTTPError):
        return httpx.get(f"{base_url}/login/", timeout=1).status_code == 200
    return False


@pytest.fixture(scope="session")
def var_dir(tmp_path_factory) -> Path:
    """One var dir for every server of the session, with the static files collected once."""
    path = tmp_path_factory.mktemp("e2e-var")
    env = {**os.environ, "FLOWBUILDER_VAR_DIR": str(path), "DJANGO_SETTINGS_MODULE": "flowbuilder.settings"}
    command = [sys.executable, "manage.py", "collectstatic", "--noinput", "--verbosity", "0"]
    subprocess.run(command, cwd=ROOT, env=env, check=True, timeout=300)
    return path


@pytest.fixture
def server_env() -> dict[str, str]:
    """Extra environment for the server's processes; a test module overrides it to tune settings."""
    return {}


@pytest.fixture
def server_queues() -> list[str]:
    """The queues the server's worker takes jobs from; a test module overrides it (e.g. to add webhooks)."""
    return [EXECUTION_QUEUE]


@pytest.fixture
def server(transactional_db, var_dir, tmp_path, server_env, server_queues):
    """The base URL of a daphne process, with an rqworker process running its queued runs."""
    env = process_env(FLOWBUILDER_VAR_DIR=str(var_dir), **server_env)
    with serving(env, server_queues, tmp_path, ready=answers, wait=WAIT) as base_url:
        yield base_url


@pytest.fixture
def browser(monkeypatch):
    """Chromium for one test.

    Playwright's sync API keeps an event loop running in this thread while it is open, and
    Django refuses ORM calls under a running loop. The test's own ORM calls are plain sync
    code, so they are allowed for as long as the browser lives, and no longer: a browser per
    test keeps the rest of the suite out of that loop.
    """
    monkeypatch.setenv("DJANGO_ALLOW_ASYNC_UNSAFE", "true")
    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield chromium
        chromium.close()
        # Under Playwright's loop Django's connections are context-local: the test's ORM calls
        # opened one of their own. Close it here, in that context, or it outlives the test.
        connections.close_all()


@pytest.fixture
def viewport():
    return {"width": 1280, "height": 800}


@pytest.fixture
def page(browser, viewport, request):
    """A fresh browser tab; its console errors are kept on `page.console_errors`."""
    context = browser.new_context(viewport=viewport)
    context.set_default_timeout(UI_WAIT_MS)
    tab = context.new_page()
    tab.console_errors = []
    tab.on("console", lambda message: message.type == "error" and tab.console_errors.append(message.text))
    yield tab
    ARTIFACTS.mkdir(exist_ok=True)
    name = re.sub(r"[^A-Za-z0-9_.-]+", "_", request.node.name)
    with contextlib.suppress(Exception):  # a crashed tab must not hide the test's own failure
        tab.screenshot(path=str(ARTIFACTS / f"{name}.png"), full_page=True)
    context.close()


def log_in(page: Page, base_url: str, user) -> None:
    page.goto(f"{base_url}/login/")
    page.get_by_label("Email").fill(user.email)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Log in").click()
    page.wait_for_url(f"{base_url}/")
    # The login page's favicon 404 is the browser's habit, not the app's: count from here on.
    page.console_errors.clear()
