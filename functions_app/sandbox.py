"""The isolated runner for code functions: one fresh, sandboxed interpreter per call.

User code never runs in the web or worker process. Each call gets its own process:
bubblewrap gives it new user, PID, network, mount, IPC, UTS and cgroup namespaces, a root
holding only a read-only `/usr`, an empty `/tmp` (tmpfs, size-capped), its own `/proc` and
a minimal `/dev`, no environment variables, no user namespaces of its own, and — when the
server runs as root — the uid `nobody`. A seccomp filter (functions_app.seccomp) refuses new
processes, sockets and the kernel's escape surface. Inside, `python3 -I -S` (no site, no
environment) applies hard rlimits (CPU, address space, file size, open files) and runs
`main(input, ctx)`; the parent enforces the wall clock and the output size.

Processes may be started ahead of time (a pool of one by default): a started sandbox waits
for its single job, so the interpreter's start-up is paid before the call, never shared
between calls. See docs/design.md D17.
"""

from __future__ import annotations

import contextlib
import json
import os
import select
import shutil
import signal
import subprocess
import tempfile
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from functions_app.seccomp import SeccompUnavailable, filter_bytes

BOOT_SOURCE = (Path(__file__).parent / "sandbox_boot.py").read_text()
NOBODY = 65534


@dataclass(frozen=True)
class Limits:
    wall_seconds: float = 10.0
    cpu_seconds: int = 5
    memory_bytes: int = 256 * 1024 * 1024
    output_bytes: int = 1024 * 1024
    file_bytes: int = 16 * 1024 * 1024

    def for_child(self) -> dict[str, int]:
        return {"cpu_seconds": self.cpu_seconds, "memory_bytes": self.memory_bytes, "file_bytes": self.file_bytes}


@dataclass
class CodeResult:
    ok: bool
    output: Any = None
    code: str = ""
    message: str = ""
    logs: list[str] = field(default_factory=list)
    duration_ms: float = 0.0
    limits_hit: list[str] = field(default_factory=list)
    line: int | None = None
    traceback: str = ""

    def as_dict(self) -> dict[str, Any]:
        body: dict[str, Any] = {"ok": self.ok, "logs": self.logs, "duration_ms": round(self.duration_ms, 1),
                                "limits_hit": self.limits_hit}  # fmt: skip
        if self.ok:
            body["output"] = self.output
        else:
            body["error"] = {"code": self.code, "message": self.message}
            if self.line is not None:
                body["error"]["line"] = self.line
            if self.traceback:
                body["error"]["traceback"] = self.traceback
        return body


class RunnerUnavailable(RuntimeError):
    """The machine lacks what the sandbox needs (bubblewrap, libseccomp, python3)."""


# A request from the function (HTTP, another function) → the answer sent back to it.
RequestHandler = Callable[[dict[str, Any]], dict[str, Any]]


def _refuse_requests(request: dict[str, Any]) -> dict[str, Any]:
    return {"error": f"{request.get('type')} requests are not available to this function"}


class _Sandbox:
    """One started interpreter waiting for its one job."""

    def __init__(self, config: RunnerConfig) -> None:
        self.started = time.monotonic()
        self.stderr = tempfile.TemporaryFile()  # noqa: SIM115 - closed by kill()
        seccomp_read, seccomp_write = os.pipe()
        program = filter_bytes()
        os.write(seccomp_write, program)  # a few hundred bytes: fits the pipe buffer
        os.close(seccomp_write)
        try:
            self.process = subprocess.Popen(
                config.command(seccomp_fd=seccomp_read),
                stdin=subprocess.PIPE,
                stdout=subprocess.PIPE,
                stderr=self.stderr,
                env={},
                cwd="/",
                pass_fds=(seccomp_read,),
                start_new_session=True,
                **config.drop_privileges(),
            )
        finally:
            os.close(seccomp_read)
        self.buffer = b""

    def alive(self) -> bool:
        return self.process.poll() is None

    def kill(self) -> None:
        with contextlib.suppress(ProcessLookupError, PermissionError):
            os.killpg(self.process.pid, signal.SIGKILL)
        with contextlib.suppress(subprocess.TimeoutExpired):
            self.process.wait(timeout=5)
        for stream in (self.process.stdin, self.process.stdout):
            with contextlib.suppress(OSError):
                stream.close()
        self.stderr.close()

    def read_line(self, deadline: float, cap: int) -> bytes | str:
        """The next line, or "timeout" / "eof" / "too_big"."""
        fd = self.process.stdout.fileno()
        while b"\n" not in self.buffer:
            if len(self.buffer) > cap:
                return "too_big"
            remaining = deadline - time.monotonic()
            if remaining <= 0:
                return "timeout"
            ready, _, _ = select.select([fd], [], [], remaining)
            if not ready:
                return "timeout"
            chunk = os.read(fd, 65536)
            if not chunk:
                return "eof"
            self.buffer += chunk
        line, _, self.buffer = self.buffer.partition(b"\n")
        return line if len(line) <= cap else "too_big"

    def send(self, message: dict[str, Any]) -> None:
        self.process.stdin.write(json.dumps(message).encode() + b"\n")
        self.process.stdin.flush()

    def bwrap_error(self) -> str:
        self.stderr.seek(0)
        return self.stderr.read(2000).decode(errors="replace").strip()


@dataclass(frozen=True)
class RunnerConfig:
    bwrap: str = "bwrap"
    python: str = "/usr/bin/python3"
    tmp_bytes: int = 16 * 1024 * 1024

    def command(self, *, seccomp_fd: int) -> list[str]:
        bwrap = shutil.which(self.bwrap)
        if not bwrap:
            raise RunnerUnavailable("bubblewrap (bwrap) is not installed: run scripts/ensure-sandbox.sh")
        if not os.path.exists(self.python):
            raise RunnerUnavailable(f"the sandbox interpreter {self.python} is missing")
        return [
            bwrap, "--unshare-all", "--unshare-user", "--disable-userns",
            "--die-with-parent", "--new-session", "--clearenv",
            "--ro-bind", "/usr", "/usr",
            "--symlink", "usr/bin", "/bin", "--symlink", "usr/lib", "/lib", "--symlink", "usr/lib64", "/lib64",
            "--proc", "/proc", "--dev", "/dev",
            "--size", str(self.tmp_bytes), "--tmpfs", "/tmp", "--remount-ro", "/",
            "--chdir", "/tmp", "--hostname", "function",
            "--setenv", "PATH", "/usr/bin", "--setenv", "HOME", "/tmp",
            "--seccomp", str(seccomp_fd),
            self.python, "-I", "-S", "-B", "-c", BOOT_SOURCE,
        ]  # fmt: skip

    @staticmethod
    def drop_privileges() -> dict[str, Any]:
        # As root, the sandbox's processes would still be root's outside the user namespace
        # (and RLIMIT_NPROC does not bind root): run them as nobody instead.
        if os.geteuid() == 0:
            return {"user": NOBODY, "group": NOBODY, "extra_groups": []}
        return {}


class CodeRunner:
    """Runs code functions; keeps up to `pool_size` sandboxes started ahead of time."""

    def __init__(self, config: RunnerConfig | None = None, *, pool_size: int = 1) -> None:
        self.config = config or RunnerConfig()
        self.pool_size = pool_size
        self._pool: list[_Sandbox] = []
        self._pool_pid = os.getpid()
        self._lock = threading.Lock()

    def check_available(self) -> None:
        try:
            filter_bytes()
        except SeccompUnavailable as error:
            raise RunnerUnavailable(str(error)) from None
        self.config.command(seccomp_fd=0)

    def run(
        self,
        source: str,
        input: Any,
        *,
        limits: Limits | None = None,
        credentials: dict[str, Any] | None = None,
        function: dict[str, Any] | None = None,
        on_request: RequestHandler = _refuse_requests,
    ) -> CodeResult:
        limits = limits or Limits()
        started = time.monotonic()
        try:
            sandbox = self._take()
        except (RunnerUnavailable, SeccompUnavailable) as error:
            return CodeResult(ok=False, code="RUNNER_UNAVAILABLE", message=str(error))
        try:
            result = self._converse(sandbox, source, input, limits, credentials or {}, function or {}, on_request)
        finally:
            sandbox.kill()
            self._refill()
        result.duration_ms = (time.monotonic() - started) * 1000
        return result

    def warm_up(self) -> None:
        self._refill()

    def close(self) -> None:
        with self._lock:
            pool, self._pool = self._pool, []
        for sandbox in pool:
            sandbox.kill()

    def _take(self) -> _Sandbox:
        with self._lock:
            if self._pool_pid != os.getpid():  # a forked worker: the parent's pipes are not ours
                self._pool, self._pool_pid = [], os.getpid()
            while self._pool:
                sandbox = self._pool.pop()
                if sandbox.alive():
                    return sandbox
                sandbox.kill()
        return _Sandbox(self.config)

    def _refill(self) -> None:
        with self._lock:
            if self._pool_pid != os.getpid() or len(self._pool) >= self.pool_size:
                return
        try:
            sandbox = _Sandbox(self.config)
        except (RunnerUnavailable, SeccompUnavailable, OSError):
            return
        with self._lock:
            self._pool.append(sandbox)

    def _converse(self, sandbox, source, input, limits, credentials, function, on_request) -> CodeResult:
        boot_deadline = time.monotonic() + max(limits.wall_seconds, 10.0)
        ready = sandbox.read_line(boot_deadline, 1024)
        if not isinstance(ready, bytes):
            return CodeResult(ok=False, code="RUNNER_FAILED", message=self._boot_failure(sandbox))
        deadline = time.monotonic() + limits.wall_seconds
        job = {"source": source, "input": input, "limits": limits.for_child(),
               "credentials": credentials, "function": function}  # fmt: skip
        try:
            sandbox.send(job)
        except (BrokenPipeError, OSError):
            return CodeResult(ok=False, code="RUNNER_FAILED", message="the sandbox closed before the call")
        cap = limits.output_bytes + 128 * 1024  # the output plus the logs' own cap
        while True:
            line = sandbox.read_line(deadline, cap)
            if line == "timeout":
                return _limit_hit("TIMEOUT", f"the function ran longer than {limits.wall_seconds:g} s", "wall_clock")
            if line == "too_big":
                return _limit_hit("OUTPUT_LIMIT", f"the function wrote more than {limits.output_bytes} bytes", "output")
            if line == "eof":
                return self._died(sandbox, limits)
            message = _decode(line)
            if message is None:
                return CodeResult(ok=False, code="PROTOCOL_ERROR", message="the function wrote something unreadable")
            if message.get("type") in ("http", "call"):
                try:
                    sandbox.send(on_request(message))
                except (BrokenPipeError, OSError):
                    return self._died(sandbox, limits)
                continue
            return _finish(message, limits)

    @staticmethod
    def _boot_failure(sandbox: _Sandbox) -> str:
        with contextlib.suppress(subprocess.TimeoutExpired):
            sandbox.process.wait(timeout=2)
        detail = sandbox.bwrap_error()
        return f"the sandbox could not start{': ' + detail[:300] if detail else ''}"

    @staticmethod
    def _died(sandbox: _Sandbox, limits: Limits) -> CodeResult:
        try:
            status = sandbox.process.wait(timeout=5)
        except subprocess.TimeoutExpired:
            status = None
        if status in (-signal.SIGXCPU, -signal.SIGKILL, 128 + signal.SIGXCPU, 128 + signal.SIGKILL):
            return _limit_hit("CPU_LIMIT", f"the function used more than {limits.cpu_seconds} s of CPU", "cpu")
        if status in (-signal.SIGXFSZ, 128 + signal.SIGXFSZ):
            return _limit_hit("FILE_LIMIT", f"the function wrote a file over {limits.file_bytes} bytes", "file_size")
        message = f"the function's process ended without an answer (status {status})"
        return CodeResult(ok=False, code="FUNCTION_CRASHED", message=message)


def _decode(line: bytes) -> dict[str, Any] | None:
    try:
        message = json.loads(line)
    except ValueError:
        return None
    return message if isinstance(message, dict) else None


def _limit_hit(code: str, message: str, limit: str) -> CodeResult:
    return CodeResult(ok=False, code=code, message=message, limits_hit=[limit])


def _finish(message: dict[str, Any], limits: Limits) -> CodeResult:
    logs = [str(line) for line in message.get("logs") or []][:1000]
    if message.get("type") == "result":
        text = str(message.get("output_json", "null"))
        if len(text.encode()) > limits.output_bytes:
            return CodeResult(ok=False, code="OUTPUT_LIMIT", logs=logs, limits_hit=["output"],
                              message=f"the function returned more than {limits.output_bytes} bytes")  # fmt: skip
        return CodeResult(ok=True, output=json.loads(text), logs=logs)
    code = str(message.get("code") or "FUNCTION_ERROR")
    result = CodeResult(ok=False, code=code, message=str(message.get("message", ""))[:2000], logs=logs,
                        traceback=str(message.get("traceback") or ""))  # fmt: skip
    if code == "MEMORY_LIMIT":
        result.limits_hit = ["memory"]
    if isinstance(message.get("line"), int):
        result.line = message["line"]
    return result
