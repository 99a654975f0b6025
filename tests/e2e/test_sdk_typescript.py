"""The TypeScript SDK (sdk/typescript, @flowbuilder/sdk) against a real server.

daphne and an rqworker (executions and webhooks queues) on the test database and Redis, from
tests/e2e/conftest.py; then Node runs sdk/typescript/test/live/live.mjs with the built package:
create → executeAndWait → steps → idempotent execute → the live stream (polling, and WebSocket
through Node's --experimental-websocket) → 250 executions paged by page number and by cursor →
typed errors for 400/401/403/404/409/412/422 → 429 with retryAfter, then retried after
Retry-After → a real webhook delivery verified → the README's examples, run as written. The 250
executions are rows written here (their runs are not the point, their paging is): running 250
flows would only load the worker.
"""

from __future__ import annotations

import os
import shutil
import subprocess

import pytest
from django.core.management import call_command

from accounts import services
from accounts.models import Plan, Role
from tests.workflows.conftest import simple_flow
from tests.workflows.processes import ROOT
from workflows import services as workflow_services
from workflows.models import Execution, ExecutionStatus

SDK = ROOT / "sdk" / "typescript"
TINY_LIMIT = 3  # calls a minute for the organization that meets the rate limit
RUNS = 250


def built_sdk() -> None:
    """sdk/typescript's dependencies and dist/ (make sdk-check has built it; a lone pytest run builds it here)."""
    if not (SDK / "node_modules").is_dir():
        subprocess.run(["npm", "ci", "--no-audit", "--no-fund"], cwd=SDK, check=True, timeout=600)
    dist = SDK / "dist" / "index.js"
    newest_source = max(path.stat().st_mtime for path in (SDK / "src").rglob("*.ts"))
    if not dist.exists() or dist.stat().st_mtime < newest_source:
        subprocess.run(["npm", "run", "build"], cwd=SDK, check=True, timeout=600)


def websocket_flags() -> list[str] | None:
    """Node's flags for a global WebSocket (built in from Node 22; a flag on Node 20-21), or None."""
    for flags in ([], ["--experimental-websocket"]):
        probe = ["node", *flags, "-e", "process.exit(typeof WebSocket === 'function' ? 0 : 1)"]
        if subprocess.run(probe, capture_output=True, timeout=60).returncode == 0:
            return flags
    return None


@pytest.fixture
def server_queues() -> list[str]:
    return ["executions", "webhooks"]


@pytest.fixture
def server_env() -> dict[str, str]:
    return {"RATE_LIMIT_BUSINESS_MINUTE": "100000", "RATE_LIMIT_ENTERPRISE_MINUTE": str(TINY_LIMIT)}


def key(organization, role=Role.ADMIN) -> str:
    return services.create_api_key(organization, name="sdk", role=role).plaintext


def bulk_workflow(acme, alice) -> str:
    project = acme.default_project
    workflow = workflow_services.create_workflow(project, name="Many runs", definition=simple_flow(), actor=alice)
    rows = [
        Execution(workflow=workflow, project=project, definition=simple_flow(), trigger_node_id="start",
                  status=ExecutionStatus.COMPLETED, input={"n": number}, output={"hello": "friend"})
        for number in range(RUNS)
    ]  # fmt: skip
    Execution.objects.bulk_create(rows)
    return workflow.id


@pytest.mark.skipif(shutil.which("node") is None, reason="Node.js is needed for the TypeScript SDK")
def test_the_typescript_sdk_against_a_live_server(server, acme, alice, bob_viewer):
    built_sdk()
    call_command("seed_samples", org=acme.name)  # the README's examples run the sample "Order triage"
    env = {
        **os.environ,
        "FLOWBUILDER_BASE_URL": server,
        "FLOWBUILDER_API_KEY": key(acme),
        "VIEWER_KEY": key(acme, Role.VIEWER),
        "PRO_KEY": key(services.create_organization("Small", plan=Plan.PRO)),
        "TINY_KEY": key(services.create_organization("Tiny", plan=Plan.ENTERPRISE)),
        "TINY_LIMIT": str(TINY_LIMIT),
        "BULK_WORKFLOW_ID": bulk_workflow(acme, alice),
    }
    flags = websocket_flags()
    command = ["node", *(flags or []), "test/live/live.mjs"]
    result = subprocess.run(command, cwd=SDK, env=env, capture_output=True, text=True, timeout=600)
    print(result.stdout, result.stderr)
    assert result.returncode == 0, result.stdout + result.stderr
    if flags is not None:  # Node 18 has no WebSocket: the stream polls there, and the line is missing
        assert "ok stream by WebSocket" in result.stdout
    for line in [
        "ok create -> executeAndWait -> completed",
        "ok steps",
        "ok execute with one Idempotency-Key starts one run",
        "ok stream by polling",
        "ok 250 executions by page: 3 requests, no repeats",
        "ok 250 executions by cursor: 3 requests, no repeats",
        "ok forms: create, submit, list and CSV export",
        "ok AuthenticationError: 401 UNAUTHORIZED",
        "ok PermissionDeniedError: 403 FORBIDDEN",
        "ok PlanUpgradeRequiredError: 403 PLAN_UPGRADE_REQUIRED",
        "ok NotFoundError: 404",
        "ok ConflictError: 409",
        "ok InvalidNodeConfigError: 422 INVALID_NODE_CONFIG",
        "ok ValidationError: 400 VALIDATION_ERROR",
        "ok PreconditionFailedError: 412 PRECONDITION_FAILED",
        "ok RateLimitedError: 429 RATE_LIMITED",
        "ok 429 retried after Retry-After",
        "ok a real delivery verifies",
        "ok the README's",
        "ALL OK",
    ]:
        assert line in result.stdout
