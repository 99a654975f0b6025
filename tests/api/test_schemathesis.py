"""Schemathesis over every operation of /api/v1/schema/, against a real server: 0 failures.

All checks (server errors, status codes, content types, headers, response schemas,
negative-data rejection, positive-data acceptance, auth, use-after-free, …) in all four phases
(examples, coverage, fuzzing, stateful), with a fixed seed and bounded examples (the limits
are in tests/api/schemathesis.toml). The server is a daphne process on the test database, like
the browser tests' server, so hypothesis never shares a GIL with the code under test. The run
authenticates as an admin of a Business organization with a real API key.

Two settings of the server change for the run, neither hiding a failure:
- the Business plan's rate limits are raised: the run sends thousands of requests a minute,
  and 429s would only stop it from reaching the operations (429 stays documented everywhere);
- `wait` on execute is cut to a fraction of a second: no worker runs here, so every run stays
  pending and each `wait: 60` would hold the run for a minute (the answer is then the 202 that
  the schema documents for a run still going).

Business rules JSON Schema cannot state are written in the schema (with their 400) and, on
those operations only, schemathesis may see a 400 (422 where documented) for schema-valid data
(`[[operations]]` in tests/api/schemathesis.toml, each with its reason). No check is disabled:
- POST /api-keys: expires_at must be in the future ("now" is no JSON Schema value);
- GET /usage: start_date must not be after end_date (a rule between two parameters);
- POST, PATCH /webhooks: the receiver must resolve to a public address (DNS, at request time);
- GET /executions, /workflows/{id}/executions: a cursor must be one the API gave out;
- POST /connections: credential_id must name a fitting credential of the project; PATCH
  /connections/{id} and /credentials/{id}: the change must fit the stored kind or type;
- POST, PATCH /forms: min_value <= max_value, distinct field keys, options on select only;
  POST /forms/{id}/submissions: values must fit the form's own fields (data, not schema);
- POST /workflows, /workflows/import, PUT, PATCH /workflows/{id}: a definition is a graph
  (unique ids, edges to existing nodes, known node types); execute: input must fit the
  trigger's input schema.
A well-formed If-Match that names no current revision is a 412 (D13), also ahead of an invalid
body (RFC 9110 §13.2.1: preconditions before the content): both data checks accept 412.
Generated strings hold no NUL: PostgreSQL stores none, the API refuses it in any body (its
description says so) and tests/api/test_schemathesis_findings.py holds it to that.

The run may revoke its own key (`DELETE /api-keys/{id}` with an id it read from the list):
then the next request gets a 401 (documented) and the auth provider hands it a new admin key,
so nothing is excluded to protect the key.
"""

from __future__ import annotations

import contextlib
import os
import shlex
import subprocess
import sys
import time
from pathlib import Path

import httpx
import pytest
import schemathesis
from click.testing import CliRunner
from django.conf import settings
from django.db import connection
from schemathesis.cli import schemathesis as schemathesis_cli

from accounts import services
from accounts.models import ApiKey, Role
from tests.workflows.processes import ROOT, free_port, process_env, wait_until

SEED = 20261130
CONFIG = Path(__file__).with_name("schemathesis.toml")
WAIT = 60  # seconds for daphne to answer; bounds a wait, never asserted on


class AdminKeys:
    """The run's admin key; a new one when the run has revoked it."""

    def __init__(self, organization):
        self.organization = organization
        self.key_id, self.plaintext = self._mint()
        self.minted = 1

    def _mint(self) -> tuple[str, str]:
        created = services.create_api_key(self.organization, name="schemathesis", role=Role.ADMIN)
        return created.api_key.id, created.plaintext

    def current(self) -> str:
        # Called from schemathesis' worker thread: its own database connection, closed after use.
        try:
            if ApiKey.objects.filter(pk=self.key_id, revoked_at__isnull=False).exists():
                self.key_id, self.plaintext = self._mint()
                self.minted += 1
        finally:
            connection.close()
        return self.plaintext


@pytest.fixture
def schemathesis_auth(acme, alice):
    keys = AdminKeys(acme)

    # Re-fetched after any 401; `current()` keeps the key unless it was revoked.
    @schemathesis.auth(refresh_interval=None, retry_on=[401])
    class RenewedAdminKey:
        def get(self, case, context):
            return keys.current()

        def set(self, case, data, context):
            case.headers = {**(case.headers or {}), "Authorization": f"Bearer {data}"}

    yield keys
    schemathesis.auths.unregister()


def _answers(base_url: str) -> bool:
    with contextlib.suppress(httpx.HTTPError):
        return httpx.get(f"{base_url}/login/", timeout=5).status_code == 200
    return False


def _cpu_seconds(pid: int) -> float:
    """User + system CPU time of a live process (for the runtime figures in D12)."""
    with contextlib.suppress(OSError):
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
        return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")
    return float("nan")


@pytest.fixture
def api_server(transactional_db, tmp_path):
    """The base URL of a daphne process serving the API from the test database."""
    port = free_port()
    env = process_env(
        FLOWBUILDER_VAR_DIR=str(tmp_path / "var"),
        SECRET_KEY=settings.SECRET_KEY,
        RATE_LIMIT_BUSINESS_MINUTE=str(10**9),
        RATE_LIMIT_BUSINESS_DAY=str(10**9),
        FLOWBUILDER_EXECUTE_MAX_WAIT_SECONDS="0.2",
    )
    log_path = tmp_path / "daphne.log"
    base_url = f"http://127.0.0.1:{port}"
    command = [sys.executable, "-m", "daphne", "-b", "127.0.0.1", "-p", str(port), "flowbuilder.asgi:application"]
    with log_path.open("w") as log:
        process = subprocess.Popen(command, cwd=ROOT, env=env, stdout=log, stderr=subprocess.STDOUT)
    try:
        wait_until(lambda: _answers(base_url), timeout=WAIT, what="daphne to answer")
        yield base_url
    finally:
        print(f"daphne CPU: {_cpu_seconds(process.pid):.1f} s")
        process.terminate()
        try:
            process.wait(timeout=15)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()
        errors = [line for line in log_path.read_text().splitlines() if '" 200 ' not in line]
        print("--- daphne log (non-200 lines) ---\n" + "\n".join(errors[-200:]))


@pytest.mark.slow
def test_schemathesis_finds_nothing_wrong(api_server, schemathesis_auth, tmp_path):
    arguments = [
        "--config-file", str(CONFIG),
        "--no-color", "run", f"{api_server}/api/v1/schema/",
        "--checks", "all",
        "--phases", "examples,coverage,fuzzing,stateful",
        "--seed", str(SEED),
        "--workers", "1",
        "--report", "junit",
        "--report-dir", str(tmp_path),
        # For working on the API: e.g. SCHEMATHESIS_EXTRA="--include-path-regex /forms" (never set in make test).
        *shlex.split(os.environ.get("SCHEMATHESIS_EXTRA", "")),
    ]  # fmt: skip
    started, cpu = time.monotonic(), time.process_time()
    result = CliRunner().invoke(schemathesis_cli, arguments, catch_exceptions=False)
    print(result.output)
    print(f"schemathesis: {time.monotonic() - started:.0f} s wall, {time.process_time() - cpu:.1f} s CPU in pytest")
    assert result.exit_code == 0, result.output[-20_000:]
