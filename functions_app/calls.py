"""AI and HTTP functions, and the requests a code function makes over its pipe.

Every outbound call goes through the product's guarded HTTP client (the network guard:
private, loopback and metadata addresses refused unless allow-listed), AI calls through the
integrations LLM client and its usage metering.
"""

from __future__ import annotations

import json
from typing import Any
from urllib.parse import urlsplit

import jsonschema

from integrations import llm
from integrations.probes import guarded_http_client
from workflows.engine import ExpressionError, NodeError
from workflows.engine.expressions import render_config
from workflows.engine.http_client import BlockedAddressError, HttpClientError

MAX_BODY_TO_CODE = 1024 * 1024


def _render(value: Any, names: dict[str, Any], path: str) -> Any:
    try:
        return render_config(value, names, path=path)
    except ExpressionError as error:
        raise NodeError("EXPRESSION_ERROR", str(error), retryable=False) from None


def _check_input(spec: dict[str, Any], input: Any) -> None:
    schema = spec.get("input_schema")
    if not schema:
        return
    error = jsonschema.exceptions.best_match(jsonschema.Draft202012Validator(schema).iter_errors(input))
    if error is not None:
        where = "/".join(str(p) for p in error.absolute_path) or "input"
        raise NodeError("INVALID_INPUT", f"input does not match the function's input schema at {where}: "
                        f"{error.message[:300]}", retryable=False)  # fmt: skip


def _schema_problem(schema: dict[str, Any] | None, value: Any) -> str | None:
    if not schema:
        return None
    error = jsonschema.exceptions.best_match(jsonschema.Draft202012Validator(schema).iter_errors(value))
    if error is None:
        return None
    where = "/".join(str(p) for p in error.absolute_path) or "(root)"
    return f"at {where}: {error.message[:300]}"


# --- AI functions ---------------------------------------------------------------------------


def call_ai(resources, spec: dict[str, Any], input: Any, *, log=None) -> Any:
    """Ask the model; parse and validate against the output schema; retry once on a mismatch."""
    _check_input(spec, input)
    schema = spec.get("output_schema")
    system = str(spec.get("system") or "")
    if schema:
        system = f"{system}\n\nAnswer with JSON matching this JSON Schema:\n{json.dumps(schema)}".strip()
    try:
        provider = llm.LlmProvider.from_fields(resources.credential_fields(spec["credential"], "llm"))
    except LookupError as error:
        raise NodeError("RESOURCE_NOT_FOUND", str(error), retryable=False) from None
    messages = [{"role": "user", "content": str(_render(spec["prompt"], {"input": input}, "prompt"))}]
    client = guarded_http_client()
    try:
        answer, problem = _ask(resources, provider, client, spec, system, messages)
        if problem is None:
            return answer
        if log:
            log("warning", f"the model's answer did not match the output schema ({problem}); asking once more")
        retry = f"Your answer did not match the JSON Schema: {problem}. Answer again with JSON only, matching it."
        messages += [{"role": "assistant", "content": str(answer or "(no JSON)")}, {"role": "user", "content": retry}]
        answer, problem = _ask(resources, provider, client, spec, system, messages)
        if problem is None:
            return answer
        raise NodeError("AI_OUTPUT_INVALID", f"the model's answer does not match the output schema {problem}",
                        retryable=False)  # fmt: skip
    finally:
        client.close()


def _ask(resources, provider, client, spec, system, messages) -> tuple[Any, str | None]:
    """One chat call, metered: (the answer, None) or (the raw text, what is wrong with it)."""
    from django.conf import settings

    schema = spec.get("output_schema")
    request = llm.ChatRequest(messages=list(messages), system=system, model=str(spec.get("model") or ""),
                              max_tokens=int(spec.get("max_tokens") or 1024), json_output=bool(schema))  # fmt: skip
    try:
        reply = llm.chat(provider, request, http_client=client, default_model=settings.FLOWBUILDER_DEFAULT_LLM_MODEL)
    except llm.LlmError as error:
        if error.code == "LLM_BAD_JSON":
            return "", "it was not JSON"
        raise NodeError(error.code, error.message, retryable=error.retryable, retry_after=error.retry_after) from None
    resources.record_ai_tokens(
        reply.total_tokens, model=reply.model, input_tokens=reply.input_tokens, output_tokens=reply.output_tokens
    )
    if not schema:
        return reply.text, None
    problem = _schema_problem(schema, reply.data)
    return (reply.data, None) if problem is None else (reply.text, problem)


# --- HTTP functions -------------------------------------------------------------------------


def _response_view(response) -> dict[str, Any]:
    text = response.body.decode("utf-8", errors="replace")
    try:
        parsed = json.loads(text) if text.strip() else None
    except ValueError:
        parsed = None
    return {"status": response.status, "headers": dict(response.headers), "json": parsed, "text": text}


def call_http(resources, spec: dict[str, Any], input: Any) -> Any:
    names = {"input": input}
    url = str(_render(spec["url"], names, "url"))
    headers = {str(k): str(v) for k, v in (_render(spec.get("headers") or {}, names, "headers")).items()}
    params = {str(k): str(v) for k, v in (_render(spec.get("query") or {}, names, "query")).items()}
    if spec.get("credential"):
        try:
            auth = resources.http_auth(spec["credential"])
        except LookupError as error:
            raise NodeError("RESOURCE_NOT_FOUND", str(error), retryable=False) from None
        headers.update(auth.headers)
        params.update(auth.params)
    body = _render(spec["body"], names, "body") if "body" in spec else None
    client = guarded_http_client()
    try:
        response = client.request(spec["method"], url, headers=headers, params=params or None, json=body,
                                  timeout_seconds=float(spec.get("timeout_seconds") or 30))  # fmt: skip
    except BlockedAddressError as error:
        raise NodeError("ADDRESS_BLOCKED", str(error), retryable=False) from None
    except HttpClientError as error:
        raise NodeError("HTTP_UNREACHABLE", str(error), retryable=True) from None
    finally:
        client.close()
    view = _response_view(response)
    if response.status >= 400:
        raise NodeError("HTTP_ERROR", f"{spec['method']} {urlsplit(url).netloc} answered HTTP {response.status}",
                        retryable=response.status in (429, 500, 502, 503, 504))  # fmt: skip
    if spec.get("response"):
        return _render(spec["response"], {"input": input, "response": view}, "response")
    return view["json"] if view["json"] is not None else view["text"]


# --- requests from code functions -------------------------------------------------------------


def host_allowed(url: str, hosts: list[str]) -> bool:
    parts = urlsplit(url)
    host = (parts.hostname or "").lower().rstrip(".")
    port = parts.port
    for pattern in hosts:
        name, _, wanted_port = pattern.lower().partition(":")
        if wanted_port and str(port) != wanted_port:
            continue
        if name == host or (name.startswith("*.") and host.endswith(name[1:])):
            return True
    return False


def request_handler(host, hosts: list[str]):
    """Answer a sandboxed function's requests: HTTP to its declared hosts, or another function."""

    def handle(request: dict[str, Any]) -> dict[str, Any]:
        try:
            if request.get("type") == "call":
                output = host.nested().call_function(str(request.get("name")), request.get("input"))
                return {"output": output}
            return {"response": _http_for_code(request, hosts)}
        except NodeError as error:
            return {"error": f"{error.code}: {error.message}"}

    return handle


def _http_for_code(request: dict[str, Any], hosts: list[str]) -> dict[str, Any]:
    url = str(request.get("url") or "")
    if not hosts:
        raise NodeError("NETWORK_DISABLED", "this function declares no hosts, so it has no network", retryable=False)
    if not host_allowed(url, hosts):
        raise NodeError("HOST_NOT_DECLARED", f"{urlsplit(url).hostname or url!r} is not among the function's "
                        "declared hosts", retryable=False)  # fmt: skip
    body = request.get("body")
    client = guarded_http_client()
    try:
        response = client.request(
            str(request.get("method") or "GET"), url,
            headers={str(k): str(v) for k, v in (request.get("headers") or {}).items()},
            params=request.get("params") or None, json=request.get("json"),
            content=body.encode() if isinstance(body, str) else None, timeout_seconds=30,
        )  # fmt: skip
    except HttpClientError as error:
        raise NodeError("HTTP_UNREACHABLE", str(error), retryable=False) from None
    finally:
        client.close()
    view = _response_view(response)
    if len(view["text"]) > MAX_BODY_TO_CODE:
        raise NodeError("RESPONSE_TOO_LARGE", "the response is over 1 MiB", retryable=False)
    return view
