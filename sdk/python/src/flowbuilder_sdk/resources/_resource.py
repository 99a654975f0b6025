"""The base of every resource namespace, shared by `Client` and `AsyncClient`.

A method returns whatever the client's `_request` returns: the parsed value on `Client`, an
awaitable of it on `AsyncClient`. So each namespace is written once; only the few calls that
wait or poll (`execute_and_wait`, `stream`) have a sync and an async body, in the clients.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from flowbuilder_sdk._base import to_json
from flowbuilder_sdk._model import Model
from flowbuilder_sdk._pagination import PAGE


class Resource:
    def __init__(self, client: Any) -> None:
        self._client = client  # a Client or an AsyncClient: what its methods answer is what ours do

    def _call(
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
    ) -> Any:
        call = self._client._prepare(operation_id, path=path, params=params, body=body, headers=headers,
                                     project_id=project_id, read_timeout=read_timeout, files=files,
                                     raw=raw)  # fmt: skip
        return self._client._request(call)

    def _list(
        self,
        operation_id: str,
        *,
        path: Mapping[str, Any] | None = None,
        params: Mapping[str, Any] | None = None,
        project_id: str | None = None,
        style: str = PAGE,
    ) -> Any:
        """A lazy pager: nothing is fetched until it is iterated."""

        def fetch(page_params: dict[str, Any]) -> Any:
            return self._call(operation_id, path=path, params=page_params, project_id=project_id)

        return self._client._pager(fetch, {k: v for k, v in (params or {}).items() if v is not None}, style)


def merge_body(body: Mapping[str, Any] | Model | None, fields: Mapping[str, Any]) -> dict[str, Any]:
    """A request body from a model or mapping plus keyword fields (keywords win)."""
    merged = to_json(body) if body is not None else {}
    return {**merged, **{key: to_json(value) for key, value in fields.items()}}


def if_match(etag: str | None) -> dict[str, str]:
    """`If-Match` for a conditional write (412 PreconditionFailed when someone wrote in between)."""
    return {"If-Match": etag} if etag else {}
