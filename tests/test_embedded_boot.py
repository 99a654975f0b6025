"""`make run`'s embedded mode: no DATABASE_URL, no REDIS_URL, one process serving."""

import json
import os
import re
import subprocess
import sys
import time
from pathlib import Path

import httpx
import pytest

from tests.workflows.processes import free_port

ROOT = Path(__file__).resolve().parent.parent


@pytest.fixture
def embedded_env(tmp_path):
    env = {key: value for key, value in os.environ.items() if key not in {"DATABASE_URL", "REDIS_URL"}}
    env["FLOWBUILDER_VAR_DIR"] = str(tmp_path / "var")
    env["DJANGO_SETTINGS_MODULE"] = "flowbuilder.settings"
    return env


def manage(env, *args) -> str:
    done = subprocess.run(
        [sys.executable, "manage.py", *args], cwd=ROOT, env=env, capture_output=True, text=True, timeout=300
    )
    assert done.returncode == 0, done.stderr
    return done.stdout


@pytest.mark.slow
def test_the_embedded_server_boots_and_the_demo_login_works(embedded_env):
    manage(embedded_env, "migrate", "--noinput")
    manage(embedded_env, "collectstatic", "--noinput", "--verbosity", "0")
    bootstrap = ["bootstrap", "--org", "Demo", "--email", "demo@flowbuilder.local", "--password", "demo-flowbuilder"]
    demo = json.loads(manage(embedded_env, *bootstrap, "--plan", "business", "--json"))
    port = free_port()
    server = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "daphne",
            "--bind",
            "127.0.0.1",
            "--port",
            str(port),
            "flowbuilder.asgi:application",
        ],
        cwd=ROOT,
        env=embedded_env,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
    )
    base = f"http://127.0.0.1:{port}"
    try:
        with httpx.Client(base_url=base, timeout=10) as browser:
            login_page = wait_for(browser, "/login/")
            token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', login_page.text).group(1)
            response = browser.post(
                "/login/",
                data={
                    "username": "demo@flowbuilder.local",
                    "password": "demo-flowbuilder",
                    "csrfmiddlewaretoken": token,
                },
                headers={"Referer": f"{base}/login/"},
            )
            assert response.status_code == 302, response.text
            dashboard = browser.get("/")
            assert dashboard.status_code == 200
            assert "Dashboard" in dashboard.text and "Demo" in dashboard.text
            assert browser.get("/static/css/app.css").status_code == 200
            assert_a_run_completes_on_the_embedded_worker(browser, demo["api_key"])
    finally:
        server.terminate()
        server.wait(timeout=10)


def assert_a_run_completes_on_the_embedded_worker(browser: httpx.Client, api_key: str) -> None:
    """The in-process worker (and RQ's scheduler in it, for waits) really runs executions."""
    auth = {"Authorization": f"Bearer {api_key}"}
    flow = {
        "nodes": [
            {"id": "start", "type": "trigger.manual", "config": {}},
            {"id": "pause", "type": "logic.wait", "config": {"seconds": 1}},
            {"id": "greet", "type": "data.set", "config": {"fields": {"hello": "{{ trigger.name }}"}}},
        ],
        "edges": [
            {"id": "e1", "source": "start", "source_port": "out", "target": "pause"},
            {"id": "e2", "source": "pause", "source_port": "out", "target": "greet"},
        ],
    }
    created = browser.post("/api/v1/workflows", json={"name": "Embedded check", "definition": flow}, headers=auth)
    assert created.status_code == 201, created.text
    workflow_id = created.json()["data"]["id"]
    started = browser.post(
        f"/api/v1/workflows/{workflow_id}/execute", json={"input": {"name": "Ada"}, "version": "draft"}, headers=auth
    ).json()["data"]
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        execution = browser.get(f"/api/v1/executions/{started['execution_id']}", headers=auth).json()["data"]
        if execution["status"] in ("completed", "failed"):
            break
        time.sleep(0.2)
    assert execution["status"] == "completed", execution
    assert execution["output"] == {"hello": "Ada"}


def wait_for(browser: httpx.Client, path: str) -> httpx.Response:
    deadline = time.monotonic() + 60
    while True:
        try:
            response = browser.get(path)
            if response.status_code == 200:
                return response
        except httpx.TransportError:
            pass
        if time.monotonic() > deadline:
            raise AssertionError(f"the embedded server did not answer {path} within 60 s")
        time.sleep(0.3)


def test_the_embedded_redis_is_one_client_shared_by_every_thread(settings):
    """Building a fakeredis client per call was a tenth of an embedded run's CPU (D19 addendum (4))."""
    import threading

    from flowbuilder.redis import get_redis

    settings.REDIS_URL = ""
    clients = [get_redis()]
    worker = threading.Thread(target=lambda: clients.append(get_redis()))
    worker.start()
    worker.join()

    assert clients[0] is clients[1] is get_redis()
    key = f"embedded-check-{time.time()}"
    clients[1].set(key, "seen", ex=5)
    assert clients[0].get(key) == b"seen"
