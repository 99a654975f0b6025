"""A scripted API for unit tests: httpx.MockTransport answering queued responses and keeping the requests."""

from __future__ import annotations

import json
from collections.abc import Callable
from typing import Any

import flowbuilder_sdk as sdk
import httpx

Answer = httpx.Response | Exception | Callable[[httpx.Request], httpx.Response]


def ok(data: Any, status: int = 200, meta: dict | None = None, **headers: str) -> httpx.Response:
    body = {"success": True, "data": data, **({"meta": meta} if meta is not None else {})}
    return httpx.Response(status, json=body, headers=headers)


def error(status: int, code: str, message: str = "no", **extra: Any) -> httpx.Response:
    headers = extra.pop("headers", {})
    return httpx.Response(status, json={"success": False, "error": {"code": code, "message": message, **extra}},
                          headers=headers)  # fmt: skip


class ScriptedAPI:
    def __init__(self, *answers: Answer) -> None:
        self.answers = list(answers)
        self.requests: list[httpx.Request] = []

    def __call__(self, request: httpx.Request) -> httpx.Response:
        self.requests.append(request)
        answer = self.answers.pop(0) if self.answers else ok({})
        if isinstance(answer, Exception):
            raise answer
        return answer(request) if callable(answer) else answer

    def body(self, index: int = -1) -> Any:
        return json.loads(self.requests[index].content)

    def client(self, **options: Any) -> sdk.Client:
        return sdk.Client("wf_live_test", base_url="http://api.test", transport=httpx.MockTransport(self), **options)

    def async_client(self, **options: Any) -> sdk.AsyncClient:
        return sdk.AsyncClient("wf_live_test", base_url="http://api.test", transport=httpx.MockTransport(self),
                               **options)  # fmt: skip


WORKFLOW = {"id": "wf_1", "name": "Greeter", "description": "", "status": "draft", "channel": "",
            "created_at": "2026-11-30T00:00:00Z", "updated_at": "2026-11-30T00:00:00Z", "execution_count": 0,
            "definition": {"nodes": [], "edges": []}}  # fmt: skip


def execution(status: str, **fields: Any) -> dict:
    return {"id": "exec_1", "workflow_id": "wf_1", "workflow_name": "Greeter", "created_at": "2026-11-30T00:00:00Z",
            "trigger_node_id": "start", "steps": [], "step_count": 0, "steps_complete": True, "logs": [],
            "state_history": [], "status": status, **fields}  # fmt: skip
