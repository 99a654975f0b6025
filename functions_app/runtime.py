"""Calling a project's functions by name: what `ctx.services["functions"]` is during a run.

`function.call` nodes and `task` states reach functions only through this host, which the
app layer hands to the engine (workflows.lifecycle → integrations.runtime → here), so the
engine stays pure. Each call uses the version that was current when the run started (a
function created later: its current version) and logs which.
"""

from __future__ import annotations

import threading
from collections.abc import Callable
from datetime import datetime
from typing import Any

from django.conf import settings

from functions_app.calls import call_ai, call_http, request_handler
from functions_app.models import Function, FunctionVersion
from functions_app.sandbox import CodeRunner, Limits, RunnerConfig
from workflows.engine import NodeError

MAX_DEPTH = 5
Log = Callable[[str, str], None]

_runner: CodeRunner | None = None
_runner_lock = threading.Lock()


def code_runner() -> CodeRunner:
    """One runner per process (its pool of started sandboxes belongs to this process)."""
    global _runner
    with _runner_lock:
        if _runner is None:
            config = RunnerConfig(bwrap=settings.FLOWBUILDER_FUNCTIONS_BWRAP,
                                  python=settings.FLOWBUILDER_FUNCTIONS_PYTHON)  # fmt: skip
            _runner = CodeRunner(config, pool_size=settings.FLOWBUILDER_FUNCTIONS_POOL_SIZE)
        return _runner


def code_limits(spec: dict[str, Any]) -> Limits:
    wall = float(spec.get("timeout_seconds") or settings.FLOWBUILDER_FUNCTIONS_TIMEOUT_SECONDS)
    return Limits(
        wall_seconds=wall,
        # One second above the wall limit the user set: a busy loop then always ends as that
        # limit ("ran longer than N s"), never as a race between the two; the CPU limit stays
        # the backstop (and the operator's cap, FLOWBUILDER_FUNCTIONS_CPU_SECONDS, still binds).
        cpu_seconds=max(1, min(int(wall + 0.999) + 1, settings.FLOWBUILDER_FUNCTIONS_CPU_SECONDS)),
        memory_bytes=settings.FLOWBUILDER_FUNCTIONS_MEMORY_MB * 1024 * 1024,
        output_bytes=settings.FLOWBUILDER_FUNCTIONS_OUTPUT_BYTES,
    )


class FunctionHost:
    """The project's functions as the engine sees them: `call_function(name, input, …)`."""

    def __init__(self, resources, *, as_of: datetime | None = None, depth: int = 0) -> None:
        self.resources = resources  # integrations.runtime.ProjectResources
        self.project_id = resources.project_id
        self.as_of = as_of
        self.depth = depth

    # The engine's older contract was a mapping of callables; keep `get` for it.
    def get(self, name: str) -> Callable[[Any], Any] | None:
        if not Function.objects.filter(project_id=self.project_id, name=name).exists():
            return None
        return lambda value: self.call_function(name, value)

    def version_of(self, name: str) -> FunctionVersion:
        versions = FunctionVersion.objects.filter(function__project_id=self.project_id, function__name=name)
        chosen = None
        if self.as_of is not None:
            chosen = versions.filter(created_at__lte=self.as_of).order_by("-number").first()
        chosen = chosen or versions.order_by("-number").first()
        if chosen is None:
            raise NodeError("UNKNOWN_FUNCTION", f"no function named {name!r} in this project", retryable=False)
        return chosen

    def call_function(
        self, name: str, input: Any, *, credentials: dict[str, str] | None = None, log: Log | None = None
    ) -> Any:
        log = log or (lambda level, message: None)
        version = self.version_of(name)
        log("info", f"function {name} version {version.number} ({version.kind})")
        if version.kind == "code":
            return self._call_code(name, version, input, credentials or {}, log)
        if version.kind == "ai":
            return call_ai(self.resources, version.spec, input, log=log)
        return call_http(self.resources, version.spec, input)

    def _call_code(self, name: str, version: FunctionVersion, input: Any, chosen: dict[str, str], log: Log) -> Any:
        result = self.run_code(name, version.number, version.spec, input, chosen)
        for line in result.logs[:200]:
            log("info", f"{name}: {line}")
        if not result.ok:
            limit = f" (limit hit: {', '.join(result.limits_hit)})" if result.limits_hit else ""
            raise NodeError(result.code, f"function {name}: {result.message}{limit}", retryable=False)
        return result.output

    def run_code(self, name: str, number: int, spec: dict[str, Any], input: Any, chosen: dict[str, str]):
        """Run a code spec in the sandbox; also what `POST /functions/{id}/test` calls."""
        bindings = {**(spec.get("credentials") or {}), **{k: v for k, v in chosen.items() if v}}
        credentials = {}
        for key, credential_id in bindings.items():
            if not credential_id:
                raise NodeError("MISSING_CREDENTIAL", f"function {name} needs credential {key!r}", retryable=False)
            try:
                credentials[key] = self.resources.credential_fields(credential_id)
            except LookupError as error:
                raise NodeError("RESOURCE_NOT_FOUND", str(error), retryable=False) from None
        return code_runner().run(
            spec["source"],
            input,
            limits=code_limits(spec),
            credentials=credentials,
            function={"name": name, "version": number},
            on_request=request_handler(self, spec.get("hosts") or []),
        )

    def nested(self) -> FunctionHost:
        if self.depth >= MAX_DEPTH:
            raise NodeError("CALL_DEPTH", f"functions may call each other {MAX_DEPTH} deep at most", retryable=False)
        return FunctionHost(self.resources, as_of=self.as_of, depth=self.depth + 1)
