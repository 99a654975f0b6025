"""The SDK's client logic against a scripted API (httpx.MockTransport): keys, headers, retries, errors."""

from __future__ import annotations

import asyncio
from datetime import UTC, datetime, timedelta
from email.utils import format_datetime

import flowbuilder_sdk as sdk
import httpx
import pytest
from flowbuilder_sdk import client as client_module

from tests.sdk.mock_api import WORKFLOW, ScriptedAPI, error, ok


@pytest.fixture
def sleeps(monkeypatch):
    """The delays the sync client slept, without sleeping."""
    slept: list[float] = []
    monkeypatch.setattr(client_module.time, "sleep", slept.append)
    return slept


@pytest.fixture
def async_sleeps(monkeypatch):
    slept: list[float] = []

    async def record(seconds: float) -> None:
        slept.append(seconds)

    monkeypatch.setattr(client_module.asyncio, "sleep", record)
    return slept


def test_without_a_key_it_says_what_to_do(monkeypatch):
    monkeypatch.delenv("FLOWBUILDER_API_KEY", raising=False)
    with pytest.raises(sdk.MissingAPIKeyError, match="FLOWBUILDER_API_KEY") as missing:
        sdk.Client()
    assert "Client(api_key=" in str(missing.value)
    with pytest.raises(sdk.MissingAPIKeyError):
        sdk.AsyncClient()


def test_it_reads_the_key_from_the_environment_and_sends_it(monkeypatch):
    monkeypatch.setenv("FLOWBUILDER_API_KEY", "wf_live_from_env")
    api = ScriptedAPI(ok(WORKFLOW))
    client = sdk.Client(base_url="http://api.test", transport=httpx.MockTransport(api))
    workflow = client.workflows.get("wf_1")
    assert isinstance(workflow, sdk.models.Workflow) and workflow.name == "Greeter"
    request = api.requests[0]
    assert request.headers["Authorization"] == "Bearer wf_live_from_env"
    assert str(request.url) == "http://api.test/api/v1/workflows/wf_1"
    assert request.headers["User-Agent"].startswith("flowbuilder-sdk-python/")


@pytest.mark.parametrize("base_url", ["http://api.test", "http://api.test/", "http://api.test/api/v1/"])
def test_the_base_url_may_be_the_server_or_the_api(base_url):
    api = ScriptedAPI(ok(WORKFLOW))
    sdk.Client("k", base_url=base_url, transport=httpx.MockTransport(api)).workflows.get("wf_1")
    assert str(api.requests[0].url) == "http://api.test/api/v1/workflows/wf_1"


def test_the_project_is_per_client_and_per_call():
    api = ScriptedAPI(ok(WORKFLOW), ok(WORKFLOW), ok(WORKFLOW))
    client = api.client(project_id="proj_a")
    client.workflows.get("wf_1")
    client.workflows.get("wf_1", project_id="proj_b")
    api.client().workflows.get("wf_1")
    assert [r.headers.get("X-Project-Id") for r in api.requests] == ["proj_a", "proj_b", None]


def test_path_parameters_are_escaped():
    api = ScriptedAPI(error(404, "WORKFLOW_NOT_FOUND"))
    with pytest.raises(sdk.WorkflowNotFound):
        api.client().workflows.get("../api-keys")
    assert api.requests[0].url.raw_path == b"/api/v1/workflows/..%2Fapi-keys"


@pytest.mark.parametrize(
    ("status", "code", "expected"),
    [
        (400, "VALIDATION_ERROR", sdk.ValidationError),
        (400, "MISSING_REQUIRED_FIELD", sdk.MissingRequiredField),
        (400, "INVALID_INPUT", sdk.InvalidInput),
        (401, "UNAUTHORIZED", sdk.AuthenticationError),
        (403, "FORBIDDEN", sdk.PermissionDenied),
        (403, "PLAN_UPGRADE_REQUIRED", sdk.PlanUpgradeRequired),
        (404, "NOT_FOUND", sdk.NotFound),
        (404, "WORKFLOW_NOT_FOUND", sdk.WorkflowNotFound),
        (409, "CONFLICT", sdk.Conflict),
        (409, "WORKFLOW_ALREADY_EXISTS", sdk.WorkflowAlreadyExists),
        (412, "PRECONDITION_FAILED", sdk.PreconditionFailed),
        (422, "INVALID_NODE_CONFIG", sdk.InvalidNodeConfig),
        (429, "RATE_LIMITED", sdk.RateLimited),
        (500, "INTERNAL_ERROR", sdk.InternalError),
        (404, "SOMETHING_NEW", sdk.NotFound),  # an unknown code: the class of its status
        (418, "TEAPOT", sdk.APIError),
    ],
)
def test_each_error_code_has_its_class(status, code, expected, sleeps):
    headers = {"Retry-After": "3", "X-Request-Id": "req_1"}
    api = ScriptedAPI(error(status, code, "Nope.", field="name", details={"name": ["taken"]}, headers=headers))
    with pytest.raises(sdk.APIError) as raised:
        api.client(max_retries=0).workflows.get("wf_1")
    assert type(raised.value) is expected
    assert (raised.value.status, raised.value.code, raised.value.message) == (status, code, "Nope.")
    assert (raised.value.field, raised.value.details, raised.value.request_id) == ("name", {"name": ["taken"]}, "req_1")


def test_an_answer_that_is_not_json_is_still_a_typed_error():
    api = ScriptedAPI(httpx.Response(502, text="<html>bad gateway</html>"))
    with pytest.raises(sdk.APIError) as raised:
        api.client().workflows.get("wf_1")
    assert type(raised.value) is sdk.APIError and raised.value.status == 502


def test_a_server_that_is_not_the_api_is_named_as_such():
    api = ScriptedAPI(httpx.Response(200, text="<html>welcome</html>"), httpx.Response(200, json=[1]))
    with pytest.raises(sdk.FlowbuilderError, match="base_url"):
        api.client().workflows.get("wf_1")
    with pytest.raises(sdk.FlowbuilderError, match="envelope"):
        api.client().workflows.get("wf_1")


def test_a_429_waits_for_retry_after_then_succeeds_even_on_a_post(sleeps):
    api = ScriptedAPI(error(429, "RATE_LIMITED", headers={"Retry-After": "7"}), ok(WORKFLOW, 201))
    workflow = api.client().workflows.create(name="Greeter")
    assert workflow.id == "wf_1" and sleeps == [7.0] and len(api.requests) == 2


def test_a_retry_after_longer_than_the_client_accepts_raises_at_once(sleeps):
    api = ScriptedAPI(error(429, "RATE_LIMITED", headers={"Retry-After": "3600"}))
    with pytest.raises(sdk.RateLimited) as limited:
        api.client(max_retry_wait=60).workflows.get("wf_1")
    assert limited.value.retry_after == 3600 and sleeps == []


def test_retry_after_may_be_seconds_or_an_http_date():
    from flowbuilder_sdk.errors import parse_retry_after

    assert parse_retry_after("12") == 12.0
    assert parse_retry_after("Wed, 21 Oct 2015 07:28:00 GMT") == 0.0  # in the past: now
    assert parse_retry_after(format_datetime(datetime.now(UTC) + timedelta(hours=1), usegmt=True)) > 3590
    assert parse_retry_after("soon") is None and parse_retry_after(None) is None


def test_retries_stop_after_max_retries(sleeps):
    api = ScriptedAPI(*[error(503, "SERVICE_UNAVAILABLE")] * 5)
    with pytest.raises(sdk.ServiceUnavailable):
        api.client(max_retries=3).workflows.get("wf_1")
    assert len(api.requests) == 4 and len(sleeps) == 3
    assert all(0.25 <= delay <= 8 for delay in sleeps) and sleeps[2] > sleeps[0]


def test_a_503_is_retried_on_a_get_but_not_on_a_plain_post(sleeps):
    api = ScriptedAPI(error(503, "SERVICE_UNAVAILABLE"), ok(WORKFLOW))
    assert api.client().workflows.get("wf_1").id == "wf_1"
    api = ScriptedAPI(error(503, "SERVICE_UNAVAILABLE"), ok(WORKFLOW, 201))
    with pytest.raises(sdk.ServiceUnavailable):
        api.client().workflows.create(name="Greeter")
    assert len(api.requests) == 1


def test_a_broken_connection_is_retried_only_where_it_is_safe(sleeps):
    api = ScriptedAPI(httpx.ReadError("reset"), ok(WORKFLOW))
    assert api.client().workflows.get("wf_1").id == "wf_1"
    api = ScriptedAPI(httpx.ReadError("reset"), ok(WORKFLOW, 201))
    with pytest.raises(sdk.APIConnectionError):
        api.client().workflows.create(name="Greeter")
    # A refused connection sent nothing: safe to retry whatever the method.
    api = ScriptedAPI(httpx.ConnectError("refused"), ok(WORKFLOW, 201))
    assert api.client().workflows.create(name="Greeter").id == "wf_1"
    api = ScriptedAPI(*[httpx.ReadTimeout("slow")] * 3)
    with pytest.raises(sdk.APITimeoutError):
        api.client().workflows.get("wf_1")


def test_execute_sends_one_idempotency_key_and_retries_with_it(sleeps):
    started = {"execution_id": "exec_1", "status": "pending", "started_at": None}
    api = ScriptedAPI(httpx.ReadError("reset"), error(503, "SERVICE_UNAVAILABLE"), ok(started, 202))
    run = api.client().workflows.execute("wf_1", {"amount": 3}, version="draft")
    assert isinstance(run, sdk.models.ExecutionStarted) and run.execution_id == "exec_1"
    keys = {request.headers["Idempotency-Key"] for request in api.requests}
    assert len(api.requests) == 3 and len(keys) == 1 and keys.pop().startswith("sdk-")
    assert api.body() == {"input": {"amount": 3}, "version": "draft"}
    api.client().workflows.execute("wf_1", idempotency_key="order-42")
    assert api.requests[-1].headers["Idempotency-Key"] == "order-42"


def test_the_async_client_retries_the_same_way(async_sleeps):
    api = ScriptedAPI(error(429, "RATE_LIMITED", headers={"Retry-After": "2"}), ok(WORKFLOW))

    async def get():
        async with api.async_client() as client:
            return await client.workflows.get("wf_1")

    assert asyncio.run(get()).id == "wf_1" and async_sleeps == [2.0]


def test_a_conditional_update_sends_if_match():
    api = ScriptedAPI(error(412, "PRECONDITION_FAILED", details={"current_etag": '"r3"'}))
    with pytest.raises(sdk.PreconditionFailed) as stale:
        api.client().workflows.update("wf_1", {"description": "x"}, etag='"r2"', name="y")
    assert api.requests[0].headers["If-Match"] == '"r2"' and stale.value.details == {"current_etag": '"r3"'}
    assert api.body() == {"description": "x", "name": "y"}


def test_a_read_keeps_its_etag_for_a_conditional_write():
    api = ScriptedAPI(ok(WORKFLOW, ETag='"r4"'), ok(WORKFLOW))
    client = api.client()
    workflow = client.workflows.get("wf_1")
    assert workflow.etag == '"r4"'
    client.workflows.delete("wf_1", etag=workflow.etag)
    assert api.requests[1].headers["If-Match"] == '"r4"' and api.requests[1].method == "DELETE"


def test_models_keep_fields_they_do_not_know_and_give_back_the_wire_form():
    workflow = sdk.models.Workflow.from_dict({**WORKFLOW, "new_field": 1})
    assert workflow.extra == {"new_field": 1} and workflow["new_field"] == 1
    assert workflow.to_dict()["new_field"] == 1 and workflow.to_dict()["name"] == "Greeter"
    request = sdk.models.PatchedWorkflowWriteRequest(description="d")
    api = ScriptedAPI(ok(WORKFLOW))
    api.client().workflows.update("wf_1", request)
    assert api.body() == {"description": "d"}


def test_test_step_and_preview_send_what_the_editor_sends():
    started = {"execution_id": "exec_1", "status": "pending", "started_at": None}
    answer = {"value": 12, "error": None, "data_from": "run", "execution_id": "exec_0"}
    api = ScriptedAPI(ok(started, status=202), ok(answer))
    client = api.client()
    assert client.workflows.test_step("wf_1", "check").execution_id == "exec_1"
    assert str(api.requests[0].url) == "http://api.test/api/v1/workflows/wf_1/test-step"
    assert api.body(0) == {"node_id": "check"}
    result = client.workflows.preview("wf_1", "check", "{{ input.total * 2 }}", execution_id="exec_0")
    assert isinstance(result, sdk.models.PreviewResult) and (result.value, result.data_from) == (12, "run")
    assert api.body(1) == {"node_id": "check", "text": "{{ input.total * 2 }}", "execution_id": "exec_0"}
