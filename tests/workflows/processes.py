"""Real worker and scheduler processes for end-to-end tests, on the test database."""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
import time
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
