"""A loopback stub LLM server speaking Anthropic's and OpenAI's wire formats."""

from __future__ import annotations

import json
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer


@dataclass
class StubLlm:
    """Answers `reply_text` (or the next of `replies`, in order, while there are some);
    the first `rate_limited` calls get a 429 with Retry-After."""

    reply_text: str = "Hello from the stub."
    replies: list[str] = field(default_factory=list)
    rate_limited: int = 0
    retry_after: str = "7"
    requests: list[dict] = field(default_factory=list)
    base_url: str = ""

    def answer(self, path: str, headers: dict, body: dict) -> tuple[int, dict, dict]:
        self.requests.append({"path": path, "headers": headers, "body": body})
        if self.rate_limited:
            self.rate_limited -= 1
            return 429, {"Retry-After": self.retry_after}, {"error": {"message": "slow down"}}
        text = self.replies.pop(0) if self.replies else self.reply_text
        if path == "/v1/messages":
            if headers.get("x-api-key") != "stub-anthropic-key":
                return 401, {}, {"error": {"type": "authentication_error", "message": "invalid x-api-key"}}
            return (
                200,
                {},
                {
                    "id": "msg_1",
                    "type": "message",
                    "role": "assistant",
                    "model": body["model"],
                    "content": [{"type": "text", "text": text}],
                    "usage": {"input_tokens": 11, "output_tokens": 7},
                },
            )
        if path == "/v1/chat/completions":
            if headers.get("authorization") != "Bearer stub-openai-key":
                return 401, {}, {"error": {"message": "bad key"}}
            return (
                200,
                {},
                {
                    "id": "chatcmpl-1",
                    "model": body["model"],
                    "choices": [{"index": 0, "message": {"role": "assistant", "content": text}}],
                    "usage": {"prompt_tokens": 13, "completion_tokens": 5, "total_tokens": 18},
                },
            )
        if path == "/v1/models":
            return 200, {}, {"data": [{"id": "stub-model"}]}
        return 404, {}, {"error": {"message": "no such path"}}


@contextmanager
def running_stub_llm(stub: StubLlm) -> Iterator[StubLlm]:
    class Handler(BaseHTTPRequestHandler):
        def _respond(self, body: dict) -> None:
            headers = {key.lower(): value for key, value in self.headers.items()}
            status, extra_headers, payload = stub.answer(self.path, headers, body)
            data = json.dumps(payload).encode()
            self.send_response(status)
            self.send_header("Content-Type", "application/json")
            self.send_header("Content-Length", str(len(data)))
            for name, value in extra_headers.items():
                self.send_header(name, value)
            self.end_headers()
            self.wfile.write(data)

        def do_POST(self):  # noqa: N802 (http.server's naming)
            length = int(self.headers.get("Content-Length") or 0)
            self._respond(json.loads(self.rfile.read(length) or b"{}"))

        def do_GET(self):  # noqa: N802
            self._respond({})

        def log_message(self, *args):
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    stub.base_url = f"http://127.0.0.1:{server.server_address[1]}"
    try:
        yield stub
    finally:
        server.shutdown()
        server.server_close()
        thread.join()
