"""Secrets a node was given never land in stored steps, the run's output, or its events."""

from __future__ import annotations

import json
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest

from integrations.services import create_credential
from tests.workflows.conftest import edge, node
from workflows import services
from workflows.jobs import run_execution
from workflows.models import Execution, ExecutionStep

TOKEN = "tok-very-secret-0042"
QUERY_KEY = "qkey-very-secret-0077"


class EchoHandler(BaseHTTPRequestHandler):
    """Answers with what it received: the worst case for leaking credentials."""

    def do_GET(self):
        body = json.dumps({"path": self.path, "headers": dict(self.headers)}).encode()
        self.send_response(200)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, *args):
        pass


@pytest.fixture
def echo_server(settings):
    server = ThreadingHTTPServer(("127.0.0.1", 0), EchoHandler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    settings.FLOWBUILDER_HTTP_ALLOW_LIST = ["127.0.0.1"]
    yield f"http://127.0.0.1:{server.server_address[1]}/echo"
    server.shutdown()
    server.server_close()


def calling_flow(url: str, credential_id: str) -> dict:
    return {
        "nodes": [
            node("start", "trigger.manual"),
            node("call", "http.request", {"method": "GET", "url": url, "credential": credential_id}),
            node("copy", "data.set", {"fields": {"seen": "{{ input.body }}", "url": "{{ input.url }}"}}),
        ],
        "edges": [edge("start", "call"), edge("call", "copy")],
    }


@pytest.mark.parametrize(
    "kind, fields, secret",
    [
        ("bearer", {"token": TOKEN}, TOKEN),
        ("api_key", {"key": QUERY_KEY, "placement": "query", "name": "api_key"}, QUERY_KEY),
    ],
)
def test_echoed_credentials_are_redacted_everywhere_they_are_stored(acme, echo_server, kind, fields, secret):
    credential = create_credential(acme.default_project, name=f"echo {kind}", type=kind, fields=fields)
    workflow = services.create_workflow(
        acme.default_project, name=f"Echo {kind}", definition=calling_flow(echo_server, credential.id)
    )
    execution = services.start_execution(workflow, input={}, version=None)
    assert run_execution(execution.id) == "completed"

    execution = Execution.objects.get(pk=execution.pk)
    stored = json.dumps(
        [list(ExecutionStep.objects.filter(execution=execution).values("input", "output", "error")), execution.output]
    )
    assert secret not in stored
    assert "[redacted]" in stored
    # The request itself did carry the credential: redaction is on storage, not on the call.
    call = ExecutionStep.objects.get(execution=execution, node_id="call", status="succeeded")
    assert call.output["status"] == 200
