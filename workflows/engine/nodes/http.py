"""Outbound HTTP through the guarded client."""

from __future__ import annotations

import json
from collections.abc import Mapping
from typing import Any

from ..credential_types import HTTP_AUTH_TYPES, credential_field
from ..http_client import GuardedHttpClient, HttpClientError, HttpResponse, retry_after_seconds
from ..registry import NodeContext, NodeError, NodeResult, NodeType

_STRING_MAP = {"type": "object", "additionalProperties": {"type": ["string", "number", "boolean"]}}


class HttpRequestNode(NodeType):
    type = "http.request"
    category = "action"
    label = "HTTP request"
    description = (
        "Call a URL. JSON responses are parsed. 4xx/5xx fail the step (so retries and the "
        "error port apply) unless fail_on_http_error is false. Sends an Idempotency-Key."
    )
    config_schema = {
        "type": "object",
        "properties": {
            "method": {"enum": ["GET", "POST", "PUT", "PATCH", "DELETE", "HEAD"], "default": "GET"},
            "url": {"type": "string", "minLength": 1, "x-expression": True},
            "headers": {**_STRING_MAP, "x-expression": True},
            "query": {**_STRING_MAP, "x-expression": True},
            "body": {"x-expression": True, "description": "Object/list → JSON; string → sent as is."},
            "timeout_seconds": {"type": "number", "exclusiveMinimum": 0, "maximum": 300, "default": 10},
            "credential": credential_field(
                *HTTP_AUTH_TYPES,
                description="Credential whose headers (or query parameter) are added to the request.",
            ),
            "fail_on_http_error": {"type": "boolean", "default": True},
        },
        "required": ["url"],
        "additionalProperties": False,
    }
    example = {
        "method": "POST",
        "url": "https://api.example.com/leads",
        "body": {"email": "{{ input.email }}"},
    }

    def run(self, ctx: NodeContext) -> NodeResult:
        config = ctx.config
        client = ctx.services.get("http_client") or GuardedHttpClient(
            allow_list=ctx.services.get("http_allow_list", [])
        )
        headers = {str(k): str(v) for k, v in (config.get("headers") or {}).items()}
        credential_headers, credential_params = _credential_auth(ctx)
        headers.update(credential_headers)
        headers["Idempotency-Key"] = ctx.idempotency_key
        params = {**(config.get("query") or {}), **credential_params}
        body = config.get("body")
        try:
            response = client.request(
                config.get("method", "GET"),
                config["url"],
                headers=headers,
                params=params or None,
                json=body if isinstance(body, (dict, list)) else None,
                content=body if isinstance(body, str) else None,
                timeout_seconds=float(config.get("timeout_seconds", 10)),
            )
        except HttpClientError as exc:
            retryable = exc.code in ("HTTP_CONNECTION_ERROR",)
            raise NodeError(exc.code, str(exc), retryable=retryable) from None
        output = {
            "status": response.status,
            "headers": dict(response.headers),
            "body": _decode(response),
            "url": response.url,
        }
        if response.status >= 400 and config.get("fail_on_http_error", True):
            # 429/503 may say when to come back; the node's retry policy waits at least that.
            asked = retry_after_seconds(response.headers, ctx.clock) if response.status in (429, 503) else None
            raise NodeError(
                "HTTP_ERROR",
                f"{config.get('method', 'GET')} {response.url} answered HTTP {response.status}",
                retry_after=asked,
            )
        return NodeResult(output=output)


def _credential_auth(ctx: NodeContext) -> tuple[Mapping[str, str], Mapping[str, str]]:
    """(headers, query parameters) to add; the resolver returns a headers mapping, or an
    object with `headers` and `params` (an API key that travels in the query string)."""
    credential = ctx.config.get("credential")
    if not credential:
        return {}, {}
    resolver = ctx.services.get("credential_resolver")
    if not callable(resolver):
        raise NodeError("NO_CREDENTIALS", "this run has no credential resolver", retryable=False)
    auth = resolver(credential, HTTP_AUTH_TYPES)
    if hasattr(auth, "headers"):
        return auth.headers, getattr(auth, "params", {})
    return auth, {}


def _decode(response: HttpResponse) -> Any:
    text = response.body.decode("utf-8", errors="replace")
    if response.content_type == "application/json" or response.content_type.endswith("+json"):
        try:
            return json.loads(text)
        except ValueError:
            return text
    return text


HTTP_TYPES: list[type[NodeType]] = [HttpRequestNode]
