"""End-to-end throughput and latency: API execute → RQ → worker → stored `completed`.

    .venv/bin/python bench/throughput.py [--runs 200] [--workers 1 2] [--concurrency 1 16]

A 5-node flow (manual → set → if → set → set) on PostgreSQL + Redis, through a real daphne
and real `rqworker` processes. Latency is the stored `completed_at - created_at` of each
execution; throughput is runs / wall time. Prints figures; no pass/fail. Uses the
database in $DATABASE_URL (default flowbuilder_bench, created if missing) and Redis db 14.
"""

from __future__ import annotations

import argparse
import statistics
import threading
import time

from support import configure, free_port, make_org_and_key, percentile, rss_mib, start_daphne, start_workers

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


def run_round(base: str, key: str, workflow_id: str, runs: int, concurrency: int) -> dict:
    import httpx

    from workflows.models import Execution

    ids: list[str] = []
    lock = threading.Lock()
    per_client = [runs // concurrency + (1 if index < runs % concurrency else 0) for index in range(concurrency)]

    def client(count: int) -> None:
        with httpx.Client(base_url=base, headers={"Authorization": f"Bearer {key}"}, timeout=60) as http:
            for n in range(count):
                body = {"input": {"n": n}, "version": "draft", "wait": 30}
                reply = http.post(f"/api/v1/workflows/{workflow_id}/execute", json=body).json()
                if not reply.get("success"):
                    raise RuntimeError(f"the API refused: {reply}")
                answer = reply["data"]
                with lock:
                    ids.append(answer.get("id") or answer.get("execution_id"))

    started = time.perf_counter()
    threads = [threading.Thread(target=client, args=(count,)) for count in per_client]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    wall = time.perf_counter() - started
    rows = Execution.objects.filter(pk__in=ids).values_list("status", "created_at", "completed_at")
    latencies = [(done - created).total_seconds() * 1000 for status, created, done in rows if status == "completed"]
    return {
        "completed": len(latencies),
        "runs": runs,
        "per_second": len(latencies) / wall,
        "p50": statistics.median(latencies),
        "p99": percentile(latencies, 0.99),
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=200)
    parser.add_argument("--workers", type=int, nargs="+", default=[1, 2])
    parser.add_argument("--concurrency", type=int, nargs="+", default=[1, 16])
    parser.add_argument(
        "--worker-class", default=None, help="e.g. rq.worker.SimpleWorker (no fork per job); default: RQ's Worker"
    )
    args = parser.parse_args()
    configure()
    from workflows import services

    organization, key = make_org_and_key("Bench")
    workflow = services.create_workflow(
        organization.default_project, name=f"throughput {time.time():.0f}", definition=FLOW
    )
    port = free_port()
    web = start_daphne(port)
    print("end-to-end: API execute -> RQ -> worker -> stored completed (5-node flow, PostgreSQL + Redis)")
    from django.conf import settings

    print(f"worker class: {args.worker_class or settings.RQ['WORKER_CLASS']}")
    print(f"{'workers':>7} {'conc.':>5} {'runs':>5} {'exec/s':>8} {'p50 ms':>8} {'p99 ms':>8}")
    try:
        for worker_count in args.workers:
            workers = start_workers(worker_count, args.worker_class)
            time.sleep(3)  # let the workers boot and register
            memory = [
                f"idle web {rss_mib(web.process.pid):.0f} MiB",
                f"worker {rss_mib(workers[0].process.pid):.0f} MiB",
            ]
            try:
                for concurrency in args.concurrency:
                    result = run_round(f"http://127.0.0.1:{port}", key, workflow.id, args.runs, concurrency)
                    print(
                        f"{worker_count:>7} {concurrency:>5} {result['completed']:>5} {result['per_second']:>8.1f}"
                        f" {result['p50']:>8.1f} {result['p99']:>8.1f}"
                    )
                memory += [f"after load web {rss_mib(web.process.pid):.0f} MiB"]
                memory += [f"worker {rss_mib(workers[0].process.pid):.0f} MiB"]
                print(f"        memory (RSS) with {worker_count} worker(s): " + ", ".join(memory))
            finally:
                for worker in workers:
                    worker.stop()
    finally:
        web.stop()
    workers = " ".join(map(str, args.workers))
    conc = " ".join(map(str, args.concurrency))
    worker_class = f" --worker-class {args.worker_class}" if args.worker_class else ""
    print(f"reproduce: .venv/bin/python bench/throughput.py --runs {args.runs} --workers {workers}", end="")
    print(f" --concurrency {conc}{worker_class}")


if __name__ == "__main__":
    main()
