"""The Python SDK against a real server: daphne and an rqworker on the test database and Redis.

One server for the whole journey (starting one costs more than the checks): create → execute and
wait (on the worker) → steps, live events, an Idempotency-Key replay → the webhook delivery of the
run verified as a loopback receiver got it → a read of every namespace parsed into its models →
250 executions paged by cursor and by page → typed errors for 400/401/403/404/409/412/422/429 →
the async client → every Python example of sdk/python/README.md, as written; meanwhile, in a
thread, a 429 of the real throttle retried after its Retry-After.
"""

from __future__ import annotations

import ast
import asyncio
import io
import os
import re
import subprocess
import sys
import time
from concurrent.futures import ThreadPoolExecutor

import httpx
import pytest
from django.core.management import call_command

from accounts import services as accounts
from accounts.models import Plan, Role
from flowbuilder.redis import get_redis
from tests.sdk.conftest import SDK_ROOT, SDK_SOURCE
from tests.workflows.conftest import simple_flow
from tests.workflows.processes import wait_until
from workflows.models import Execution, Workflow

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.slow]

import flowbuilder_sdk as sdk  # noqa: E402 - importable once tests/sdk/conftest.py put sdk/python/src on the path
from flowbuilder_sdk import webhooks  # noqa: E402


class Recorder:
    """httpx event hook keeping the status of every answer the SDK received."""

    def __init__(self) -> None:
        self.statuses: list[int] = []
        self.times: list[float] = []
        self.retry_after: list[str | None] = []

    def __call__(self, response: httpx.Response) -> None:
        self.statuses.append(response.status_code)
        self.times.append(time.monotonic())
        self.retry_after.append(response.headers.get("Retry-After"))


def recorded_client(key: str, base_url: str, **options) -> tuple[sdk.Client, Recorder]:
    recorder = Recorder()
    http = httpx.Client(timeout=60, event_hooks={"response": [recorder]})
    return sdk.Client(key, base_url=base_url, http_client=http, **options), recorder


def test_the_sdk_drives_a_real_server(live_api, acme, alice, make_key, receiver):
    _, key = make_key(acme, Role.ADMIN)
    # The 429 check waits for the end of a rate-limit minute: it runs meanwhile, on its own organization.
    busy = accounts.create_organization("Busy Co", plan=Plan.BUSINESS)
    _, busy_key = make_key(busy, Role.ADMIN)
    pool = ThreadPoolExecutor(max_workers=1)
    rate_limit_check = pool.submit(check_a_429_is_retried_after_retry_after, busy_key, live_api, busy.id)
    client, recorder = recorded_client(key, live_api)
    try:
        subscription = client.webhooks.create(url=receiver.url, events=["workflow.executed"])
        assert subscription.secret.startswith("whsec_")
        run = run_a_workflow(client)
        check_the_delivery(receiver, subscription.secret, run)
        check_every_namespace_reads(client, run)
        check_both_paging_styles(client, recorder, run)
        check_typed_errors(client, key, live_api, acme, make_key)
        check_the_async_client(key, live_api, run.workflow_id)
        check_the_readme_examples(key, live_api)
        rate_limit_check.result(timeout=150)
    finally:
        client.close()
        pool.shutdown(wait=False)


def run_a_workflow(client: sdk.Client) -> sdk.models.Execution:
    workflow = client.workflows.create(name="Greeter", description="SDK", **simple_flow())
    assert isinstance(workflow, sdk.models.Workflow) and workflow.status == "draft"
    assert client.workflows.validate(workflow.id).valid is True

    run = client.workflows.execute_and_wait(workflow.id, {"name": "Ada"}, timeout=90)
    assert isinstance(run, sdk.models.Execution)
    assert run.status == "completed", run.error
    assert run.output == {"hello": "Ada"}

    steps = list(client.executions.steps(run.id))
    assert [step.node_id for step in steps] == ["start", "greet"]
    assert all(isinstance(step, sdk.models.Step) and step.status == "succeeded" for step in steps)

    first = client.workflows.execute(workflow.id, {"name": "Once"}, idempotency_key="order-42")
    again = client.workflows.execute(workflow.id, {"name": "Once"}, idempotency_key="order-42")
    assert again.execution_id == first.execution_id  # the server answered the first run again
    with pytest.raises(sdk.Conflict):
        client.workflows.execute(workflow.id, {"name": "Twice"}, idempotency_key="order-42")
    client.executions.wait(first.execution_id, timeout=60, poll_interval=0.2)

    events = list(client.executions.stream(run.id, poll_interval=0.2))
    assert [event.seq for event in events] == list(range(1, len(events) + 1))
    assert events[0].event == "execution.started" and events[-1].event == "execution.finished"
    return run


def check_the_delivery(receiver, secret: str, run) -> None:
    def delivery_of_the_run():
        return next((request for request in receiver.requests if run.id.encode() in request.body), None)

    delivery = wait_until(delivery_of_the_run, timeout=60, what="the webhook delivery of the run")
    event = webhooks.construct_event(delivery.body, delivery.headers, secret)
    assert event.type == "workflow.executed"
    assert isinstance(event.data, webhooks.ExecutionEventData)
    assert (event.data.execution_id, event.data.status) == (run.id, "completed")
    with pytest.raises(sdk.WebhookVerificationError):
        webhooks.construct_event(delivery.body.replace(b"completed", b"cancelled"), delivery.headers, secret)
    with pytest.raises(sdk.WebhookVerificationError, match="seconds|s from now"):
        webhooks.verify(secret, delivery.body, delivery.headers, now=time.time() + 3600)


def check_every_namespace_reads(client: sdk.Client, run) -> None:
    """A read of every namespace parses the server's real answers into the generated models."""
    models = sdk.models
    form = client.forms.create(name="Contact", fields=[{"key": "email", "type": "email", "label": "Email"}])
    assert client.forms.submit(form.id, {"email": "ada@example.com"}).form_id == form.id
    reads = {
        models.WorkflowList: list(client.workflows.list()),
        models.ExecutionList: list(client.workflows.executions(run.workflow_id)),
        models.Step: list(client.executions.steps(run.id)),
        models.Form: list(client.forms.list()),
        models.Submission: list(client.forms.submissions(form.id)),
        models.Credential: list(client.credentials.list()),
        models.CredentialType: client.credentials.types(),
        models.Connection: list(client.connections.list()),
        models.Integration: list(client.integrations.list()),
        models.Webhook: list(client.webhooks.list()),
        models.Function: list(client.functions.list()),
        models.NodeType: list(client.node_types.list()),
        models.ApiKey: list(client.api_keys.list()),
        models.Member: list(client.members.list()),
        models.Project: list(client.projects.list()),
        models.AuditEvent: list(client.audit_log.list(limit=5)),
        models.Version: list(client.workflows.versions(run.workflow_id)),
    }
    for model, items in reads.items():
        assert all(isinstance(item, model) for item in items), model
    assert reads[models.NodeType] and reads[models.Member] and reads[models.Project] and reads[models.AuditEvent]
    assert isinstance(client.usage.get(), models.Usage)
    assert isinstance(client.metrics.get(run.workflow_id, granularity="day"), models.Metrics)
    assert isinstance(client.system.queue(), models.QueueOverviewSchema)
    assert isinstance(client.ws_tickets.create(), models.WsTicket)
    assert isinstance(client.workflows.export(run.workflow_id, format="states"), models.Export)
    assert isinstance(client.workflows.hooks(run.workflow_id), list)
    client.forms.delete(form.id)


def check_both_paging_styles(client: sdk.Client, recorder: Recorder, run) -> None:
    workflow = Workflow.objects.get(pk=run.workflow_id)
    existing = Execution.objects.filter(project=workflow.project).count()
    Execution.objects.bulk_create(
        Execution(workflow=workflow, project=workflow.project, definition={}, trigger_node_id="start",
                  status="completed", input={"n": n})
        for n in range(250 - existing)
    )  # fmt: skip
    before = len(recorder.statuses)
    pager = client.executions.list(limit=100)
    assert len(recorder.statuses) == before  # lazy: nothing fetched until iterated
    by_cursor = [execution.id for execution in pager]
    assert len(recorder.statuses) == before + 3
    by_page = [execution.id for execution in client.workflows.executions(run.workflow_id, paging="page", limit=100)]
    assert len(recorder.statuses) == before + 6
    assert len(by_cursor) == len(set(by_cursor)) == 250
    assert by_page == by_cursor  # both newest first, nothing skipped or repeated
    assert run.id in by_cursor


def check_typed_errors(client: sdk.Client, key: str, base_url: str, acme, make_key) -> None:
    with pytest.raises(sdk.AuthenticationError) as unauthorized:
        list(sdk.Client("wf_live_not-a-key", base_url=base_url).workflows.list())
    assert (unauthorized.value.status, unauthorized.value.code) == (401, "UNAUTHORIZED")

    _, viewer_key = make_key(acme, Role.VIEWER)
    with pytest.raises(sdk.PermissionDenied) as forbidden:
        sdk.Client(viewer_key, base_url=base_url).workflows.create(name="Nope", **simple_flow())
    assert (forbidden.value.status, forbidden.value.code) == (403, "FORBIDDEN")

    free = accounts.create_organization("Free Co", plan=Plan.FREE)
    _, free_key = make_key(free, Role.ADMIN)
    with pytest.raises(sdk.PlanUpgradeRequired) as plan:
        list(sdk.Client(free_key, base_url=base_url).workflows.list())
    assert plan.value.status == 403 and isinstance(plan.value, sdk.PermissionDenied)

    with pytest.raises(sdk.NotFound) as missing:
        client.workflows.get("wf_missing")
    assert (missing.value.status, type(missing.value)) == (404, sdk.WorkflowNotFound)
    assert missing.value.request_id.startswith("req_")  # the server's X-Request-Id

    with pytest.raises(sdk.Conflict) as duplicate:
        client.workflows.create(name="Greeter", **simple_flow())
    assert (duplicate.value.status, duplicate.value.code) == (409, "WORKFLOW_ALREADY_EXISTS")

    bad_node = {"nodes": [{"id": "start", "type": "trigger.manual", "config": {}},
                          {"id": "wait", "type": "logic.wait", "config": {"seconds": "soon"}}],
                "edges": [{"id": "e1", "source": "start", "target": "wait"}]}  # fmt: skip
    with pytest.raises(sdk.InvalidNodeConfig) as invalid:
        client.workflows.create(name="Broken", **bad_node)
    assert invalid.value.status == 422 and invalid.value.field and isinstance(invalid.value, sdk.ValidationError)

    with pytest.raises(sdk.ValidationError) as bad_filter:
        list(client.workflows.list(status="sideways"))
    assert (bad_filter.value.status, bad_filter.value.field) == (400, "status")

    read = client.workflows.get(client.workflows.list().first().id)
    written = client.workflows.update(read.id, description="first", etag=read.etag)
    assert read.etag and written.etag and written.etag != read.etag
    with pytest.raises(sdk.PreconditionFailed) as stale:
        client.workflows.update(read.id, description="late", etag=read.etag)
    assert stale.value.status == 412 and stale.value.details["current_etag"] == written.etag


def check_the_async_client(key: str, base_url: str, workflow_id: str) -> None:
    async def journey():
        async with sdk.AsyncClient(key, base_url=base_url) as client:
            run = await client.workflows.execute_and_wait(workflow_id, {"name": "Grace"}, timeout=90)
            ids = [execution.id async for execution in client.executions.list(limit=100)]
            events = [event.event async for event in client.executions.stream(run.id, poll_interval=0.2)]
            return run, ids, events

    run, ids, events = asyncio.run(journey())
    assert (run.status, run.output) == ("completed", {"hello": "Grace"})
    assert len(ids) == len(set(ids)) == 251 and ids[0] == run.id
    assert events[-1] == "execution.finished"


def exhaust_the_minute(organization_id: str) -> None:
    """Spend the organization's per-minute budget (the server counts in the same Redis)."""
    window = int(time.time() // 60) * 60
    get_redis().set(f"ratelimit:{organization_id}:minute:{window}", 10**6, ex=180)


def check_a_429_is_retried_after_retry_after(key: str, base_url: str, organization_id: str) -> None:
    # Windows are fixed minutes: start near a window's end so Retry-After is a few seconds. On a
    # machine so loaded that the request reached the server only after that window ended, no 429
    # was seen: try once more at the next window's end.
    for _ in range(2):
        time.sleep(max(0.0, 60 - time.time() % 60 - 8))
        exhaust_the_minute(organization_id)
        client, recorder = recorded_client(key, base_url, max_retries=2)
        assert list(client.workflows.list()) == []  # a fresh organization's
        if recorder.statuses != [200]:
            break
    assert recorder.statuses == [429, 200]
    assert recorder.times[1] - recorder.times[0] >= int(recorder.retry_after[0]) >= 1  # it waited as told

    exhaust_the_minute(organization_id)
    with pytest.raises(sdk.RateLimited) as limited:
        list(sdk.Client(key, base_url=base_url, max_retries=0).workflows.list())
    assert limited.value.status == 429 and 1 <= limited.value.retry_after <= 60


def check_the_readme_examples(key: str, base_url: str) -> None:
    """Every Python block of sdk/python/README.md runs as written against this server (as against `make run`'s)."""
    call_command("seed_samples", org="Acme", stdout=io.StringIO())  # what `make run` seeds: "Order triage"
    blocks = re.findall(r"```python\n(.*?)```", (SDK_ROOT / "README.md").read_text(), flags=re.S)
    assert len(blocks) >= 6
    env = {"PATH": os.environ["PATH"], "PYTHONPATH": str(SDK_SOURCE), "FLOWBUILDER_API_KEY": key,
           "FLOWBUILDER_BASE_URL": base_url}  # fmt: skip
    outputs = []
    for block in blocks:
        result = subprocess.run([sys.executable, "-c", block], env=env, capture_output=True, text=True, timeout=120)
        assert result.returncode == 0, f"{block}\n{result.stderr}"
        outputs.append(result.stdout)
    status, output = outputs[0].strip().split(" ", 1)  # key order is the database's: compare as a dict
    assert status == "completed"
    assert ast.literal_eval(output) == {"tier": "vip", "customer": "Ada Lovelace", "amount": 250}
    assert outputs[1].splitlines()[0] == "True"
