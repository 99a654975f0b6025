"""The sync webhook path: `/hooks/<token>` in `last_node` mode, answered with the run's output.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/flowbuilder_bench_hooks REDIS_URL=redis://127.0.0.1:6379/8 \\
        .venv/bin/python bench/webhook_sync.py [--workers 2] [--concurrency 1 8 32] [--duration 20] \\
        [--server granian|uvicorn|daphne] [--web-processes 2] [--embedded] [--no-counts]

webhook → data.set → logic.if → data.set → logic.succeed, through a real web server (granian
with 2 processes by default, as README's scaled mode) and N real `rqworker` processes on
PostgreSQL + Redis; every request waits for its run to be stored `completed` and gets the
output back. `--embedded` serves `make run`'s
way instead: one daphne, SQLite in a fresh folder, the in-process Redis stand-in and worker
threads, no services. Load comes from `wrk` (installed with apt-get when missing), else from
a Python httpx thread pool; the output says which. Prints requests/s, p50/p99 latency and
the CPU seconds each process used per request, per concurrency; then (scaled mode) the SQL
statements and Redis round trips per run from `bench/hotpath_counts.py`. No pass/fail.
"""

from __future__ import annotations

import argparse
import json
import os
import re
import shutil
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

from support import (
    ROOT,
    configure,
    configure_embedded,
    cpu_seconds,
    free_port,
    machine_speed,
    make_org_and_key,
    percentile,
    service_cpu_seconds,
    start_web,
    start_workers,
)

FLOW = {
    "nodes": [
        {"id": "hook", "type": "trigger.webhook", "config": {"methods": ["POST"], "response_mode": "last_node"}},
        {"id": "tag", "type": "data.set", "config": {"fields": {"n": "{{ trigger.body.n }}"}}},
        {"id": "check", "type": "logic.if", "config": {"condition": "{{ input.n % 2 == 0 }}"}},
        {"id": "label", "type": "data.set", "config": {"fields": {"parity": "even"}, "keep_input": True}},
        {"id": "reply", "type": "logic.succeed", "config": {}},
        {"id": "odd", "type": "logic.succeed", "config": {"output": {"parity": "odd"}}},
    ],
    "edges": [
        {"id": "e1", "source": "hook", "source_port": "out", "target": "tag"},
        {"id": "e2", "source": "tag", "source_port": "out", "target": "check"},
        {"id": "e3", "source": "check", "source_port": "true", "target": "label"},
        {"id": "e4", "source": "check", "source_port": "false", "target": "odd"},
        {"id": "e5", "source": "label", "source_port": "out", "target": "reply"},
    ],
}
BODY = {"n": 2}
UNITS = {"us": 0.001, "ms": 1.0, "s": 1000.0}


def find_wrk() -> str | None:
    """wrk from Debian; installed on the spot when apt-get can (the bench machine is ours)."""
    if shutil.which("wrk") is None and shutil.which("apt-get"):
        subprocess.run(["apt-get", "install", "-y", "wrk"], capture_output=True, check=False)
    return shutil.which("wrk")


def wrk_script(body: dict, headers: dict[str, str]) -> str:
    """wrk's Lua set-up: POST `body` as JSON with `headers` on every request."""
    lines = ['wrk.method = "POST"', f"wrk.body = {json.dumps(json.dumps(body))}"]
    for name, value in {"Content-Type": "application/json", **headers}.items():
        lines.append(f"wrk.headers[{json.dumps(name)}] = {json.dumps(value)}")
    return "\n".join(lines) + "\n"


def run_wrk(wrk: str, url: str, concurrency: int, duration: int, body: dict = BODY,
            headers: dict[str, str] | None = None) -> dict:  # fmt: skip
    with tempfile.NamedTemporaryFile("w", suffix=".lua", delete=False) as script:
        script.write(wrk_script(body, headers or {}))
    threads = min(concurrency, 2)
    command = [wrk, "-t", str(threads), "-c", str(concurrency), "-d", f"{duration}s", "--timeout", "60s"]
    output = subprocess.run([*command, "--latency", "-s", script.name, url], capture_output=True, text=True).stdout
    Path(script.name).unlink()

    def latency(label: str) -> float:
        value, unit = re.search(rf"^\s*{label}%\s+([\d.]+)(us|ms|s)\s*$", output, re.M).groups()
        return float(value) * UNITS[unit]

    errors = re.search(r"Non-2xx or 3xx responses: (\d+)", output)
    return {
        "requests": int(re.search(r"(\d+) requests in", output).group(1)),
        "per_second": float(re.search(r"Requests/sec:\s+([\d.]+)", output).group(1)),
        "p50": latency("50"),
        "p99": latency("99"),
        "non_2xx": int(errors.group(1)) if errors else 0,
    }


def run_threads(url: str, concurrency: int, duration: int, body: dict = BODY,
                headers: dict[str, str] | None = None) -> dict:  # fmt: skip
    """The fallback load: `concurrency` threads, each posting back to back for `duration` s."""
    import httpx

    latencies: list[float] = []
    failures = [0]
    lock = threading.Lock()
    deadline = time.monotonic() + duration

    def client() -> None:
        with httpx.Client(timeout=60, headers=headers) as http:
            while time.monotonic() < deadline:
                started = time.perf_counter()
                status = http.post(url, json=body).status_code
                with lock:
                    latencies.append((time.perf_counter() - started) * 1000)
                    failures[0] += status != 200

    threads = [threading.Thread(target=client) for _ in range(concurrency)]
    started = time.perf_counter()
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    wall = time.perf_counter() - started
    return {
        "requests": len(latencies),
        "per_second": len(latencies) / wall,
        "p50": percentile(latencies, 0.5),
        "p99": percentile(latencies, 0.99),
        "non_2xx": failures[0],
    }


CPU_COLUMNS = ("web", "workers", "postgres", "redis")


def cpu_by_process(web, workers) -> dict[str, float]:
    """CPU seconds so far: the web process tree, the workers, and the machine's PostgreSQL and Redis."""
    return {
        "web": cpu_seconds(web.process.pid),
        "workers": sum(cpu_seconds(worker.process.pid) for worker in workers),
        "postgres": service_cpu_seconds("postgres"),
        "redis": service_cpu_seconds("redis-server"),
    }


def live_hook_url(port: int) -> str:
    """A fresh active workflow with the flow; its hook's URL on `port`."""
    from webhooks.inbound import ensure_hooks
    from workflows import services

    organization, _ = make_org_and_key("Bench hooks")
    workflow = services.create_workflow(
        organization.default_project, name=f"webhook sync {time.time():.0f}", definition=FLOW
    )
    services.set_workflow_active(workflow, True)
    workflow.refresh_from_db()
    return f"http://127.0.0.1:{port}/hooks/{ensure_hooks(workflow)['hook'].token}"


def check_one(url: str) -> None:
    """One request first, so a broken set-up shows its answer instead of a table of errors."""
    import httpx

    answer = httpx.post(url, json=BODY, timeout=60)
    if answer.status_code != 200 or answer.json() != {"n": 2, "parity": "even"}:
        raise SystemExit(f"the webhook answered {answer.status_code}: {answer.text[:300]}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--concurrency", type=int, nargs="+", default=[1, 8, 32])
    parser.add_argument("--duration", type=int, default=20, help="seconds of load per concurrency")
    parser.add_argument("--worker-class", default=None, help="e.g. rq.worker.Worker; default: settings.RQ")
    parser.add_argument("--python-load", action="store_true", help="use the httpx thread pool even if wrk is there")
    parser.add_argument("--server", choices=["daphne", "uvicorn", "granian"], default="granian",
                        help="the scaled mode's granian by default (README)")
    parser.add_argument("--web-processes", type=int, default=2, help="uvicorn/granian worker processes")
    parser.add_argument("--embedded", action="store_true", help="make run's mode: SQLite, no Redis, no workers")
    parser.add_argument("--no-counts", action="store_true", help="skip bench/hotpath_counts.py at the end")
    args = parser.parse_args()
    if args.embedded:
        args.workers, args.server, args.web_processes = 0, "daphne", 1
        environment = configure_embedded(Path(tempfile.mkdtemp(prefix="flowbuilder-bench-embedded-")))
    else:
        environment = configure()
    wrk = None if args.python_load else find_wrk()
    speed = machine_speed()
    port = free_port()
    url = live_hook_url(port)
    web = start_web(port, args.server, args.web_processes)
    workers = start_workers(args.workers, args.worker_class)
    try:
        time.sleep(3)  # let the workers boot and register
        check_one(url)
        print(speed)
        print_header(args, wrk, environment)
        for concurrency in args.concurrency:
            before = cpu_by_process(web, workers)
            if wrk:
                result = run_wrk(wrk, url, concurrency, args.duration)
            else:
                result = run_threads(url, concurrency, args.duration)
            after = cpu_by_process(web, workers)
            done = max(result["requests"], 1)
            per_run = "".join(f" {(after[name] - before[name]) / done * 1000:>9.1f}" for name in CPU_COLUMNS)
            print(
                f"{concurrency:>5} {result['requests']:>8} {result['per_second']:>8.1f}"
                f" {result['p50']:>8.1f} {result['p99']:>8.1f} {result['non_2xx']:>8}{per_run}"
            )
    finally:
        for worker in workers:
            worker.stop()
        web.stop()
    print_reproduce(args, environment)
    if not args.embedded and not args.no_counts:
        print_counts(environment)


def print_header(args, wrk: str | None, environment: dict) -> None:
    from django.conf import settings

    print("sync webhook: POST /hooks/<token>, last_node mode (webhook -> set -> if -> set -> succeed)")
    inline = getattr(settings, "FLOWBUILDER_INLINE_RUN_SECONDS", 0)
    print(f"runs in the web process: {'yes, up to ' + str(inline) + ' s, then a worker' if inline else 'no (queued)'}")
    if args.embedded:
        print(f"embedded (make run): daphne x1, SQLite in {environment['FLOWBUILDER_VAR_DIR']}, in-process Redis")
    else:
        web = f"{args.server} x{args.web_processes}"
        print(f"{web}, rqworker x{args.workers} ({args.worker_class or settings.RQ['WORKER_CLASS']}),")
        print(f"  {environment['DATABASE_URL']} + {environment['REDIS_URL']}")
    print(f"{args.duration} s per row; load tool: {'wrk ' + wrk if wrk else 'python httpx thread pool'}")
    print("CPU ms per request (user+system over the row): the web process tree, all workers, and every")
    print("  postgres / redis-server process on the machine (the bench's share only when nothing else runs)")
    print(
        f"{'conc.':>5} {'requests':>8} {'req/s':>8} {'p50 ms':>8} {'p99 ms':>8} {'non-2xx':>8}"
        + "".join(f" {name[:7] + ' ms':>9}" for name in CPU_COLUMNS)
    )


def print_reproduce(args, environment: dict) -> None:
    conc = " ".join(map(str, args.concurrency))
    extra = (f" --worker-class {args.worker_class}" if args.worker_class else "") + (
        " --python-load" if args.python_load else ""
    )
    if args.embedded:
        extra += " --embedded"
    elif args.server != "granian" or args.web_processes != 2:
        extra += f" --server {args.server} --web-processes {args.web_processes}"
    services = f"DATABASE_URL={environment.get('DATABASE_URL')} REDIS_URL={environment.get('REDIS_URL')} "
    prefix = "" if args.embedded else services
    print(
        f"reproduce: {prefix}.venv/bin/python bench/webhook_sync.py --workers {args.workers} --concurrency {conc}"
        f" --duration {args.duration}{extra}"
    )


def print_counts(environment: dict) -> None:
    """SQL statements and Redis round trips per run, by side (bench/hotpath_counts.py's summary)."""
    counts = subprocess.run(
        [sys.executable, str(ROOT / "bench" / "hotpath_counts.py"), "--runs", "20"],
        capture_output=True, text=True, env=dict(os.environ), cwd=ROOT,
    )  # fmt: skip
    lines = counts.stdout.splitlines()
    summary = lines[: next((i for i, line in enumerate(lines) if not line.strip()), len(lines))]
    print("\n".join(summary) if summary else f"hotpath_counts failed: {counts.stderr[-500:]}")


if __name__ == "__main__":
    main()
