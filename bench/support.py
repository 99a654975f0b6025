"""Shared set-up for the benchmarks: a bench database, a business org and API key, processes."""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from urllib.parse import urlparse

ROOT = Path(__file__).resolve().parent.parent
DEFAULT_DATABASE_URL = "postgres://postgres@127.0.0.1:5432/flowbuilder_bench"
DEFAULT_REDIS_URL = "redis://127.0.0.1:6379/14"


def configure() -> dict[str, str]:
    """Point Django at the bench database and Redis (created and migrated if needed)."""
    os.environ.setdefault("DATABASE_URL", DEFAULT_DATABASE_URL)
    os.environ.setdefault("REDIS_URL", DEFAULT_REDIS_URL)
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "flowbuilder.settings")
    os.environ.setdefault("FLOWBUILDER_HTTP_ALLOW_LIST", "127.0.0.1")
    # The bench drives thousands of calls: lift the rate limit for its organization's plan.
    os.environ.setdefault("RATE_LIMIT_ENTERPRISE_MINUTE", "10000000")
    os.environ.setdefault("RATE_LIMIT_ENTERPRISE_DAY", "100000000")
    os.environ.setdefault("HOOK_RATE_LIMIT_ENTERPRISE_MINUTE", "10000000")  # hooks have their own limit
    os.environ.setdefault("HOOK_RATE_LIMIT_ENTERPRISE_DAY", "100000000")
    create_database(os.environ["DATABASE_URL"])
    sys.path.insert(0, str(ROOT))
    import django

    django.setup()
    from django.core.management import call_command

    call_command("migrate", verbosity=0)
    return dict(os.environ)


def configure_embedded(var_dir: Path) -> dict[str, str]:
    """The embedded mode (`make run`): no DATABASE_URL or REDIS_URL, SQLite under `var_dir`."""
    os.environ.pop("DATABASE_URL", None)
    os.environ.pop("REDIS_URL", None)
    os.environ["FLOWBUILDER_VAR_DIR"] = str(var_dir)
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "flowbuilder.settings")
    os.environ.setdefault("RATE_LIMIT_ENTERPRISE_MINUTE", "10000000")
    os.environ.setdefault("RATE_LIMIT_ENTERPRISE_DAY", "100000000")
    os.environ.setdefault("HOOK_RATE_LIMIT_ENTERPRISE_MINUTE", "10000000")  # hooks have their own limit
    os.environ.setdefault("HOOK_RATE_LIMIT_ENTERPRISE_DAY", "100000000")
    sys.path.insert(0, str(ROOT))
    import django

    django.setup()
    from django.core.management import call_command

    call_command("migrate", verbosity=0)
    return dict(os.environ)


def create_database(url: str) -> None:
    import psycopg

    parsed = urlparse(url)
    name = parsed.path.lstrip("/")
    admin = parsed._replace(path="/postgres").geturl()
    with psycopg.connect(admin, autocommit=True) as connection:
        exists = connection.execute("SELECT 1 FROM pg_database WHERE datname = %s", (name,)).fetchone()
        if not exists:
            connection.execute(f'CREATE DATABASE "{name}"')


def make_org_and_key(name: str):
    from accounts import services
    from accounts.models import Organization, Plan, Role

    organization = Organization.objects.filter(name=name).first() or services.create_organization(
        name, plan=Plan.ENTERPRISE
    )
    key = services.create_api_key(organization, name="bench", role=Role.ADMIN).plaintext
    return organization, key


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


class Process:
    """A child process; its output goes to a log file under the temp folder, for post-mortems."""

    def __init__(self, *args: str) -> None:
        self.log_path = Path(tempfile.gettempdir()) / f"flowbuilder-bench-{args[0].replace('/', '_')}-{os.getpid()}.log"
        self.log = open(self.log_path, "ab")  # noqa: SIM115 - closed in stop()
        self.process = subprocess.Popen(
            [sys.executable, *args],
            cwd=ROOT,
            env=dict(os.environ),
            stdout=self.log,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )

    def stop(self) -> None:
        if self.process.poll() is None:
            os.killpg(self.process.pid, signal.SIGTERM)
            try:
                self.process.wait(timeout=15)
            except subprocess.TimeoutExpired:
                os.killpg(self.process.pid, signal.SIGKILL)
        self.log.close()


def start_daphne(port: int) -> Process:
    server = Process("-m", "daphne", "--bind", "127.0.0.1", "--port", str(port), "flowbuilder.asgi:application")
    wait_for_port(port)
    return server


def start_web(port: int, server: str = "daphne", processes: int = 1) -> Process:
    """The ASGI app under daphne (one process), uvicorn (uvloop, httptools) or granian."""
    app = "flowbuilder.asgi:application"
    if server == "daphne":
        return start_daphne(port)
    if server == "uvicorn":
        web = Process("-m", "uvicorn", app, "--host", "127.0.0.1", "--port", str(port), "--workers", str(processes),
                      "--loop", "uvloop", "--http", "httptools", "--no-access-log", "--log-level", "warning",
                      )  # fmt: skip
    else:
        web = Process("-m", "granian", "--interface", "asgi", "--host", "127.0.0.1", "--port", str(port),
                      "--workers", str(processes), "--log-level", "warning", app)  # fmt: skip
    wait_for_port(port)
    time.sleep(2 if processes > 1 else 0)  # every worker process imports the app
    return web


def cpu_seconds(pid: int) -> float:
    """User + system CPU seconds of a process and its children (RQ's horses, server workers)."""
    ticks = os.sysconf("SC_CLK_TCK")
    total = 0.0
    for candidate in [pid, *descendants(pid)]:
        try:
            fields = Path(f"/proc/{candidate}/stat").read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        total += (int(fields[11]) + int(fields[12])) / ticks
    return total


def service_cpu_seconds(name: str) -> float:
    """User + system CPU seconds of every process called `name` (postgres, redis-server) on the
    machine, with their ended children's (a closed connection's backend counts in its
    postmaster's): the bench's share of the services only when nothing else uses them."""
    ticks = os.sysconf("SC_CLK_TCK")
    total = 0.0
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            head, tail = stat.read_text().rsplit(")", 1)
        except OSError:
            continue
        if head.split("(", 1)[1] == name:
            fields = tail.split()
            total += sum(int(value) for value in fields[11:15]) / ticks  # utime stime cutime cstime
    return total


def descendants(pid: int) -> list[int]:
    found = []
    for child in child_pids(pid):
        found += [child, *descendants(child)]
    return found


def start_workers(count: int, worker_class: str | None = None) -> list[Process]:
    extra = ["--worker-class", worker_class] if worker_class else []
    return [Process("manage.py", "rqworker", "executions", "--with-scheduler", *extra) for _ in range(count)]


def wait_for_port(port: int, timeout: float = 120) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        try:
            with socket.create_connection(("127.0.0.1", port), timeout=0.5):
                return
        except OSError:
            time.sleep(0.1)
    raise RuntimeError(f"nothing listens on port {port}")


def machine_speed() -> str:
    """How fast this machine runs Python, to compare figures taken on different machines.

    The seconds a 20-million-step pure-Python loop takes here (best of 3): one core, no I/O.
    Taken before the servers start. Figures from a machine whose loop takes twice as long are
    roughly half as high, so compare runs made on machines with about the same figure.
    """
    best = float("inf")
    for _ in range(3):
        started, total = time.perf_counter(), 0
        for step in range(20_000_000):
            total += step
        best = min(best, time.perf_counter() - started)
    return f"machine speed: a 20M-step Python loop takes {best:.2f} s here (best of 3)"


def percentile(values: list[float], fraction: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(round(fraction * (len(ordered) - 1))))]


def rss_mib(pid: int) -> float:
    """Resident memory of a process and its children (RQ's work horses), in MiB."""
    total_kib = 0
    for candidate in [pid, *child_pids(pid)]:
        try:
            status = Path(f"/proc/{candidate}/status").read_text()
        except OSError:
            continue
        for line in status.splitlines():
            if line.startswith("VmRSS:"):
                total_kib += int(line.split()[1])
    return total_kib / 1024


def child_pids(pid: int) -> list[int]:
    try:
        return [int(child) for child in Path(f"/proc/{pid}/task/{pid}/children").read_text().split()]
    except OSError:
        return []
