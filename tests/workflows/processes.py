"""Real worker and scheduler processes for end-to-end tests, on the test database."""

from __future__ import annotations

import contextlib
import os
import signal
import socket
import subprocess
import sys
import time
from collections.abc import Callable, Iterator, Sequence
from pathlib import Path

from django.conf import settings
from django.db import connection

ROOT = Path(__file__).resolve().parents[2]


def process_env(**extra: str) -> dict[str, str]:
    """The environment of a child process: the pytest-django test database, our Redis."""
    db = connection.settings_dict
    env = dict(os.environ)
    host, port = db["HOST"] or "127.0.0.1", db["PORT"] or 5432
    env.update(
        DATABASE_URL=f"postgres://{db['USER'] or 'postgres'}@{host}:{port}/{db['NAME']}",
        REDIS_URL=settings.REDIS_URL,
        FLOWBUILDER_HTTP_ALLOW_LIST="127.0.0.1",
        FLOWBUILDER_LEASE_SECONDS="2",
        FLOWBUILDER_HEARTBEAT_SECONDS="1",
        DJANGO_SETTINGS_MODULE="flowbuilder.settings",
        PYTHONUNBUFFERED="1",
    )
    env.update(extra)
    return env


class ManagedProcess:
    """A child process in its own process group, so a kill takes its children too."""

    def __init__(self, *args: str, **env: str) -> None:
        self.args = args
        self.process = subprocess.Popen(
            [sys.executable, "manage.py", *args],
            cwd=ROOT,
            env=process_env(**env),
            stdout=subprocess.DEVNULL,
            stderr=subprocess.PIPE,
            start_new_session=True,
        )

    def kill(self) -> None:
        """SIGKILL, like a machine losing power: no cleanup runs.

        RQ's work horse (the forked child running the job) starts its own session, so
        killing the worker's process group would spare it: kill the children first.
        """
        if self.process.poll() is None:
            subprocess.run(["pkill", "-KILL", "-P", str(self.process.pid)], check=False)
            os.killpg(self.process.pid, signal.SIGKILL)
            self.process.wait(timeout=10)

    def stop(self) -> None:
        if self.process.poll() is None:
            os.killpg(self.process.pid, signal.SIGTERM)
            try:
                self.process.wait(timeout=10)
            except subprocess.TimeoutExpired:
                self.kill()


def start_worker(queue: str = "executions", *, with_scheduler: bool = True) -> ManagedProcess:
    return ManagedProcess("rqworker", queue, *(["--with-scheduler"] if with_scheduler else []))


def start_scheduler(interval: float = 0.2) -> ManagedProcess:
    return ManagedProcess("run_scheduler", "--interval", str(interval))


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def wait_until(predicate, *, timeout: float = 30, what: str = "condition", poll: float = 0.05):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        value = predicate()
        if value:
            return value
        time.sleep(poll)
    raise AssertionError(f"timed out after {timeout} s waiting for {what}")


def web_server_command(port: int) -> list[str]:
    """daphne (`make run`), or FLOWBUILDER_TEST_WEB_SERVER=granian|uvicorn (the scaled mode's choices)."""
    app = "flowbuilder.asgi:application"
    server = os.environ.get("FLOWBUILDER_TEST_WEB_SERVER", "daphne")
    if server == "granian":
        return [sys.executable, "-m", "granian", "--interface", "asgi", "--host", "127.0.0.1", "--port", str(port),
                "--log-level", "warning", app]  # fmt: skip
    if server == "uvicorn":
        return [sys.executable, "-m", "uvicorn", app, "--host", "127.0.0.1", "--port", str(port),
                "--loop", "uvloop", "--http", "httptools", "--no-access-log"]  # fmt: skip
    return [sys.executable, "-m", "daphne", "-b", "127.0.0.1", "-p", str(port), app]


@contextlib.contextmanager
def serving(
    env: dict[str, str], queues: Sequence[str], log_dir: Path, *, ready: Callable[[str], bool], wait: float = 120
) -> Iterator[str]:
    """daphne and an rqworker (on `queues`; none if empty) on the test database: the base URL once both are up.

    Both are stopped afterwards; the end of each log is printed (pytest shows it when the test failed).
    `ready(base_url)` says when daphne answers; `wait` bounds each wait, never asserted on.
    """
    from rq import Worker

    from flowbuilder.redis import get_queue

    port = free_port()
    commands = {"daphne": web_server_command(port)}
    if queues:
        commands["worker"] = [sys.executable, "manage.py", "rqworker", *queues, "--with-scheduler"]
    processes: dict[str, subprocess.Popen] = {}
    base_url = f"http://127.0.0.1:{port}"
    try:
        for name, command in commands.items():
            log = (log_dir / f"{name}.log").open("w")
            processes[name] = subprocess.Popen(command, cwd=ROOT, env=env, stdout=log, stderr=subprocess.STDOUT)
        wait_until(lambda: ready(base_url), timeout=wait, what="daphne to answer")
        if queues:
            wait_until(lambda: Worker.all(queue=get_queue(queues[0])), timeout=wait, what="the worker to register")
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
            print(f"--- {name} log ---\n{(log_dir / f'{name}.log').read_text()[-3000:]}")
