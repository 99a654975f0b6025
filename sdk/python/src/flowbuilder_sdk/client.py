"""`Client` (blocking) and `AsyncClient` (asyncio) over httpx; resources are shared, see resources/."""

from __future__ import annotations

import asyncio
import time
from collections.abc import AsyncIterator, Iterator, Mapping
from typing import TYPE_CHECKING, Any

import httpx

from flowbuilder_sdk._base import BaseClient, Call, Page, transport_error
from flowbuilder_sdk._pagination import AsyncPager, SyncPager
from flowbuilder_sdk._waiting import Deadline, EventCursor, execution_id_of, finished, server_wait
from flowbuilder_sdk.models import Execution
from flowbuilder_sdk.resources.accounts import (
    ApiKeys,
    AuditLog,
    Members,
    MetricsResource,
    Projects,
    System,
    UsageResource,
    WsTickets,
)
from flowbuilder_sdk.resources.catalog import (
    Channels,
    Connections,
    Conversations,
    Credentials,
    Datasets,
    Forms,
    Functions,
    Integrations,
    KnowledgeBases,
    NodeTypes,
    Webhooks,
)
from flowbuilder_sdk.resources.workflows import Executions, Workflows


class Namespaces:
    """Every resource namespace, on both clients."""

    def _attach_resources(self) -> None:
        self.workflows = Workflows(self)
        self.executions = Executions(self)
        self.forms = Forms(self)
        self.credentials = Credentials(self)
        self.connections = Connections(self)
        self.datasets = Datasets(self)
        self.integrations = Integrations(self)
        self.webhooks = Webhooks(self)
        self.functions = Functions(self)
        self.knowledge_bases = KnowledgeBases(self)
        self.node_types = NodeTypes(self)
        self.api_keys = ApiKeys(self)
        self.members = Members(self)
        self.projects = Projects(self)
        self.usage = UsageResource(self)
        self.audit_log = AuditLog(self)
        self.metrics = MetricsResource(self)
        self.system = System(self)
        self.ws_tickets = WsTickets(self)
        self.channels = Channels(self)
        self.conversations = Conversations(self)


class Client(BaseClient, Namespaces):
    """The Flowbuilder API, blocking. `Client()` reads FLOWBUILDER_API_KEY; use it as a context manager or close() it.

    `transport` is passed to httpx (tests use httpx.MockTransport); `http_client` replaces it whole.
    """

    def __init__(self, api_key: str | None = None, *, http_client: httpx.Client | None = None,
                 transport: httpx.BaseTransport | None = None, **options: Any) -> None:  # fmt: skip
        super().__init__(api_key, **options)
        self._http = http_client or httpx.Client(timeout=self.timeout, transport=transport)
        self._http.headers.update(self._default_headers())
        self._attach_resources()

    def __enter__(self) -> Client:
        return self

    def __exit__(self, *exc_info: Any) -> None:
        self.close()

    def close(self) -> None:
        self._http.close()

    def _request(self, call: Call) -> Any:
        attempt = 0
        while True:
            try:
                outcome: httpx.Response | Exception = self._http.request(
                    call.method, call.url, params=call.params, headers=call.headers, timeout=self._timeout(call),
                    **call.content(),
                )
            except httpx.TransportError as error:
                outcome = error
            delay = self._retry_delay(call, attempt, outcome)
            if delay is None:
                if isinstance(outcome, Exception):
                    raise transport_error(outcome) from outcome
                return self._read(call, outcome)
            time.sleep(delay)
            attempt += 1

    def _pager(self, fetch: Any, params: dict[str, Any], style: str) -> SyncPager[Any]:
        return SyncPager(fetch, params, style)

    def _execute_and_wait(self, workflows: Workflows, workflow_id: str, input: Mapping[str, Any] | None, *,
                          timeout: float, poll_interval: float, options: dict[str, Any]) -> Execution:  # fmt: skip
        deadline = Deadline(timeout)
        started = workflows.execute(workflow_id, input, wait=server_wait(timeout), **options)
        if done := finished(started):
            return done
        return self._wait(self.executions, execution_id_of(started), timeout=deadline.left(),
                          poll_interval=poll_interval, project_id=options.get("project_id"),
                          deadline=deadline)  # fmt: skip

    def _wait(self, executions: Executions, execution_id: str, *, timeout: float, poll_interval: float,
              project_id: str | None, deadline: Deadline | None = None) -> Execution:  # fmt: skip
        deadline = deadline or Deadline(timeout)
        while True:
            execution = executions.get(execution_id, project_id=project_id)
            if done := finished(execution):
                return done
            if deadline.left() <= 0:
                raise deadline.expired(execution_id, execution.status)
            time.sleep(min(poll_interval, max(deadline.left(), 0.01)))

    def _stream(self, executions: Executions, execution_id: str, *, after: int, poll_interval: float,
                project_id: str | None) -> Iterator[Any]:  # fmt: skip
        cursor = EventCursor(after)
        while not cursor.done:
            page: Page = executions.events(execution_id, after=cursor.after, project_id=project_id)
            if cursor.lost_events(page):
                cursor.resync(executions.get(execution_id, project_id=project_id))
                continue
            yield from cursor.take(page)
            if not cursor.done and not page.meta.get("has_more"):
                time.sleep(poll_interval)


if TYPE_CHECKING:  # the shared namespaces, as AsyncClient answers them: awaitables and async iterators
    from flowbuilder_sdk._async_types import AsyncNamespaces as _AsyncNamespaces
else:
    _AsyncNamespaces = Namespaces


class AsyncClient(BaseClient, _AsyncNamespaces):
    """The Flowbuilder API for asyncio: the same namespaces, each method awaited.

    `async with AsyncClient() as client: run = await client.workflows.execute_and_wait(...)`;
    lists are `async for`, `stream` is an async iterator.
    """

    def __init__(self, api_key: str | None = None, *, http_client: httpx.AsyncClient | None = None,
                 transport: httpx.AsyncBaseTransport | None = None, **options: Any) -> None:  # fmt: skip
        super().__init__(api_key, **options)
        self._http = http_client or httpx.AsyncClient(timeout=self.timeout, transport=transport)
        self._http.headers.update(self._default_headers())
        self._attach_resources()

    async def __aenter__(self) -> AsyncClient:
        return self

    async def __aexit__(self, *exc_info: Any) -> None:
        await self.aclose()

    async def aclose(self) -> None:
        await self._http.aclose()

    async def _request(self, call: Call) -> Any:
        attempt = 0
        while True:
            try:
                outcome: httpx.Response | Exception = await self._http.request(
                    call.method, call.url, params=call.params, headers=call.headers, timeout=self._timeout(call),
                    **call.content(),
                )
            except httpx.TransportError as error:
                outcome = error
            delay = self._retry_delay(call, attempt, outcome)
            if delay is None:
                if isinstance(outcome, Exception):
                    raise transport_error(outcome) from outcome
                return self._read(call, outcome)
            await asyncio.sleep(delay)
            attempt += 1

    def _pager(self, fetch: Any, params: dict[str, Any], style: str) -> AsyncPager[Any]:
        return AsyncPager(fetch, params, style)

    async def _execute_and_wait(self, workflows: Any, workflow_id: str, input: Mapping[str, Any] | None,
                                *, timeout: float, poll_interval: float, options: dict[str, Any]
                                ) -> Execution:  # fmt: skip
        deadline = Deadline(timeout)
        started = await workflows.execute(workflow_id, input, wait=server_wait(timeout), **options)
        if done := finished(started):
            return done
        return await self._wait(self.executions, execution_id_of(started), timeout=deadline.left(),
                                poll_interval=poll_interval, project_id=options.get("project_id"),
                                deadline=deadline)  # fmt: skip

    async def _wait(self, executions: Any, execution_id: str, *, timeout: float, poll_interval: float,
                    project_id: str | None, deadline: Deadline | None = None) -> Execution:  # fmt: skip
        deadline = deadline or Deadline(timeout)
        while True:
            execution = await executions.get(execution_id, project_id=project_id)
            if done := finished(execution):
                return done
            if deadline.left() <= 0:
                raise deadline.expired(execution_id, execution.status)
            await asyncio.sleep(min(poll_interval, max(deadline.left(), 0.01)))

    async def _stream(self, executions: Any, execution_id: str, *, after: int, poll_interval: float,
                      project_id: str | None) -> AsyncIterator[Any]:  # fmt: skip
        cursor = EventCursor(after)
        while not cursor.done:
            page: Page = await executions.events(execution_id, after=cursor.after, project_id=project_id)
            if cursor.lost_events(page):
                cursor.resync(await executions.get(execution_id, project_id=project_id))
                continue
            for event in cursor.take(page):
                yield event
            if not cursor.done and not page.meta.get("has_more"):
                await asyncio.sleep(poll_interval)
