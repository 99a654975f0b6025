"""What the sync and async clients share: configuration, building requests, reading answers, retry rules."""

from __future__ import annotations

import os
import random
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any
from urllib.parse import quote

import httpx

from flowbuilder_sdk._model import Model, parse
from flowbuilder_sdk._version import __version__
from flowbuilder_sdk.errors import APIError, FlowbuilderError, MissingAPIKeyError, parse_retry_after
from flowbuilder_sdk.models import OPERATIONS

DEFAULT_BASE_URL = "http://127.0.0.1:8000"
API_PREFIX = "/api/v1"
DEFAULT_TIMEOUT = 30.0
DEFAULT_MAX_RETRIES = 2
IDEMPOTENT_METHODS = frozenset({"GET", "HEAD", "OPTIONS", "PUT", "DELETE"})
MISSING_KEY = (
    "No API key. Pass one to the client, Client(api_key='wf_live_...'), or set the FLOWBUILDER_API_KEY "
    "environment variable. An admin creates one at /settings/api-keys/ or with POST /api/v1/api-keys "
    "(`make run` prints the demo organization's key)."
)


@dataclass(frozen=True)
class Page:
    """One page of a list: its items (parsed) and the answer's `meta`."""

    items: list[Any]
    meta: dict[str, Any]


@dataclass(frozen=True)
class Call:
    """A request ready to send, and how to read its answer."""

    operation_id: str
    method: str
    url: str
    params: list[tuple[str, Any]]
    json: Any
    headers: dict[str, str]
    retry_safe: bool
    read_timeout: float | None = None  # at least this long to read the answer (execute's `wait`)
    files: Any = None  # a multipart upload: httpx `files`; `json` then holds its form fields
    raw: bool = False  # answer the body's bytes (a CSV download), not the envelope's data

    def content(self) -> dict[str, Any]:
        """The body as httpx takes it: JSON, or a multipart form of `files` and the fields in `json`."""
        if self.files is None:
            return {"json": self.json}
        return {"files": self.files, "data": {k: v for k, v in (self.json or {}).items() if v is not None}}


class BaseClient:
    def __init__(
        self,
        api_key: str | None = None,
        *,
        base_url: str | None = None,
        project_id: str | None = None,
        timeout: float | httpx.Timeout = DEFAULT_TIMEOUT,
        max_retries: int = DEFAULT_MAX_RETRIES,
        max_retry_wait: float = 60.0,
    ) -> None:
        api_key = api_key or os.environ.get("FLOWBUILDER_API_KEY")
        if not api_key:
            raise MissingAPIKeyError(MISSING_KEY)
        self.api_key = api_key
        base = (base_url or os.environ.get("FLOWBUILDER_BASE_URL") or DEFAULT_BASE_URL).rstrip("/")
        # The server's root, also when given as the API's base (the operations' paths carry /api/v1).
        self.base_url = base[: -len(API_PREFIX)] if base.endswith(API_PREFIX) else base
        self.project_id = project_id
        self.timeout = timeout
        self.max_retries = max_retries
        self.max_retry_wait = max_retry_wait

    def _default_headers(self) -> dict[str, str]:
        return {
            "Authorization": f"Bearer {self.api_key}",
            "Accept": "application/json",
            "User-Agent": f"flowbuilder-sdk-python/{__version__}",
        }

    def _prepare(
        self,
        operation_id: str,
        *,
        path: Mapping[str, Any] | None = None,
        params: Mapping[str, Any] | None = None,
        body: Any = None,
        headers: Mapping[str, str] | None = None,
        project_id: str | None = None,
        read_timeout: float | None = None,
        files: Any = None,
        raw: bool = False,
    ) -> Call:
        operation = OPERATIONS[operation_id]
        url = self.base_url + operation.path.format(**{k: quote(str(v), safe="") for k, v in (path or {}).items()})
        all_headers = dict(headers or {})
        project = project_id or self.project_id
        if project:
            all_headers["X-Project-Id"] = project
        # An execute with an Idempotency-Key never starts a second run, so it may be retried like a GET.
        retry_safe = operation.method in IDEMPOTENT_METHODS or "Idempotency-Key" in all_headers
        return Call(operation_id, operation.method, url, query_list(params), to_json(body), all_headers, retry_safe,
                    read_timeout, files, raw)  # fmt: skip

    def _timeout(self, call: Call) -> Any:
        """The client's timeouts, with the read one stretched for a call the server holds (execute's `wait`)."""
        if call.read_timeout is None:
            return httpx.USE_CLIENT_DEFAULT
        base = self.timeout if isinstance(self.timeout, httpx.Timeout) else httpx.Timeout(self.timeout)
        return httpx.Timeout(base.connect, read=max(base.read or 0, call.read_timeout), write=base.write,
                             pool=base.pool)  # fmt: skip

    def _read(self, call: Call, response: httpx.Response) -> Any:
        """The parsed `data` of a success answer, or the API error raised."""
        if response.status_code >= 400:
            raise APIError.from_response(response)
        if call.raw:
            return response.content
        if response.status_code == 204 or not response.content:
            return None
        try:
            body = response.json()
        except ValueError:
            body = None
        if not isinstance(body, dict):
            raise FlowbuilderError(
                f"{call.method} {call.url} answered {response.status_code} without the API's JSON envelope: "
                "is base_url the Flowbuilder server (e.g. http://127.0.0.1:8000)?"
            )
        spec = OPERATIONS[call.operation_id].results.get(str(response.status_code))
        data = parse(spec, body.get("data"))
        if isinstance(data, list) and "meta" in body:
            return Page(items=data, meta=body.get("meta") or {})
        if isinstance(data, Model) and "ETag" in response.headers:
            object.__setattr__(data, "_etag", response.headers["ETag"])  # frozen: kept beside the fields
        return data

    def _retry_delay(self, call: Call, attempt: int, outcome: httpx.Response | Exception) -> float | None:
        """Seconds to wait before attempt `attempt + 1`, or None when the outcome is final."""
        if attempt >= self.max_retries:
            return None
        if isinstance(outcome, Exception):
            # Nothing reached the server on a failed connect: safe whatever the method.
            if isinstance(outcome, (httpx.ConnectError, httpx.ConnectTimeout)) or call.retry_safe:
                return backoff(attempt)
            return None
        if outcome.status_code == 429:  # refused before anything ran: safe whatever the method
            wait = parse_retry_after(outcome.headers.get("Retry-After"))
            wait = backoff(attempt) if wait is None else wait
            return wait if wait <= self.max_retry_wait else None
        if outcome.status_code == 503 and call.retry_safe:
            return parse_retry_after(outcome.headers.get("Retry-After")) or backoff(attempt)
        return None


def backoff(attempt: int) -> float:
    """0.5 s, 1 s, 2 s, … capped at 8 s, with full jitter on the upper half."""
    ceiling = min(8.0, 0.5 * 2**attempt)
    return ceiling / 2 + random.uniform(0, ceiling / 2)


def query_list(params: Mapping[str, Any] | None) -> list[tuple[str, Any]]:
    """Query parameters without the unset ones; a list or tuple repeats its parameter (`?type=a&type=b`)."""
    pairs: list[tuple[str, Any]] = []
    for name, value in (params or {}).items():
        values = value if isinstance(value, (list, tuple)) else [value]
        for item in values:
            if item is None:
                continue
            pairs.append((name, str(item).lower() if isinstance(item, bool) else item))
    return pairs


def to_json(body: Any) -> Any:
    """A request body: models become their JSON (unset fields left out), mappings pass as they are."""
    if isinstance(body, Model):
        return body.to_dict(drop_none=True)
    if isinstance(body, Mapping):
        return {key: to_json(value) for key, value in body.items()}
    if isinstance(body, list):
        return [to_json(item) for item in body]
    return body


def transport_error(error: Exception) -> Exception:
    from flowbuilder_sdk.errors import APIConnectionError, APITimeoutError

    kind = APITimeoutError if isinstance(error, httpx.TimeoutException) else APIConnectionError
    return kind(f"{type(error).__name__}: {error}")
