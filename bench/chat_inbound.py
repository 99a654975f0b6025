"""How fast the generic channel's inbound door answers, and how that grows with the workflows routing reads.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/flowbuilder_bench_chat REDIS_URL=redis://127.0.0.1:6379/14 \\
        .venv/bin/python bench/chat_inbound.py [--messages 200] [--workflows 1 10 50]

For each count of active keyword workflows in the project, it posts `--messages` messages (each
from a new customer, so each starts a run) to `POST /channels/<token>/messages` with Django's
test client in this process and prints the median and p95 time to the 202 and the SQL
statements per message. Runs are only queued (no worker): this is the request path alone.
"""

from __future__ import annotations

import argparse
import json
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from support import configure, make_org_and_key  # noqa: E402


def flow(keyword: str) -> dict:
    return {
        "nodes": [
            {"id": "start", "type": "trigger.message", "config": {"keywords": [keyword]}},
            {"id": "reply", "type": "chat.message", "config": {"text": "hi"}},
        ],
        "edges": [{"id": "e", "source": "start", "source_port": "out", "target": "reply"}],
    }


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--messages", type=int, default=200)
    parser.add_argument("--workflows", type=int, nargs="+", default=[1, 10, 50])
    args = parser.parse_args()
    configure()
    from django.db import connection
    from django.test import Client

    from chat import services as chat_services
    from chat.models import Channel
    from flowbuilder.redis import get_redis
    from workflows import services
    from workflows.models import Workflow

    organization, _ = make_org_and_key("Chat bench")
    project = organization.default_project
    print(f"command: {' '.join(sys.argv)}")
    print(f"{'workflows':>9} {'median ms':>10} {'p95 ms':>8} {'SQL/msg':>8}")
    for count in args.workflows:
        Workflow.objects.filter(project=project).delete()
        Channel.objects.filter(project=project).delete()
        get_redis().flushdb()
        for index in range(count):
            workflow = services.create_workflow(project, name=f"kw {index}", definition=flow(f"word{index}"))
            services.set_workflow_active(workflow, True)
        token = chat_services.create_channel(
            project, name="bench", type="generic", rate_limit_per_minute=10**6, customer_rate_limit_per_minute=10**6
        ).token
        client, timings, statements = Client(), [], 0
        for number in range(args.messages):
            body = json.dumps({"from": f"c{number}", "text": f"about word{number % count} please"})
            counter = {"n": 0}

            def counting(execute, sql, params, many, context, counter=counter):
                counter["n"] += 1
                return execute(sql, params, many, context)

            started = time.perf_counter()
            with connection.execute_wrapper(counting):
                answer = client.post(f"/channels/{token}/messages", data=body, content_type="application/json")
            timings.append((time.perf_counter() - started) * 1000)
            statements += counter["n"]
            assert answer.status_code == 202, answer.content
        timings.sort()
        p95 = timings[int(len(timings) * 0.95) - 1]
        print(f"{count:>9} {statistics.median(timings):>10.2f} {p95:>8.2f} {statements / args.messages:>8.1f}")


if __name__ == "__main__":
    main()
