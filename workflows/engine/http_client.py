"""The one guarded outbound HTTP client (SSRF protection).

We resolve the host ourselves, refuse the request if ANY resolved address falls in an IANA
special-purpose range or is a cloud metadata address (`network.NetworkPolicy`), and then
connect to the address we checked (Host header and TLS SNI keep the name).
Checking the connected address, not the name, defeats DNS rebinding; redirects are
followed by hand so every hop goes through the same check.
"""

from __future__ import annotations

import email.utils
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from datetime import datetime
from typing import Any
from urllib.parse import urljoin, urlsplit

import httpx

from .network import ALLOW_LIST_SETTING, AddressBlocked, HostNotResolved, NetworkPolicy, Resolver, resolve_host

DEFAULT_TIMEOUT_SECONDS = 10.0
DEFAULT_MAX_RESPONSE_BYTES = 5 * 1024 * 1024
MAX_REDIRECTS = 5
_REDIRECT_STATUSES = frozenset({301, 302, 303, 307, 308})
# Credentials must not follow a redirect to another host.
_SENSITIVE_HEADERS = frozenset({"authorization", "cookie", "proxy-authorization"})


class HttpClientError(Exception):
    code = "HTTP_CONNECTION_ERROR"


class BlockedAddressError(HttpClientError, AddressBlocked):
    code = "ADDRESS_BLOCKED"


class InvalidUrlError(HttpClientError):
    code = "INVALID_URL"


class ResponseTooLargeError(HttpClientError):
    code = "RESPONSE_TOO_LARGE"


class TooManyRedirectsError(HttpClientError):
    code = "TOO_MANY_REDIRECTS"


@dataclass(frozen=True)
class HttpResponse:
    status: int
    headers: Mapping[str, str]
    body: bytes
    url: str

    @property
    def content_type(self) -> str:
        return self.headers.get("content-type", "").split(";")[0].strip().lower()


def retry_after_seconds(headers: Mapping[str, str], now: Callable[[], datetime]) -> float | None:
    """A Retry-After header (seconds or an HTTP date) in seconds; None when absent or unreadable."""
    value = headers.get("retry-after") or headers.get("Retry-After")
    if not value:
        return None
    try:
        return max(float(value), 0.0)
    except ValueError:
        pass
    try:
        parsed = email.utils.parsedate_to_datetime(value)
    except (TypeError, ValueError):
        return None
    return max((parsed - now()).total_seconds(), 0.0)


class GuardedHttpClient:
    def __init__(
        self,
        *,
        allow_list: Iterable[str] = (),
        timeout_seconds: float = DEFAULT_TIMEOUT_SECONDS,
        max_response_bytes: int = DEFAULT_MAX_RESPONSE_BYTES,
        resolver: Resolver = resolve_host,
        transport: httpx.BaseTransport | None = None,
        allow_list_setting: str = ALLOW_LIST_SETTING,
    ) -> None:
        self._policy = NetworkPolicy.from_allow_list(allow_list, setting=allow_list_setting)
        self.timeout_seconds = timeout_seconds
        self.max_response_bytes = max_response_bytes
        self._resolve = resolver
        # trust_env=False: an environment proxy would make us connect somewhere unchecked.
        self._client = httpx.Client(trust_env=False, follow_redirects=False, transport=transport)

    def close(self) -> None:
        self._client.close()

    def request(
        self,
        method: str,
        url: str,
        *,
        headers: Mapping[str, str] | None = None,
        params: Mapping[str, Any] | None = None,
        content: bytes | str | None = None,
        json: Any = None,
        timeout_seconds: float | None = None,
    ) -> HttpResponse:
        timeout = httpx.Timeout(timeout_seconds or self.timeout_seconds)
        current = _parse_url(url, params)
        method = method.upper()
        headers = dict(headers or {})
        for _hop in range(MAX_REDIRECTS + 1):
            response = self._send_checked(method, current, headers, content, json, timeout)
            location = response.headers.get("location")
            if response.status not in _REDIRECT_STATUSES or not location:
                return response
            target = _parse_url(urljoin(str(current), location), None)
            if target.host != current.host:
                headers = {k: v for k, v in headers.items() if k.lower() not in _SENSITIVE_HEADERS}
            if response.status == 303 or (response.status in (301, 302) and method == "POST"):
                method, content, json = "GET", None, None
            current = target
        raise TooManyRedirectsError(f"more than {MAX_REDIRECTS} redirects starting at {url}")

    def _send_checked(
        self,
        method: str,
        url: httpx.URL,
        headers: dict[str, str],
        content: Any,
        json: Any,
        timeout: httpx.Timeout,
    ) -> HttpResponse:
        address = self._checked_address(url)
        pinned = url.copy_with(host=address)
        request_headers = {**headers, "Host": _host_header(url)}
        extensions: dict[str, Any] = {"timeout": timeout.as_dict()}
        if url.scheme == "https":
            extensions["sni_hostname"] = url.host
        request = self._client.build_request(
            method, pinned, headers=request_headers, content=content, json=json, extensions=extensions
        )
        try:
            response = self._client.send(request, stream=True)
        except httpx.TimeoutException as exc:
            raise HttpClientError(f"timed out calling {url}: {exc}") from None
        except httpx.HTTPError as exc:
            raise HttpClientError(f"could not reach {url}: {exc}") from None
        try:
            body = self._read_bounded(response, url)
        finally:
            response.close()
        return HttpResponse(status=response.status_code, headers=dict(response.headers), body=body, url=str(url))

    def _checked_address(self, url: httpx.URL) -> str:
        if url.scheme not in ("http", "https"):
            raise BlockedAddressError(f"refused {url}: only http and https are allowed")
        port = url.port or (443 if url.scheme == "https" else 80)
        try:
            return self._policy.check_host(url.host, port, resolver=self._resolve)[0]
        except AddressBlocked as exc:
            raise BlockedAddressError(f"{exc} (calling {_safe_url(url)})") from None
        except HostNotResolved as exc:
            raise HttpClientError(str(exc)) from None

    def _read_bounded(self, response: httpx.Response, url: httpx.URL) -> bytes:
        declared = response.headers.get("content-length")
        if declared and declared.isdigit() and int(declared) > self.max_response_bytes:
            raise ResponseTooLargeError(f"response from {url} is {declared} bytes; limit {self.max_response_bytes}")
        chunks: list[bytes] = []
        size = 0
        for chunk in response.iter_bytes():
            size += len(chunk)
            if size > self.max_response_bytes:
                raise ResponseTooLargeError(f"response from {url} exceeds {self.max_response_bytes} bytes")
            chunks.append(chunk)
        return b"".join(chunks)


def _host_header(url: httpx.URL) -> str:
    host = f"[{url.host}]" if ":" in url.host else url.host
    return f"{host}:{url.port}" if url.port else host


def _parse_url(url: str, params: Mapping[str, Any] | None) -> httpx.URL:
    """httpx's URL, or a refusal that says why: odd IP spellings make httpx raise InvalidURL."""
    try:
        return httpx.URL(url, params=params) if params else httpx.URL(url)
    except httpx.InvalidURL as exc:
        host = urlsplit(url).hostname or ""
        try:
            NetworkPolicy().check_host(host, 0, resolver=lambda *_: [])
        except AddressBlocked as refused:
            raise BlockedAddressError(str(refused)) from None
        except HostNotResolved:
            pass
        raise InvalidUrlError(f"not a valid URL: {exc}") from None


def _safe_url(url: httpx.URL) -> str:
    """The URL without its query string or user info, which can carry secrets."""
    return str(url.copy_with(query=None, fragment=None, username=None, password=None))
