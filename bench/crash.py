"""Crash safety under fire: workers SIGKILLed every few seconds while runs call slow HTTP and wait.

    .venv/bin/python bench/crash.py [--executions 50] [--workers 3] [--kill-every 4] [--lease 10]

Scaled mode: PostgreSQL + Redis, real `manage.py rqworker` processes (with RQ's scheduler)
and one `manage.py run_scheduler`. Half the runs call a loopback HTTP server that sleeps
(manual -> set -> slow POST -> set), half wait 2 s (manual -> wait -> set). Every few seconds
a random worker is SIGKILLed and a fresh one started. Prints executions lost, completed steps
re-run, in-flight re-runs carrying the same Idempotency-Key, kill -> running-again seconds,
wait lateness and the queue's peak; no pass/fail. Uses $DATABASE_URL / $REDIS_URL (default
flowbuilder_bench and Redis db 14); the executions queue there is emptied first.
"""

from __future__ import annotations

import argparse
import os
import random
import signal
import statistics
import threading
import time
from collections import Counter, defaultdict
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import parse_qs, urlparse

from support import Process, configure, make_org_and_key

WAIT_SECONDS = 2


class SlowHandler(BaseHTTPRequestHandler):
    def do_POST(self):
        self.rfile.read(int(self.headers.get("Content-Length") or 0))
        query = parse_qs(urlparse(self.path).query)
        self.server.seen.append((query["run"][0], self.headers.get("Idempotency-Key")))
        time.sleep(self.server.delay)
        body = b'{"ok": true}'
        try:
            self.send_response(200)
            self.send_header("Content-Type", "application/json")
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)
        except OSError:
            pass  # the worker that asked was killed

    def log_message(self, *args):
        pass


def start_slow_server(delay: float, port: int = 0) -> ThreadingHTTPServer:
    server = ThreadingHTTPServer(("127.0.0.1", port), SlowHandler)
    server.daemon_threads, server.seen, server.delay = True, [], delay
    threading.Thread(target=server.serve_forever, daemon=True).start()
    return server


def flows(url: str) -> dict[str, dict]:
    def node(node_id: str, node_type: str, config: dict) -> dict:
        return {"id": node_id, "type": node_type, "config": config}

    def chain(*ids: str) -> list[dict]:
        pairs = zip(ids, ids[1:], strict=False)
        return [{"id": f"e{i}", "source": a, "source_port": "out", "target": b} for i, (a, b) in enumerate(pairs)]

    slow = {
        "nodes": [
            node("start", "trigger.manual", {}),
            node("before", "data.set", {"fields": {"n": "{{ input.n }}"}}),
            node("slow", "http.request", {"method": "POST", "url": url + "?run={{ execution.id }}", "body": {"n": 1},
                                          "timeout_seconds": 60}),
            node("after", "data.set", {"fields": {"done": True}}),
        ],
        "edges": chain("start", "before", "slow", "after"),
    }  # fmt: skip
    waits = {
        "nodes": [
            node("start", "trigger.manual", {}),
            node("pause", "logic.wait", {"seconds": WAIT_SECONDS}),
            node("after", "data.set", {"fields": {"waited": True}}),
        ],
        "edges": chain("start", "pause", "after"),
    }
    return {"slow": slow, "waits": waits}


class Workers:
    """The worker processes; `kill_one` SIGKILLs a random one (and its work horse) and starts another."""

    def __init__(self, count: int) -> None:
        self.processes = [self.start() for _ in range(count)]

    @staticmethod
    def start() -> Process:
        return Process("manage.py", "rqworker", "executions", "--with-scheduler")

    def kill_one(self) -> int:
        victim = self.processes.pop(random.randrange(len(self.processes)))
        os.killpg(victim.process.pid, signal.SIGKILL)
        victim.process.wait(timeout=10)
        victim.log.close()
        self.processes.append(self.start())
        return victim.process.pid

    def stop(self) -> None:
        for process in self.processes:
            process.stop()


class Watch:
    """Samples the database and the queue: who holds what, when waits are due, the queue's depth."""

    def __init__(self, ids: list[str]) -> None:
        self.ids, self.queue_peak = ids, 0
        self.resume_at: dict[str, set] = defaultdict(set)
        self.kills: list[tuple[float, int, list[str], dict[str, str]]] = []
        self.back_after: list[float] = []
        self.pending_kills: list[tuple[float, str, str]] = []

    def sample(self) -> bool:
        from flowbuilder.redis import get_queue
        from workflows.models import Execution

        self.queue_peak = max(self.queue_peak, get_queue("executions").count)
        rows = Execution.objects.filter(pk__in=self.ids).values_list("id", "status", "lease_owner", "resume_at")
        now, still = time.monotonic(), []
        owners = {execution_id: (status, owner) for execution_id, status, owner, _ in rows}
        for execution_id, status, _, resume_at in rows:
            if status == "waiting" and resume_at:
                self.resume_at[execution_id].add(resume_at)
        for killed_at, execution_id, dead_owner in self.pending_kills:
            status, owner = owners[execution_id]
            if status == "running" and owner and owner != dead_owner:
                self.back_after.append(now - killed_at)
            elif status not in ("completed", "failed", "cancelled"):
                still.append((killed_at, execution_id, dead_owner))
        self.pending_kills = still
        return all(status in ("completed", "failed", "cancelled") for status, _ in owners.values())

    def record_kill(self, pid: int) -> int:
        from workflows.models import Execution

        held = Execution.objects.filter(pk__in=self.ids, status="running", lease_owner__contains=f":{pid}:")
        killed_at = time.monotonic()
        for execution_id, owner in held.values_list("id", "lease_owner"):
            self.pending_kills.append((killed_at, execution_id, owner))
        return held.count()


def drive(ids: list[str], workers: Workers, kill_every: float, timeout: float) -> tuple[Watch, int, int]:
    watch, kills, held = Watch(ids), 0, 0
    deadline, next_kill = time.monotonic() + timeout, time.monotonic() + kill_every
    while time.monotonic() < deadline:
        if watch.sample() and not watch.pending_kills:
            break
        if time.monotonic() >= next_kill:
            held += watch.record_kill(workers.kill_one())
            kills, next_kill = kills + 1, time.monotonic() + kill_every
        time.sleep(0.1)
    return watch, kills, held


def step_figures(ids: list[str], seen: list[tuple[str, str]]) -> dict:
    from workflows.models import ExecutionStep

    succeeded = Counter()
    attempts = Counter()
    for execution_id, step_key, status in ExecutionStep.objects.filter(execution_id__in=ids).values_list(
        "execution_id", "step_key", "status"
    ):
        attempts[(execution_id, step_key)] += 1
        succeeded[(execution_id, step_key)] += status == "succeeded"
    keys_by_run = defaultdict(set)
    for execution_id, key in seen:
        keys_by_run[execution_id].add(key)
    reruns = [execution_id for (execution_id, step), n in attempts.items() if step == "slow" and n > 1]
    same_key = [run for run in reruns if keys_by_run[run] == {f"{run}:slow"}]
    return {
        "completed_rerun": sum(1 for n in succeeded.values() if n > 1),
        "inflight_reruns": len(reruns),
        "same_key": len(same_key),
    }


def lateness(watch: Watch, ids: list[str]) -> list[float]:
    from workflows.models import ExecutionStep

    late = []
    for execution_id, started in ExecutionStep.objects.filter(
        execution_id__in=ids, node_id="after", status="succeeded"
    ).values_list("execution_id", "started_at"):
        due = [moment for moment in watch.resume_at.get(execution_id, ()) if moment <= started]
        if due:
            late.append((started - max(due)).total_seconds())
    return late


def spread(values: list[float]) -> str:
    if not values:
        return "none measured"
    return f"min {min(values):.1f} / median {statistics.median(values):.1f} / max {max(values):.1f} s"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--executions", type=int, default=50)
    parser.add_argument("--workers", type=int, default=3)
    parser.add_argument("--kill-every", type=float, default=4.0)
    parser.add_argument("--lease", type=int, default=10, help="FLOWBUILDER_LEASE_SECONDS for the workers")
    parser.add_argument("--http-delay", type=float, default=1.5)
    parser.add_argument("--timeout", type=float, default=600)
    parser.add_argument("--http-port", type=int, default=0, help="the slow server's port (0: any free one)")
    args = parser.parse_args()
    os.environ["FLOWBUILDER_LEASE_SECONDS"] = str(args.lease)
    os.environ["FLOWBUILDER_HEARTBEAT_SECONDS"] = str(max(1, args.lease // 5))
    configure()
    from flowbuilder.redis import get_queue
    from workflows import services

    get_queue("executions").empty()
    organization, _ = make_org_and_key("Crash bench")
    server = start_slow_server(args.http_delay, args.http_port)
    url = f"http://127.0.0.1:{server.server_address[1]}/slow"
    stamp = f"{time.time():.0f}"
    workflows = [
        services.create_workflow(organization.default_project, name=f"crash {name} {stamp}", definition=definition)
        for name, definition in flows(url).items()
    ]
    workers, scheduler = Workers(args.workers), Process("manage.py", "run_scheduler", "--interval", "0.5")
    try:
        time.sleep(3)  # let the workers boot and register
        ids = [
            services.start_execution(workflows[n % 2], input={"n": n}, version=None).id for n in range(args.executions)
        ]
        watch, kills, held = drive(ids, workers, args.kill_every, args.timeout)
    finally:
        workers.stop()
        scheduler.stop()
        server.shutdown()
    report(args, ids, watch, kills, held, server.seen)


def report(args, ids: list[str], watch: Watch, kills: int, held: int, seen: list) -> None:
    from workflows.models import Execution

    statuses = Counter(Execution.objects.filter(pk__in=ids).values_list("status", flat=True))
    steps = step_figures(ids, seen)
    print(f"crash bench: {args.executions} executions, slow HTTP ({args.http_delay} s) or {WAIT_SECONDS} s waits;")
    print(f"  {args.workers} rqworkers + run_scheduler, lease {args.lease} s, SIGKILL every {args.kill_every} s")
    print(f"  kills: {kills} (holding {held} running executions); final statuses: {dict(statuses)}")
    print(f"executions lost:                   {args.executions - statuses.get('completed', 0)}")
    print(f"completed steps re-run:            {steps['completed_rerun']}")
    print(f"in-flight re-runs with same key:   {steps['same_key']} of {steps['inflight_reruns']}")
    print(f"kill -> running again:             {spread(watch.back_after)}")
    late = lateness(watch, ids)
    median = f"{statistics.median(late):.1f}" if late else "-"
    print(f"wait lateness:                     median {median} / max {max(late, default=0):.1f} s ({len(late)} waits)")
    print(f"queue peak:                        {watch.queue_peak} jobs for {args.executions} executions in flight")
    print(
        f"reproduce: .venv/bin/python bench/crash.py --executions {args.executions} --workers {args.workers}"
        f" --kill-every {args.kill_every} --lease {args.lease} --http-delay {args.http_delay}"
    )


if __name__ == "__main__":
    main()
