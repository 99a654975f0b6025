"""One chat call to an LLM: Anthropic's Messages API or any OpenAI-compatible endpoint.

The provider comes from an `llm` credential. Calls go through the guarded HTTP client (the
base URL is user input) and report the tokens used so they can be metered. A call is made
once: 429 and 5xx are retryable errors carrying the server's Retry-After, and the ai.chat
node's retry policy (the only one) decides when to try again. Errors never carry the API key.
"""

from __future__ import annotations

import json
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any

from workflows.engine.http_client import retry_after_seconds

ANTHROPIC_VERSION = "2023-06-01"
RETRY_STATUSES = {429, 500, 502, 503, 504, 529}
JSON_INSTRUCTION = "Answer with one JSON value only: no prose, no code fences."


class LlmError(Exception):
    def __init__(self, code: str, message: str, *, retryable: bool = False, retry_after: float | None = None) -> None:
        super().__init__(message)
        self.code = code
        self.message = message
        self.retryable = retryable
        self.retry_after = retry_after  # seconds, from the provider's Retry-After


@dataclass(frozen=True)
class LlmProvider:
    provider: str  # anthropic | openai_compatible
    base_url: str
    api_key: str = field(repr=False)
    default_model: str = ""

    @classmethod
    def from_fields(cls, fields: Mapping[str, Any]) -> LlmProvider:
        return cls(
            provider=fields["provider"],
            base_url=str(fields["base_url"]).rstrip("/"),
            api_key=fields["api_key"],
            default_model=fields.get("default_model") or "",
        )


@dataclass(frozen=True)
class ChatRequest:
    messages: Sequence[Mapping[str, str]]
    system: str = ""
    model: str = ""
    max_tokens: int = 1024
    temperature: float | None = None
    json_output: bool = False


@dataclass(frozen=True)
class ChatReply:
    text: str
    model: str
    input_tokens: int
    output_tokens: int
    data: Any = None  # the parsed JSON, in JSON output mode

    @property
    def total_tokens(self) -> int:
        return self.input_tokens + self.output_tokens

    def as_dict(self) -> dict[str, Any]:
        reply = {
            "text": self.text,
            "model": self.model,
            "usage": {"input_tokens": self.input_tokens, "output_tokens": self.output_tokens},
        }
        if self.data is not None:
            reply["data"] = self.data
        return reply


def models_url_and_headers(fields: Mapping[str, Any]) -> tuple[str, dict[str, str]]:
    """Where to list models with this credential: a cheap way to test it."""
    provider = LlmProvider.from_fields(fields)
    return f"{provider.base_url}/v1/models", _headers(provider)


def _headers(provider: LlmProvider) -> dict[str, str]:
    if provider.provider == "anthropic":
        return {"x-api-key": provider.api_key, "anthropic-version": ANTHROPIC_VERSION}
    return {"Authorization": f"Bearer {provider.api_key}"}


def _request_body(provider: LlmProvider, request: ChatRequest, model: str) -> tuple[str, dict[str, Any]]:
    messages = [{"role": m["role"], "content": m["content"]} for m in request.messages]
    system = request.system
    if provider.provider == "anthropic":
        if request.json_output:
            system = f"{system}\n\n{JSON_INSTRUCTION}".strip()
        body: dict[str, Any] = {"model": model, "max_tokens": request.max_tokens, "messages": messages}
        if system:
            body["system"] = system
        url = f"{provider.base_url}/v1/messages"
    else:
        if system:
            messages = [{"role": "system", "content": system}, *messages]
        body = {"model": model, "max_tokens": request.max_tokens, "messages": messages}
        if request.json_output:
            body["response_format"] = {"type": "json_object"}
        url = f"{provider.base_url}/v1/chat/completions"
    if request.temperature is not None:
        body["temperature"] = request.temperature
    return url, body


def _parse_reply(provider: LlmProvider, payload: Mapping[str, Any], model: str) -> tuple[str, int, int, str]:
    try:
        if provider.provider == "anthropic":
            text = "".join(part.get("text", "") for part in payload["content"] if part.get("type", "text") == "text")
            usage = payload.get("usage") or {}
            return (
                text,
                int(usage.get("input_tokens", 0)),
                int(usage.get("output_tokens", 0)),
                payload.get("model", model),
            )
        text = payload["choices"][0]["message"]["content"] or ""
        usage = payload.get("usage") or {}
        tokens_in, tokens_out = int(usage.get("prompt_tokens", 0)), int(usage.get("completion_tokens", 0))
        return text, tokens_in, tokens_out, payload.get("model", model)
    except (KeyError, IndexError, TypeError, ValueError, AttributeError):
        raise LlmError("LLM_BAD_RESPONSE", "The provider's answer did not have the expected shape.") from None


def parse_json_text(text: str) -> Any:
    cleaned = text.strip()
    if cleaned.startswith("```"):
        cleaned = cleaned.strip("`").removeprefix("json").strip()
    try:
        return json.loads(cleaned)
    except ValueError:
        raise LlmError("LLM_BAD_JSON", "JSON output was asked for, but the model answered something else.") from None


def chat(
    provider: LlmProvider,
    request: ChatRequest,
    *,
    http_client,
    default_model: str = "",
    timeout_seconds: float = 120,
) -> ChatReply:
    """Send one chat, once; `http_client` is the guarded client (anything with its `request`)."""
    from workflows.engine.http_client import HttpClientError

    model = request.model or provider.default_model or default_model
    if not model:
        raise LlmError("LLM_NO_MODEL", "No model given and the credential has no default model.")
    url, body = _request_body(provider, request, model)
    headers = {**_headers(provider), "content-type": "application/json"}
    try:
        response = http_client.request("POST", url, headers=headers, json=body, timeout_seconds=timeout_seconds)
    except HttpClientError as error:
        raise LlmError("LLM_UNREACHABLE", f"Could not reach the provider: {error}", retryable=True) from None
    return _reply_or_error(provider, response, model, request.json_output)


def _reply_or_error(provider: LlmProvider, response, model: str, json_output: bool) -> ChatReply:
    try:
        payload = json.loads(response.body or b"{}")
    except ValueError:
        payload = {}
    if response.status in (401, 403):
        raise LlmError("LLM_AUTH", f"The provider refused the API key (HTTP {response.status}).")
    if response.status >= 400:
        detail = payload.get("error") if isinstance(payload, dict) else None
        detail = detail.get("message") if isinstance(detail, dict) else detail
        suffix = f": {str(detail)[:300]}" if detail else ""
        retryable = response.status in RETRY_STATUSES
        retry_after = retry_after_seconds(response.headers, lambda: datetime.now(UTC)) if retryable else None
        message = f"The provider answered HTTP {response.status}{suffix}"
        raise LlmError("LLM_HTTP_ERROR", message, retryable=retryable, retry_after=retry_after)
    text, tokens_in, tokens_out, used_model = _parse_reply(provider, payload, model)
    data = parse_json_text(text) if json_output else None
    return ChatReply(text=text, model=used_model, input_tokens=tokens_in, output_tokens=tokens_out, data=data)
