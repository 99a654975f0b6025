"""`POST /functions/{id}/test`: one call of the current version, reported rather than raised."""

from __future__ import annotations

import time
from typing import Any

from functions_app.models import Function
from functions_app.runtime import FunctionHost
from integrations.runtime import ProjectResources
from workflows.engine import NodeError

REDACTED = "[redacted]"


def scrub(value: Any, secrets: set[str]) -> Any:
    """Every revealed secret becomes "[redacted]", at any depth (as the run journal does)."""
    if not secrets:
        return value
    if isinstance(value, str):
        for secret in sorted(secrets, key=len, reverse=True):
            value = value.replace(secret, REDACTED)
        return value
    if isinstance(value, dict):
        return {scrub(k, secrets): scrub(v, secrets) for k, v in value.items()}
    if isinstance(value, list):
        return [scrub(item, secrets) for item in value]
    return value


def test_function(function: Function, input: Any, *, credentials: dict[str, str]) -> dict[str, Any]:
    project = function.project
    resources = ProjectResources(project.id, project.organization_id)
    host = FunctionHost(resources)
    started = time.monotonic()
    if function.kind == "code":
        try:
            result = host.run_code(function.name, function.version, function.spec, input, credentials).as_dict()
        except NodeError as error:
            result = _failed(error)
    else:
        logs: list[str] = []
        try:
            output = host.call_function(function.name, input, log=lambda level, message: logs.append(message))
            result = {"ok": True, "output": output, "logs": logs, "limits_hit": []}
        except NodeError as error:
            result = {**_failed(error), "logs": logs}
        result["duration_ms"] = round((time.monotonic() - started) * 1000, 1)
    result["version"] = function.version
    return scrub(result, resources.revealed)


def _failed(error: NodeError) -> dict[str, Any]:
    return {"ok": False, "error": {"code": error.code, "message": error.message}, "logs": [], "limits_hit": []}
