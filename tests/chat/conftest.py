"""Chat test support: workflows with a message trigger, channels, a loopback callback receiver,
a fake Graph API, and real RQ workers (in-process, burst) for the runs and the deliveries."""

from __future__ import annotations

import json
import threading
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest
from django.test import Client
from rq import SimpleWorker

from chat import services as chat_services
from flowbuilder.redis import get_queue, get_redis
from workflows import services


@dataclass
class Received:
    path: str
    headers: dict[str, str]
    body: bytes

    @property
    def json(self):
        return json.loads(self.body)


@dataclass
class FakeServer:
    """Keeps every POST and answers with the scripted statuses in turn (200 when they run out)."""

    url: str
    statuses: list[int] = field(default_factory=list)
    requests: list[Received] = field(default_factory=list)

    def texts(self) -> list[str]:
        out = []
        for request in self.requests:
            body = request.json
            out.append(body["text"]["body"] if isinstance(body.get("text"), dict) else body["text"])
        return out


def _serve(base_path: str):
    server = ThreadingHTTPServer(("127.0.0.1", 0), None)
    fake = FakeServer(url=f"http://127.0.0.1:{server.server_address[1]}{base_path}")

    class Handler(BaseHTTPRequestHandler):
        def do_POST(self) -> None:  # noqa: N802 - http.server's naming
            body = self.rfile.read(int(self.headers.get("content-length") or 0))
            fake.requests.append(Received(self.path, dict(self.headers.items()), body))
            status = fake.statuses.pop(0) if fake.statuses else 200
            answer = b'{"messages": [{"id": "wamid.fake"}]}'
            self.send_response(status)
            self.send_header("Content-Type", "application/json")
            self.send_header("Content-Length", str(len(answer)))
            self.end_headers()
            self.wfile.write(answer)

        def log_message(self, *args) -> None:
            pass

    server.RequestHandlerClass = Handler
    thread = threading.Thread(target=server.serve_forever, kwargs={"poll_interval": 0.01}, daemon=True)
    thread.start()
    return server, fake


@pytest.fixture
def callback():
    server, fake = _serve("/chat/replies")
    yield fake
    server.shutdown()
    server.server_close()


@pytest.fixture
def graph_api():
    server, fake = _serve("")
    yield fake
    server.shutdown()
    server.server_close()


@pytest.fixture(autouse=True)
def loopback_allowed(settings):
    """The local receivers live on 127.0.0.1, which the network guard refuses unless allow-listed."""
    settings.FLOWBUILDER_HTTP_ALLOW_LIST = ["127.0.0.1"]


def drain() -> None:
    """Run queued runs and deliveries on real RQ workers until both queues are empty."""
    queues = [get_queue("executions"), get_queue("webhooks")]
    for _ in range(20):
        if not any(len(queue) for queue in queues):
            return
        SimpleWorker(queues, connection=get_redis()).work(burst=True, logging_level="WARNING")
    raise AssertionError("the queues never emptied")


@pytest.fixture
def project(acme):
    return acme.default_project


def chat_flow(*steps: dict, trigger: dict | None = None) -> dict:
    """trigger.message → each step in a line."""
    nodes = [{"id": "start", "type": "trigger.message", "config": trigger or {}}, *steps]
    edges = [
        {"id": f"e{index}", "source": nodes[index - 1]["id"], "source_port": "out", "target": node["id"]}
        for index, node in enumerate(nodes[1:], start=1)
    ]
    return {"nodes": nodes, "edges": edges}


def reply(node_id: str, text: str) -> dict:
    return {"id": node_id, "type": "chat.message", "config": {"text": text}}


def live_workflow(project, actor, name: str, definition: dict, *, active: bool = True):
    workflow = services.create_workflow(project, name=name, definition=definition, actor=actor)
    services.set_workflow_active(workflow, active, actor=actor)
    workflow.refresh_from_db()
    return workflow


def make_channel(project, type: str = "generic", *, name: str = "Support", settings: dict | None = None, **fields):
    created = chat_services.create_channel(project, name=name, type=type, settings=settings or {}, **fields)
    return created


def post_message(token: str, body, *, content_type: str = "application/json", **headers):
    data = body if isinstance(body, bytes | str) else json.dumps(body)
    return Client().post(f"/channels/{token}/messages", data=data, content_type=content_type, **headers)
