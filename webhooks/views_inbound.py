"""`/hooks/<token>`: the public door of `trigger.webhook` nodes (no API key, no CSRF).

Successes are the run's answer (202 `{"execution_id", "status"}` or the run's output);
every error is the API's error envelope `{"success": false, "error": {"code", "message", …}}`
so callers can tell a wrong method from a bad signature without reading HTML. Each hook
has its own rate limit (`settings.HOOK_RATE_LIMITS`, per plan), apart from the API's.
"""

from __future__ import annotations

import base64
import json
import logging
from typing import Any
from urllib.parse import parse_qs

from django.conf import settings
from django.http import HttpRequest, JsonResponse
from django.views.decorators.csrf import csrf_exempt
from redis.exceptions import RedisError

from accounts.services import ConflictError, record_usage
from flowbuilder.api.envelope import error_body
from flowbuilder.api.throttling import RateLimitState, hit, rate_limit_headers
from webhooks.inbound import (
    HookMisconfigured,
    LiveHook,
    SignatureRefused,
    check_standard_signature,
    resolve_live_hook,
    signature_is_valid,
    signing_secret,
    start_hook_run,
)
from workflows.definitions import DefinitionError
from workflows.idempotency import InvalidIdempotencyKey, clean_key
from workflows.inline import inline_enabled, run_and_wait
from workflows.models import Execution, ExecutionStatus
from workflows.services import InvalidInput

logger = logging.getLogger(__name__)

# A copy of the raw text rides along with parsed bodies up to this size, for flows that
# need the exact bytes (their own signature checks); bigger ones would bloat every step.
RAW_BODY_KEPT_BYTES = 16 * 1024
# Credentials never enter a run's input, where every project viewer could read them.
DROPPED_HEADERS = frozenset({"authorization", "cookie", "proxy-authorization"})
# One message for every token that cannot run, so callers learn nothing about which ones exist.
NOT_FOUND_MESSAGE = "No webhook listens at this address."


class InvalidBody(ValueError):
    pass


def error_response(
    status: int, code: str, message: str, *, field: str | None = None, details=None, **headers: str
) -> JsonResponse:
    response = JsonResponse(error_body(code, message, details=details, field=field), status=status)
    for name, value in headers.items():
        response[name.replace("_", "-")] = value
    return response


@csrf_exempt
def receive_hook(request: HttpRequest, token: str) -> JsonResponse:
    live = resolve_live_hook(token)
    if live is None:
        return error_response(404, "NOT_FOUND", NOT_FOUND_MESSAGE)
    if request.method not in live.methods:
        allowed = ", ".join(live.methods)
        return error_response(405, "METHOD_NOT_ALLOWED", f"This webhook accepts {allowed}.", Allow=allowed)
    limit = hook_rate_limit(live)
    if limit is not None and limit.exceeded:
        return with_headers(
            error_response(429, "RATE_LIMITED", "Too many calls to this webhook; slow down."), rate_limit_headers(limit)
        )
    response = answer_hook(request, live)
    return response if limit is None else with_headers(response, rate_limit_headers(limit))


def answer_hook(request: HttpRequest, live: LiveHook) -> JsonResponse:
    """Everything after the rate limit: body, signature, idempotency, the run and its answer."""
    max_bytes = settings.FLOWBUILDER_WEBHOOK_MAX_BODY_BYTES
    raw = read_body(request, max_bytes)
    if raw is None:
        return error_response(413, "PAYLOAD_TOO_LARGE", f"The body is larger than {max_bytes} bytes.")
    refused = check_signature(live, raw, request)
    if refused is not None:
        return refused
    try:
        key = clean_key(request.headers.get("Idempotency-Key"))
        trigger = build_trigger(request, raw)
        inline = live.response_mode == "last_node" and inline_enabled()
        started = start_hook_run(live, trigger, idempotency_key=key, raw_body=raw, enqueue=not inline)
    except (InvalidBody, InvalidIdempotencyKey) as error:
        return error_response(400, "INVALID_BODY" if isinstance(error, InvalidBody) else "VALIDATION_ERROR", str(error))
    except InvalidInput as error:
        problems = [problem.to_dict() for problem in error.problems]
        return error_response(400, "INVALID_INPUT", str(error), field=error.field, details={"problems": problems})
    except ConflictError as error:
        return error_response(409, "CONFLICT", str(error))
    except DefinitionError:
        return error_response(503, "WORKFLOW_NOT_RUNNABLE", "The published version of this workflow cannot run.")
    response = answer_for(live, started.execution, queued=started.replayed or not inline)
    if started.replayed:
        response["Idempotent-Replayed"] = "true"
    return response


def hook_rate_limit(live: LiveHook) -> RateLimitState | None:
    """Count the call in this hook's own windows, with the plan's hook limits (not the API's).

    None when counting failed (Redis unreachable): the call is served, as the API does.
    """
    organization = live.workflow.project.organization
    try:
        state = hit(f"{organization.id}:hook:{live.hook.pk}", organization.plan, table=settings.HOOK_RATE_LIMITS)
    except (RedisError, OSError, ValueError):
        logger.warning("hook rate limit not counted: Redis error", exc_info=True)
        return None
    if not state.exceeded:  # metered in Redis (accounts.usage), no database write
        record_usage(organization.id, api_calls=1)
    return state


def read_body(request: HttpRequest, max_bytes: int) -> bytes | None:
    """The raw body, or None when it is over the limit (checked before and while reading)."""
    try:
        declared = int(request.META.get("CONTENT_LENGTH") or 0)
    except ValueError:
        declared = 0
    if declared > max_bytes:
        return None
    raw = request.read(max_bytes + 1)
    return None if len(raw) > max_bytes else raw


def check_signature(live: LiveHook, raw: bytes, request: HttpRequest) -> JsonResponse | None:
    try:
        secret = signing_secret(live)
    except HookMisconfigured:
        return error_response(503, "HOOK_MISCONFIGURED", "This webhook's signing secret is not available.")
    if secret is None:
        return None
    if "webhook-signature" in request.headers:
        try:
            check_standard_signature(live, secret, raw, request.headers)
        except SignatureRefused as error:
            return error_response(401, "INVALID_SIGNATURE", str(error))
        return None
    header = live.config.get("signature_header")
    if signature_is_valid(secret, raw, request.headers, header):
        logger.warning("Hook %s/%s: deprecated body-only signature (replayable).", live.workflow.id, live.hook.node_id)
        return None
    return error_response(
        401,
        "INVALID_SIGNATURE",
        "Missing or wrong signature: send the Standard Webhooks headers webhook-id, webhook-timestamp and "
        "webhook-signature (or, deprecated, "
        f"{header or 'X-Hub-Signature-256'}: sha256=<hex HMAC-SHA256 of the body>).",
    )


def build_trigger(request: HttpRequest, raw: bytes) -> dict[str, Any]:
    """What the run sees as `trigger`: the request as received, body parsed when it says how."""
    trigger: dict[str, Any] = {
        "method": request.method,
        "path": request.path,
        "headers": {
            name.lower(): value for name, value in request.headers.items() if name.lower() not in DROPPED_HEADERS
        },
        "query": collapse_lists(request.GET.lists()),
    }
    trigger.update(parse_body(request.content_type or "", raw))
    return trigger


def parse_body(content_type: str, raw: bytes) -> dict[str, Any]:
    if not raw:
        return {"body": None}
    if content_type == "application/json" or content_type.endswith("+json"):
        try:
            parsed = json.loads(raw)
        except (UnicodeDecodeError, json.JSONDecodeError) as error:
            raise InvalidBody(f"The body is not valid JSON: {error}.") from None
        return {"body": parsed, **kept_raw(raw)}
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError:
        return {"body": base64.b64encode(raw).decode("ascii"), "body_encoding": "base64"}
    if content_type == "application/x-www-form-urlencoded":
        return {"body": collapse_lists(parse_qs(text, keep_blank_values=True).items()), **kept_raw(raw)}
    return {"body": text}


def kept_raw(raw: bytes) -> dict[str, str]:
    if len(raw) > RAW_BODY_KEPT_BYTES:
        return {}
    try:
        return {"raw_body": raw.decode("utf-8")}
    except UnicodeDecodeError:
        return {}


def collapse_lists(pairs) -> dict[str, Any]:
    """`a=1&b=2&b=3` → {"a": "1", "b": ["2", "3"]}: a single value is not wrapped in a list."""
    return {key: values[0] if len(values) == 1 else list(values) for key, values in pairs}


def answer_for(live: LiveHook, execution: Execution, *, queued: bool = True) -> JsonResponse:
    """202 at once, or (`last_node`) the run's output once it ends, falling back to 202.

    A run not `queued` runs here, in this process, until it ends, parks or uses its budget.
    """
    if live.response_mode == "last_node":
        timeout = settings.FLOWBUILDER_WEBHOOK_SYNC_TIMEOUT_SECONDS
        execution = run_and_wait(execution, timeout, queued=queued)
    headers = {"X-Execution-Id": execution.id}
    if live.response_mode != "last_node" or not execution.is_terminal:
        body = {"execution_id": execution.id, "status": execution.status}
        return with_headers(JsonResponse(body, status=202), headers)
    if execution.status == ExecutionStatus.COMPLETED:
        return with_headers(JsonResponse(execution.output, status=200, safe=False), headers)
    error = dict(execution.error or {})
    error.setdefault("code", "WORKFLOW_EXECUTION_FAILED" if execution.status == "failed" else "EXECUTION_CANCELLED")
    error.setdefault("message", f"The run ended {execution.status}.")
    error["execution_id"] = execution.id
    return with_headers(JsonResponse({"success": False, "error": error}, status=500), headers)


def with_headers(response: JsonResponse, headers: dict[str, str]) -> JsonResponse:
    for name, value in headers.items():
        response[name] = value
    return response
