"""One GraphQL request against the REST calls it replaces: time and SQL statements per answer.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/flowbuilder_bench REDIS_URL=redis://127.0.0.1:6379/14 \\
        .venv/bin/python bench/graphql_vs_rest.py [--workflows 20] [--runs 3] [--repeat 30]

In one process (Django's test client, an API key of an Enterprise organization): `--workflows`
published workflows with `--runs` finished runs each. Compared, median of `--repeat`:
- the workflow list: `GET /workflows?limit=N` and `{ workflows(first: N) { … } }`;
- a dashboard's worth: the list, each workflow's versions and newest runs with their steps and
  logs — REST needs 1 + 2N + N·runs calls (list, versions, executions, each execution), GraphQL
  one request (batch loaders: a fixed number of statements whatever N).
Prints the figures and the command; nothing is asserted.
"""

from __future__ import annotations

import argparse
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from support import configure, make_org_and_key  # noqa: E402

LIST = "{ workflows(first: %d) { edges { node { id name status publishedVersion executionCount } } } }"
NESTED = """{ workflows(first: %d) { edges { node { id name inputSchema versions { number note }
  recentExecutions(limit: %d) { id status steps { nodeId status durationMs } logs { level message } } } } } }"""
FLOW = {
    "nodes": [
        {"id": "start", "type": "trigger.manual", "config": {}},
        {"id": "echo", "type": "data.set", "config": {"fields": {"n": "{{ input.n }}"}}},
    ],
    "edges": [{"id": "e1", "source": "start", "source_port": "out", "target": "echo"}],
}


def seed(organization, workflows: int, runs: int) -> None:
    from workflows import services
    from workflows.jobs import run_execution

    project = organization.default_project
    project.workflows.all().delete()
    for index in range(workflows):
        workflow = services.create_workflow(project, name=f"Bench {index}", definition=FLOW)
        services.publish_workflow(workflow)
        for n in range(runs):
            run_execution(services.start_execution(workflow, input={"n": n}, version=1, enqueue=False).id)


def measure(call, repeat: int) -> tuple[float, int, int]:
    """Median ms, SQL statements and HTTP calls of one answer."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    times, statements, calls = [], 0, 0
    for _ in range(repeat):
        with CaptureQueriesContext(connection) as captured:
            started = time.perf_counter()
            calls = call()
            times.append((time.perf_counter() - started) * 1000)
        statements = len(captured.captured_queries)
    return statistics.median(times), statements, calls


def rest_dashboard(client, runs: int) -> int:
    workflows = client.get("/api/v1/workflows", {"limit": 100}).json()["data"]
    calls = 1
    for workflow in workflows:
        client.get(f"/api/v1/workflows/{workflow['id']}/versions")
        page = client.get(f"/api/v1/workflows/{workflow['id']}/executions", {"limit": runs}).json()["data"]
        calls += 2
        for execution in page:
            client.get(f"/api/v1/executions/{execution['id']}")
            calls += 1
    return calls


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--workflows", type=int, default=20)
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--repeat", type=int, default=30)
    args = parser.parse_args()
    configure()
    from rest_framework.test import APIClient

    organization, key = make_org_and_key("GraphQL bench")
    seed(organization, args.workflows, args.runs)
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Bearer {key}")

    def graphql(query: str):
        def call() -> int:
            answer = client.post("/api/v1/graphql", {"query": query}, format="json")
            assert answer.status_code == 200 and "errors" not in answer.json(), answer.content
            return 1

        return call

    rows = {
        "list: REST GET /workflows": lambda: client.get("/api/v1/workflows", {"limit": args.workflows}) and 1,
        "list: GraphQL workflows": graphql(LIST % args.workflows),
        "dashboard: REST calls": lambda: rest_dashboard(client, args.runs),
        "dashboard: GraphQL, one request": graphql(NESTED % (args.workflows, args.runs)),
    }
    print(f"{args.workflows} workflows x {args.runs} runs, median of {args.repeat}")
    for name, call in rows.items():
        ms, statements, calls = measure(call, args.repeat)
        print(f"{name:34} {ms:8.1f} ms  {statements:5d} SQL  {calls:4d} HTTP call(s)")
    print("command: " + " ".join([".venv/bin/python", "bench/graphql_vs_rest.py", *sys.argv[1:]]))


if __name__ == "__main__":
    main()
