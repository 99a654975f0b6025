"""The first code a sandboxed interpreter runs (`python3 -I -S -c <this file>`), stdlib only.

It is not imported by the product: `functions_app.sandbox` reads this file as text and hands
it to an interpreter inside the bubblewrap sandbox. It waits for one job on stdin (so a
process can be started ahead of time), applies the limits the job names with hard rlimits
(user code cannot raise them again), runs `main(input, ctx)` once and writes one JSON line
back. Anything else user code wants from the outside (HTTP, credentials are already in the
job) goes over the same pipe as a request the parent answers or refuses.
"""

import io
import json
import os
import resource
import sys
import traceback

MAX_LOG_CHARS = 64 * 1024


class _Logs(io.TextIOBase):
    """`print()` and `ctx.log()` land here, capped, instead of on the protocol pipe."""

    def __init__(self):
        self.lines = []
        self.size = 0
        self.partial = ""

    def writable(self):
        return True

    def write(self, text):
        text = str(text)
        self.partial += text
        *done, self.partial = self.partial.split("\n")
        for line in done:
            self.add(line)
        return len(text)

    def add(self, line):
        if self.size >= MAX_LOG_CHARS:
            return
        line = line[: MAX_LOG_CHARS - self.size]
        self.size += len(line) + 1
        self.lines.append(line)

    def collected(self):
        if self.partial:
            self.add(self.partial)
            self.partial = ""
        return self.lines


class _Functions:
    """`ctx.api.slack.postMessage(x)` calls the project's function named "slack.postMessage"."""

    def __init__(self, ctx, prefix=""):
        self._ctx, self._prefix = ctx, prefix

    def __getattr__(self, part):
        if part.startswith("__"):
            raise AttributeError(part)
        return _Functions(self._ctx, f"{self._prefix}.{part}" if self._prefix else part)

    def __call__(self, input=None, **fields):
        return self._ctx.call(self._prefix, input if input is not None else fields)


class _Ctx:
    """What `main(input, ctx)` gets: credentials it declared, logs, and HTTP through the parent."""

    def __init__(self, job, channel, logs):
        self.credentials = job.get("credentials") or {}
        self.function = job.get("function") or {}
        self._channel = channel
        self._logs = logs
        self.api = self.ai = self.fn = _Functions(self)

    def log(self, *parts):
        self._logs.add(" ".join(str(part) for part in parts))

    def http(self, method, url, *, headers=None, json=None, body=None, params=None):
        """One HTTP request, made by the parent through the product's network guard."""
        request = {"type": "http", "method": method, "url": url, "headers": headers or {}}
        if json is not None:
            request["json"] = json
        if body is not None:
            request["body"] = body
        if params is not None:
            request["params"] = params
        answer = self._channel.ask(request)
        if answer.get("error"):
            raise RuntimeError(answer["error"])
        return answer["response"]

    def call(self, name, input=None):
        """Another function of the project, run by the parent (its own sandbox if it is code)."""
        answer = self._channel.ask({"type": "call", "name": name, "input": input})
        if answer.get("error"):
            raise RuntimeError(answer["error"])
        return answer["output"]


class _Channel:
    def __init__(self, reader, writer):
        self.reader, self.writer = reader, writer

    def send(self, message):
        self.writer.write(json.dumps(message, separators=(",", ":")) + "\n")
        self.writer.flush()

    def ask(self, message):
        self.send(message)
        line = self.reader.readline()
        if not line:
            raise RuntimeError("the runner closed the channel")
        return json.loads(line)


def _limit(kind, value):
    resource.setrlimit(kind, (value, value))


def _apply_limits(limits):
    cpu = int(limits["cpu_seconds"])
    # Soft CPU limit sends SIGXCPU, the hard one a second later SIGKILL.
    resource.setrlimit(resource.RLIMIT_CPU, (cpu, cpu + 1))
    _limit(resource.RLIMIT_AS, int(limits["memory_bytes"]))
    _limit(resource.RLIMIT_FSIZE, int(limits["file_bytes"]))
    _limit(resource.RLIMIT_CORE, 0)
    _limit(resource.RLIMIT_NOFILE, 64)


def _user_traceback(error):
    frames = [f for f in traceback.extract_tb(error.__traceback__) if f.filename == "<function>"]
    lines = traceback.format_list(frames) + traceback.format_exception_only(type(error), error)
    return "".join(lines)[-4000:]


def _run(job, channel, logs):
    try:
        code = compile(job["source"], "<function>", "exec")
    except SyntaxError as error:
        return {"type": "error", "code": "SYNTAX_ERROR", "line": error.lineno,
                "message": f"line {error.lineno}: {error.msg}"}
    namespace = {"__name__": "function", "__builtins__": __builtins__}
    try:
        exec(code, namespace)
        main = namespace.get("main")
        if not callable(main):
            return {"type": "error", "code": "NO_MAIN", "message": "the code defines no main(input, ctx) function"}
        output = main(job.get("input"), _Ctx(job, channel, logs))
    except MemoryError:
        return {"type": "error", "code": "MEMORY_LIMIT", "message": "the function ran out of memory"}
    except RecursionError:
        return {"type": "error", "code": "FUNCTION_ERROR", "message": "RecursionError: too deep"}
    except BaseException as error:  # noqa: BLE001 - user code may raise anything, SystemExit included
        line = _user_traceback(error).strip().splitlines()
        return {"type": "error", "code": "FUNCTION_ERROR", "message": line[-1] if line else type(error).__name__,
                "traceback": _user_traceback(error)}
    try:
        text = json.dumps(output, allow_nan=False)
    except (TypeError, ValueError) as error:
        message = f"main() returned a value with no JSON form: {error}"
        return {"type": "error", "code": "OUTPUT_NOT_JSON", "message": message}
    return {"type": "result", "output_json": text}


def boot():
    # The protocol keeps its own copies of stdin/stdout; fds 0-2 then point at /dev/null so
    # a stray write from C code cannot corrupt the channel by accident.
    reader = os.fdopen(os.dup(0), "r", encoding="utf-8")
    writer = os.fdopen(os.dup(1), "w", encoding="utf-8")
    null = os.open("/dev/null", os.O_RDWR)
    for fd in (0, 1, 2):
        os.dup2(null, fd)
    channel = _Channel(reader, writer)
    channel.send({"type": "ready"})
    line = reader.readline()
    if not line:
        return
    job = json.loads(line)
    _apply_limits(job["limits"])
    logs = _Logs()
    sys.stdout = sys.stderr = logs
    try:
        answer = _run(job, channel, logs)
    except MemoryError:
        answer = {"type": "error", "code": "MEMORY_LIMIT", "message": "the function ran out of memory"}
    answer["logs"] = logs.collected()
    channel.send(answer)


boot()
