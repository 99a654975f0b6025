"""A webhook receiver on loopback, a real RQ worker, and subscriptions to send to."""

from __future__ import annotations

import datetime as dt
import threading
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest
from rq import SimpleWorker

from flowbuilder.redis import get_queue, get_redis
from webhooks import services
from webhooks.models import EventType


@dataclass
class ReceivedRequest:
    path: str
    headers: dict[str, str]
    body: bytes


@dataclass
class Receiver:
    """Answers with the scripted statuses in turn (200 once they run out) and keeps every request."""

    url: str
    statuses: list[int] = field(default_factory=list)
    requests: list[ReceivedRequest] = field(default_factory=list)


def _handler_for(receiver: Receiver):
    class Handler(BaseHTTPRequestHandler):
        def do_POST(self) -> None:  # noqa: N802 - http.server's naming
            length = int(self.headers.get("content-length") or 0)
            body = self.rfile.read(length)
            receiver.requests.append(ReceivedRequest(self.path, dict(self.headers.items()), body))
            status = receiver.statuses.pop(0) if receiver.statuses else 200
            answer = b'{"received": true}' if status < 300 else b"receiver is down " * 300
            self.send_response(status)
            self.send_header("Content-Type", "application/json")
            self.send_header("Content-Length", str(len(answer)))
            self.end_headers()
            self.wfile.write(answer)

        def log_message(self, *args) -> None:
            pass

    return Handler


@pytest.fixture
def receiver():
    server = ThreadingHTTPServer(("127.0.0.1", 0), None)
    target = Receiver(url=f"http://127.0.0.1:{server.server_address[1]}/hooks/flowbuilder")
    server.RequestHandlerClass = _handler_for(target)
    thread = threading.Thread(target=server.serve_forever, kwargs={"poll_interval": 0.01}, daemon=True)
    thread.start()
    yield target
    server.shutdown()
    server.server_close()


@pytest.fixture(autouse=True)
def loopback_allowed(settings):
    """The receiver lives on 127.0.0.1, which the guarded client refuses unless allow-listed."""
    settings.FLOWBUILDER_HTTP_ALLOW_LIST = ["127.0.0.1"]


@pytest.fixture
def webhook_queue():
    return get_queue("webhooks")


@pytest.fixture
def run_worker(webhook_queue):
    """Run every queued webhook job on a real RQ worker, in this process, until the queue is empty."""

    def run() -> None:
        SimpleWorker([webhook_queue], connection=get_redis()).work(burst=True, logging_level="WARNING")

    return run


@pytest.fixture
def release_scheduled(webhook_queue):
    """Move scheduled jobs onto the queue now, returning when each was due (no sleeping)."""

    def release() -> list[dt.datetime]:
        registry = webhook_queue.scheduled_job_registry
        due = []
        for job_id in registry.get_job_ids():
            due.append(registry.get_scheduled_time(job_id))
            registry.requeue(job_id)
        return due

    return release


@pytest.fixture
def make_subscription(acme):
    """A factory: make_subscription(url, events=[...], project=..., enabled=...) → CreatedSubscription."""

    def make(url: str, *, events=(EventType.FORM_SUBMITTED,), project=None, enabled: bool = True):
        return services.create_subscription(
            project or acme.default_project, url=url, events=list(events), enabled=enabled
        )

    return make
