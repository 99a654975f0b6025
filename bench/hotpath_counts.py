"""Where one sync webhook run's work goes: SQL statements and Redis round trips, by side.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/flowbuilder_bench_counts REDIS_URL=redis://127.0.0.1:6379/13 \\
        .venv/bin/python bench/hotpath_counts.py [--runs 20] [--api]

The flow of `bench/webhook_sync.py` (webhook → set → if → set → succeed, `last_node`), in one
process: the web side (Django's test client on `/hooks/<token>`, which waits for the end; with
`--api`, `POST /api/v1/workflows/{id}/execute` with `wait` and a Bearer key on the flow of
`bench/throughput.py` instead) and
the worker side (an RQ SimpleWorker in a thread) each count their own statements and Redis
commands (a pipeline is one round trip) and CPU time. Counts are exact and do not depend on
the machine's load; the CPU figures do. Prints per-run averages and the statements by kind.
"""

from __future__ import annotations

import argparse
import collections
import json
import os
import re
import sys
import threading
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from support import configure, make_org_and_key  # noqa: E402
from throughput import FLOW as API_FLOW  # noqa: E402
from webhook_sync import BODY, FLOW  # noqa: E402

ROOT = Path(__file__).resolve().parent.parent
COUNTS: dict[str, collections.Counter] = collections.defaultdict(collections.Counter)
_side = threading.local()


def side() -> str:
    return getattr(_side, "name", "other")


def count_sql(execute, sql, params, many, context):
    verb = sql.split(None, 1)[0].upper()
    table = re.search(r'(?:FROM|INTO|UPDATE)\s+"?(\w+)"?', sql, re.I)
    COUNTS[side()]["sql"] += 1
    label = f"{verb} {table.group(1) if table else ''}".strip()
    if os.environ.get("HOTPATH_WHERE"):
        label += "  <- " + caller()
    COUNTS[side() + ":sql"][label] += 1
    return execute(sql, params, many, context)


def caller() -> str:
    """The innermost project frames that led to a statement or a Redis call (HOTPATH_WHERE=1)."""
    import traceback

    frames = [
        f"{Path(frame.filename).stem}.{frame.name}:{frame.lineno}"
        for frame in traceback.extract_stack()[:-3]
        if str(ROOT) in frame.filename and "/.venv/" not in frame.filename and "/bench/" not in frame.filename
    ]
    return " < ".join(reversed(frames[-3:]))


def patch_redis() -> None:
    import redis.client

    plain = redis.client.Redis.execute_command
    piped = redis.client.Pipeline.execute

    def execute_command(self, *args, **options):
        if isinstance(self, redis.client.Pipeline):
            return plain(self, *args, **options)
        COUNTS[side()]["redis"] += 1
        label = str(args[0]).upper()
        if os.environ.get("HOTPATH_WHERE"):
            label += "  <- " + caller()
        COUNTS[side() + ":redis"][label] += 1
        return plain(self, *args, **options)

    def execute(self, *args, **options):
        COUNTS[side()]["redis"] += 1
        commands = "+".join(str(command[0][0]).upper() for command in self.command_stack)
        label = f"PIPELINE {commands}"
        if os.environ.get("HOTPATH_WHERE"):
            label += "  <- " + caller()
        COUNTS[side() + ":redis"][label] += 1
        return piped(self, *args, **options)

    redis.client.Redis.execute_command = execute_command
    redis.client.Pipeline.execute = execute
    patch_async_redis()


def patch_async_redis() -> None:
    """The live events' broadcast (channels_redis on redis.asyncio, in the event-sender thread)."""
    import redis.asyncio.client

    plain = redis.asyncio.client.Redis.execute_command
    piped = redis.asyncio.client.Pipeline.execute

    async def execute_command(self, *args, **options):
        if not isinstance(self, redis.asyncio.client.Pipeline):
            COUNTS["events"]["redis"] += 1
            COUNTS["events:redis"][str(args[0]).upper()] += 1
        return await plain(self, *args, **options)

    async def execute(self, *args, **options):
        COUNTS["events"]["redis"] += 1
        COUNTS["events:redis"]["PIPELINE " + "+".join(str(c[0][0]).upper() for c in self.command_stack)] += 1
        return await piped(self, *args, **options)

    redis.asyncio.client.Redis.execute_command = execute_command
    redis.asyncio.client.Pipeline.execute = execute


def sender_cpu_ms() -> float:
    """CPU time of the process's event-sender thread so far (0 before it starts)."""
    from workflows import events

    if events._sender is None:
        return 0.0
    fields = Path(f"/proc/self/task/{events._sender.thread.native_id}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) * 1000 / os.sysconf("SC_CLK_TCK")


def worker_loop(done: threading.Event) -> None:
    """RQ's worker installs signal handlers, so it runs in the main thread; the web side in another."""
    from django.db import connection
    from django_rq import get_queue
    from rq.worker import SimpleWorker

    _side.name = "worker"
    queue = get_queue("executions")
    worker = SimpleWorker([queue], connection=queue.connection)
    with connection.execute_wrapper(count_sql):
        while not done.is_set():
            started = time.thread_time()
            kept = {name: collections.Counter(COUNTS[name]) for name in ("worker", "worker:sql", "worker:redis")}
            if worker.work(burst=True, with_scheduler=False):
                COUNTS["worker"]["cpu_ms"] += (time.thread_time() - started) * 1000
            else:
                # A burst that found no job: RQ's worker registration, not a run's cost (a real
                # rqworker waits in one blocking BLMOVE instead). Not counted.
                COUNTS.update(kept)
                time.sleep(0.005)


def web_loop(url: str, runs: int, warmed: threading.Event, go: threading.Event, done: threading.Event,
             failure: list, body: str = BODY, headers: dict | None = None) -> None:  # fmt: skip
    from django.db import connection
    from django.test import Client

    client = Client(headers=headers)
    try:
        client.post(url, body, content_type="application/json")  # warm-up: caches, connections
        warmed.set()
        go.wait()  # the counts were cleared after the warm-up
        _side.name = "web"
        with connection.execute_wrapper(count_sql):
            for _ in range(runs):
                started = time.thread_time()
                answer = client.post(url, body, content_type="application/json")
                COUNTS["web"]["cpu_ms"] += (time.thread_time() - started) * 1000
                if answer.status_code != 200:
                    failure.append(f"the server answered {answer.status_code}: {answer.content[:300]!r}")
                    return
    finally:
        connection.close()
        done.set()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=20)
    parser.add_argument("--api", action="store_true", help="the API path of bench/throughput.py instead of the hook")
    args = parser.parse_args()
    os.environ.setdefault("DATABASE_URL", "postgres://postgres@127.0.0.1:5432/flowbuilder_bench_counts")
    os.environ.setdefault("REDIS_URL", "redis://127.0.0.1:6379/13")
    environment = configure()
    from webhooks.inbound import ensure_hooks
    from workflows import services

    organization, key = make_org_and_key("Bench counts")
    definition = API_FLOW if args.api else FLOW
    workflow = services.create_workflow(
        organization.default_project, name=f"counts {time.time():.0f}", definition=definition
    )
    services.set_workflow_active(workflow, True)
    workflow.refresh_from_db()
    if args.api:
        url = f"/api/v1/workflows/{workflow.id}/execute"
        body = json.dumps({"input": {"n": 2}, "version": "draft", "wait": 30})
        request = (url, body, {"Authorization": f"Bearer {key}"})
    else:
        request = (f"/hooks/{ensure_hooks(workflow)['hook'].token}", BODY, None)
    patch_redis()
    warmed, go, done, failure = threading.Event(), threading.Event(), threading.Event(), []
    url, body, headers = request
    web = threading.Thread(
        target=web_loop, args=(url, args.runs, warmed, go, done, failure, body, headers), daemon=True
    )
    web.start()
    worker_loop(warmed)  # serves the warm-up run (or none, when it ran in the web process)
    COUNTS.clear()
    sender_before = sender_cpu_ms()
    go.set()
    worker_loop(done)
    web.join()
    from workflows.events import flush_events

    flush_events()
    COUNTS["events"]["cpu_ms"] = sender_cpu_ms() - sender_before
    if failure:
        raise SystemExit(failure[0])
    report(args.runs, environment, args.api)


def report(runs: int, environment: dict, api: bool) -> None:
    if api:
        print(f"one API run (POST execute with wait: manual -> set -> if -> set), average of {runs} runs")
    else:
        print(f"one sync webhook run (webhook -> set -> if -> set -> succeed), average of {runs} runs")
    print(f"{'side':<8} {'SQL':>6} {'Redis':>6} {'CPU ms':>7}")
    for name in ("web", "worker", "events"):
        c = COUNTS[name]
        print(f"{name:<8} {c['sql'] / runs:>6.1f} {c['redis'] / runs:>6.1f} {c['cpu_ms'] / runs:>7.1f}")
    print("(events: the live-event broadcast, on the web process's event-sender thread)")
    for name in ("web", "worker", "events"):
        for kind in ("sql", "redis"):
            if not COUNTS[f"{name}:{kind}"]:
                continue
            print(f"\n{name} {kind} per run:")
            for label, number in COUNTS[f"{name}:{kind}"].most_common():
                print(f"  {number / runs:>5.1f}  {label}")
    print(
        f"\nreproduce: DATABASE_URL={environment['DATABASE_URL']} REDIS_URL={environment['REDIS_URL']}"
        f" .venv/bin/python bench/hotpath_counts.py --runs {runs}{' --api' if api else ''}"
    )


if __name__ == "__main__":
    main()
