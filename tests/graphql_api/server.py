"""A daphne process on the test database, and the `gql` client talking to it (HTTP and WebSocket)."""

from __future__ import annotations

import contextlib
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

import httpx
from django.conf import settings
from gql import Client, gql
from gql.transport.exceptions import TransportQueryError
from gql.transport.requests import RequestsHTTPTransport
from gql.transport.websockets import WebsocketsTransport

from tests.workflows.processes import process_env, serving

WAIT = 120  # seconds for daphne to answer; bounds a wait, never asserted on
ENTERPRISE_PER_MINUTE = 3  # the server's Enterprise limit, low for the 429 test


class StatusTransport(RequestsHTTPTransport):
    """gql's requests transport, remembering the HTTP status and headers of the last answer."""

    def _prepare_result(self, response):
        self.last_status, self.last_headers = response.status_code, response.headers
        return super()._prepare_result(response)


@dataclass
class Answer:
    status: int
    data: dict | None
    errors: list[dict] = field(default_factory=list)
    headers: Mapping[str, str] = field(default_factory=dict)  # case-insensitive (requests')

    @property
    def codes(self) -> list[str]:
        return [error["extensions"]["code"] for error in self.errors]


@dataclass
class Server:
    base_url: str

    @property
    def url(self) -> str:
        return f"{self.base_url}/api/v1/graphql"

    def ask(self, key: str | None, query: str, variables: dict | None = None, **headers: str) -> Answer:
        """Send one operation with gql; the answer whatever its status (errors are data here)."""
        if key:
            headers["Authorization"] = f"Bearer {key}"
        transport = StatusTransport(url=self.url, headers=headers, timeout=60, retries=0)
        request = gql(query)
        request.variable_values = variables
        with Client(transport=transport) as session:
            try:
                data, errors = session.execute(request), []
            except TransportQueryError as error:
                data, errors = error.data, error.errors or []
        return Answer(transport.last_status, data, errors, transport.last_headers)

    def schema_client(self, key: str) -> Client:
        """A client that fetched the schema by introspection (and validates documents against it)."""
        transport = RequestsHTTPTransport(url=self.url, headers={"Authorization": f"Bearer {key}"}, timeout=60)
        return Client(transport=transport, fetch_schema_from_transport=True)

    def subscription_client(self, key: str) -> Client:
        ws_url = self.url.replace("http://", "ws://")
        transport = WebsocketsTransport(
            url=ws_url,
            headers={"Authorization": f"Bearer {key}"},
            subprotocols=[WebsocketsTransport.GRAPHQLWS_SUBPROTOCOL],
        )
        return Client(transport=transport)

    def post_raw(self, key: str, body: Any) -> httpx.Response:
        """For what no client library sends (a document that does not parse)."""
        return httpx.post(self.url, json=body, headers={"Authorization": f"Bearer {key}"}, timeout=60)


def answers(base_url: str) -> bool:
    with contextlib.suppress(httpx.HTTPError):
        return httpx.get(f"{base_url}/login/", timeout=5).status_code == 200
    return False


@contextlib.contextmanager
def running_server(tmp_path):
    """daphne alone (runs with `wait` finish in the web process, D19; nothing here needs a worker)."""
    env = process_env(
        FLOWBUILDER_VAR_DIR=str(tmp_path / "var"),
        SECRET_KEY=settings.SECRET_KEY,
        RATE_LIMIT_ENTERPRISE_MINUTE=str(ENTERPRISE_PER_MINUTE),
    )
    with serving(env, (), tmp_path, ready=answers, wait=WAIT) as base_url:
        yield Server(base_url)
