"""The API path: `POST /workflows/{id}/execute` with `wait`, answered with the finished run.

    .venv/bin/python bench/throughput.py [--workers 2] [--concurrency 1 16 32] [--duration 10] \\
        [--server granian|uvicorn|daphne] [--web-processes 2] [--python-load]

A 5-node flow (manual → set → if → set → set) on PostgreSQL + Redis, through a real web server
(granian with 2 processes by default, as README's scaled mode) and real `rqworker` processes,
with a Bearer API key (authentication, rate limit and usage metering included). `execute`
with `wait` runs a short run in the web process (D19), so the workers stay idle unless a run
goes over its inline budget. Load comes from `wrk` (installed with apt-get when missing), else
from a Python httpx thread pool, which shares the 2 cores with the server. Prints runs/s and
the caller's p50/p99 per concurrency, with the runs the database holds as `completed` for the
window and their stored run time (`completed_at - created_at`). No pass/fail. Uses the database
in $DATABASE_URL (default flowbuilder_bench, created if missing) and Redis db 14.
"""

from __future__ import annotations

import argparse
import statistics
import time

from support import configure, free_port, machine_speed, make_org_and_key, rss_mib, start_web, start_workers
from webhook_sync import CPU_COLUMNS, cpu_by_process, find_wrk, run_threads, run_wrk

FLOW = {
    "nodes": [
        {"id": "start", "type": "trigger.manual", "config": {}},
        {"id": "tag", "type": "data.set", "config": {"fields": {"n": "{{ input.n }}"}, "keep_input": True}},
        {"id": "check", "type": "logic.if", "config": {"condition": "{{ input.n % 2 == 0 }}"}},
        {"id": "even", "type": "data.set", "config": {"fields": {"parity": "even"}, "keep_input": True}},
        {"id": "odd", "type": "data.set", "config": {"fields": {"parity": "odd"}, "keep_input": True}},
    ],
    "edges": [
        {"id": "e1", "source": "start", "source_port": "out", "target": "tag"},
        {"id": "e2", "source": "tag", "source_port": "out", "target": "check"},
        {"id": "e3", "source": "check", "source_port": "true", "target": "even"},
        {"id": "e4", "source": "check", "source_port": "false", "target": "odd"},
    ],
}
BODY = {"input": {"n": 2}, "version": "draft", "wait": 30}


def stored_runs(workflow, since) -> tuple[int, int, float | None]:
    """(completed, not completed, median stored run ms) of the workflow's runs created since `since`."""
    from workflows.models import Execution

    rows = list(Execution.objects.filter(workflow=workflow, created_at__gte=since).values_list(
        "status", "created_at", "completed_at"))  # fmt: skip
    times = [(done - created).total_seconds() * 1000 for status, created, done in rows if status == "completed"]
    return len(times), len(rows) - len(times), statistics.median(times) if times else None


def check_one(url: str, headers: dict[str, str]) -> None:
    """One request first, so a broken set-up shows its answer instead of a table of errors."""
    import httpx

    answer = httpx.post(url, json=BODY, headers=headers, timeout=60)
    data = answer.json().get("data") or {}
    if answer.status_code != 200 or data.get("output") != {"n": 2, "parity": "even"}:
        raise SystemExit(f"the API answered {answer.status_code}: {answer.text[:300]}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--concurrency", type=int, nargs="+", default=[1, 16, 32])
    parser.add_argument("--duration", type=int, default=10, help="seconds of load per concurrency")
    parser.add_argument("--worker-class", default=None, help="e.g. rq.worker.Worker; default: settings.RQ")
    parser.add_argument("--server", choices=["daphne", "uvicorn", "granian"], default="granian")
    parser.add_argument("--web-processes", type=int, default=2, help="uvicorn/granian worker processes")
    parser.add_argument("--python-load", action="store_true", help="use the httpx thread pool even if wrk is there")
    args = parser.parse_args()
    environment = configure()
    from django.utils import timezone

    from workflows import services

    organization, key = make_org_and_key("Bench")
    workflow = services.create_workflow(
        organization.default_project, name=f"throughput {time.time():.0f}", definition=FLOW
    )
    wrk = None if args.python_load else find_wrk()
    speed = machine_speed()
    port = free_port()
    url = f"http://127.0.0.1:{port}/api/v1/workflows/{workflow.id}/execute"
    headers = {"Authorization": f"Bearer {key}"}
    web = start_web(port, args.server, args.web_processes)
    workers = start_workers(args.workers, args.worker_class)
    try:
        time.sleep(3)  # let the workers boot and register
        check_one(url, headers)
        print(speed)
        processes = "" if args.server == "daphne" else f" x{args.web_processes}"
        print(f"API execute with wait (manual -> set -> if -> set), {args.server}{processes},"
              f" rqworker x{args.workers}, {environment['DATABASE_URL']} + {environment['REDIS_URL']}")  # fmt: skip
        print(f"{args.duration} s per row; load tool: {'wrk ' + wrk if wrk else 'python httpx thread pool'}")
        print("CPU ms per run (user+system over the row): the web process tree, all workers, and every")
        print("  postgres / redis-server process on the machine (the bench's share only when nothing else runs)")
        cpu_heads = "".join(f" {name[:7] + ' ms':>9}" for name in CPU_COLUMNS)
        print(f"{'conc.':>5} {'runs/s':>8} {'p50 ms':>8} {'p99 ms':>8} {'non-2xx':>8} {'stored':>8}"
              f" {'not done':>8} {'run ms':>7}{cpu_heads}")  # fmt: skip
        for concurrency in args.concurrency:
            since = timezone.now()
            before = cpu_by_process(web, workers)
            if wrk:
                result = run_wrk(wrk, url, concurrency, args.duration, BODY, headers)
            else:
                result = run_threads(url, concurrency, args.duration, BODY, headers)
            after = cpu_by_process(web, workers)
            time.sleep(0.5)  # the last answers' runs are stored before they answer; this is margin
            completed, other, run_ms = stored_runs(workflow, since)
            done = max(result["requests"], 1)
            per_run = "".join(f" {(after[name] - before[name]) / done * 1000:>9.1f}" for name in CPU_COLUMNS)
            print(
                f"{concurrency:>5} {result['per_second']:>8.1f} {result['p50']:>8.1f} {result['p99']:>8.1f}"
                f" {result['non_2xx']:>8} {completed:>8} {other:>8} {run_ms or 0:>7.1f}{per_run}"
            )
        web_mib, worker_mib = rss_mib(web.process.pid), rss_mib(workers[0].process.pid)
        print(f"memory (RSS): web tree {web_mib:.0f} MiB, worker {worker_mib:.0f} MiB")
    finally:
        for worker in workers:
            worker.stop()
        web.stop()
    conc = " ".join(map(str, args.concurrency))
    extra = (f" --worker-class {args.worker_class}" if args.worker_class else "") + (
        " --python-load" if args.python_load else ""
    )
    print(
        f"reproduce: DATABASE_URL={environment['DATABASE_URL']} REDIS_URL={environment['REDIS_URL']}"
        f" .venv/bin/python bench/throughput.py --workers {args.workers} --concurrency {conc}"
        f" --duration {args.duration} --server {args.server} --web-processes {args.web_processes}{extra}"
    )


if __name__ == "__main__":
    main()
