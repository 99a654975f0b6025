"""Workflow fixtures: definitions in each form, a workflow factory, a loopback HTTP server."""

from __future__ import annotations

import json
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest

from workflows import services
from workflows.jobs import run_execution


def node(node_id: str, node_type: str, config: dict | None = None, **extra) -> dict:
    return {"id": node_id, "type": node_type, "name": node_id, "config": config or {}, **extra}


def edge(source: str, target: str, port: str = "out") -> dict:
    return {"id": f"{source}-{port}-{target}", "source": source, "source_port": port, "target": target}


def full_flow(url: str) -> dict:
    """manual → if → fan-out to two branches → merge → http.request → data.set."""
    return {
        "nodes": [
            node("start", "trigger.manual"),
            node("check", "logic.if", {"condition": "{{ input.amount > 100 }}"}),
            node("vip", "data.set", {"fields": {"tier": "vip"}}),
            node("tag", "data.set", {"fields": {"tagged": True}}),
            node("regular", "logic.succeed", {"output": {"tier": "regular"}}),
            node("join", "logic.merge", {"mode": "object"}),
            node("notify", "http.request", {"method": "POST", "url": url, "body": {"amount": "{{ trigger.amount }}"}}),
            node(
                "done", "data.set", {"fields": {"status": "{{ input.status }}", "echo": "{{ input.body.body.amount }}"}}
            ),
        ],
        "edges": [
            edge("start", "check"),
            edge("check", "vip", "true"),
            edge("check", "tag", "true"),
            edge("check", "regular", "false"),
            edge("vip", "join"),
            edge("tag", "join"),
            edge("join", "notify"),
            edge("notify", "done"),
        ],
        "variables": {},
        "settings": {},
    }


def full_flow_as_states(url: str) -> dict:
    """The same flow in the seeds' state-machine form (fan-out is a `parallel` state there)."""

    def task(resource: str, config: dict, **more) -> dict:
        return {"type": "task", "resource": resource, "config": config, **more}

    return {
        "states": {
            "check": {
                "type": "choice",
                "choices": [{"condition": "{{ input.amount > 100 }}", "next": "fanout"}],
                "default": "regular",
            },
            "fanout": {
                "type": "parallel",
                "branches": [
                    {"start_at": "vip", "states": {"vip": task("data.set", {"fields": {"tier": "vip"}})}},
                    {"start_at": "tag", "states": {"tag": task("data.set", {"fields": {"tagged": True}})}},
                ],
                "next": "notify",
            },
            "regular": {"type": "succeed", "output": {"tier": "regular"}},
            "notify": task(
                "http.request", {"method": "POST", "url": url, "body": {"amount": "{{ trigger.amount }}"}}, next="done"
            ),
            "done": task(
                "data.set", {"fields": {"status": "{{ input.status }}", "echo": "{{ input.body.body.amount }}"}}
            ),
        }
    }


def simple_flow() -> dict:
    return {
        "nodes": [
            node("start", "trigger.manual"),
            node("greet", "data.set", {"fields": {"hello": "{{ input.name | default('friend') }}"}}),
        ],
        "edges": [edge("start", "greet")],
    }


def wait_flow(seconds: float) -> dict:
    """manual → wait `seconds` → data.set."""
    return {
        "nodes": [
            node("start", "trigger.manual"),
            node("pause", "logic.wait", {"seconds": seconds}),
            node("after", "data.set", {"fields": {"waited": True}}),
        ],
        "edges": [edge("start", "pause"), edge("pause", "after")],
    }


@pytest.fixture
def make_workflow(acme, alice):
    def make(name: str = "Greeter", definition: dict | None = None, **fields):
        return services.create_workflow(
            acme.default_project, name=name, definition=definition or simple_flow(), actor=alice, **fields
        )

    return make


@pytest.fixture
def run_now():
    """Run an execution the way a worker does (the real job function), in this process."""

    def run(execution_id: str, **kwargs):
        return run_execution(execution_id, **kwargs)

    return run


class RecordingHandler(BaseHTTPRequestHandler):
    def do_GET(self):
        self._answer()

    def do_POST(self):
        self._answer()

    def _answer(self):
        length = int(self.headers.get("Content-Length") or 0)
        body = self.rfile.read(length) if length else b""
        self.server.received.append(
            {"path": self.path, "method": self.command, "headers": dict(self.headers), "body": body}
        )
        status = self.server.statuses.pop(0) if self.server.statuses else 200
        reply = json.dumps({"ok": status < 400, "body": json.loads(body or b"null")}).encode()
        self.send_response(status)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(reply)))
        self.end_headers()
        self.wfile.write(reply)

    def log_message(self, *args):
        pass


@pytest.fixture
def http_server(settings):
    """A loopback server that records requests; set `.statuses` to script its answers."""
    server = ThreadingHTTPServer(("127.0.0.1", 0), RecordingHandler)
    server.received, server.statuses = [], []
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    settings.FLOWBUILDER_HTTP_ALLOW_LIST = ["127.0.0.1"]
    server.url = f"http://127.0.0.1:{server.server_address[1]}/hook"
    yield server
    server.shutdown()
    server.server_close()
