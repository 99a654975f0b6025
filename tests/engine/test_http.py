"""The guarded HTTP client and the http.request node, against in-process loopback servers."""

from __future__ import annotations

import json
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest

from tests.engine.support import flow, link, node
from workflows.engine import BlockedAddressError, GuardedHttpClient, InMemoryJournal, ResponseTooLargeError


class _Handler(BaseHTTPRequestHandler):
    received: list[dict] = []

    def do_GET(self) -> None:  # noqa: N802 - http.server's naming
        self._answer()

    def do_POST(self) -> None:  # noqa: N802
        self._answer()

    def _answer(self) -> None:
        length = int(self.headers.get("content-length") or 0)
        body = self.rfile.read(length) if length else b""
        _Handler.received.append({"path": self.path, "headers": dict(self.headers), "body": body})
        if self.path.startswith("/redirect"):
            self.send_response(302)
            self.send_header("Location", self.path.split("to=", 1)[1])
            self.end_headers()
            return
        status = 500 if self.path.startswith("/broken") else 200
        payload = b"x" * 4096 if self.path.startswith("/big") else json.dumps({"path": self.path}).encode()
        self.send_response(status)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(payload)))
        self.end_headers()
        self.wfile.write(payload)

    def log_message(self, *args) -> None:
        pass


@pytest.fixture
def server():
    _Handler.received = []
    httpd = ThreadingHTTPServer(("127.0.0.1", 0), _Handler)
    thread = threading.Thread(target=httpd.serve_forever, kwargs={"poll_interval": 0.01}, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{httpd.server_address[1]}"
    httpd.shutdown()
    httpd.server_close()


@pytest.mark.parametrize(
    "url",
    [
        "http://127.0.0.1/",
        "http://10.0.0.1/",
        "http://169.254.169.254/latest/meta-data/",
        "http://[::1]/",
        "http://[fd00:ec2::254]/",
        "http://[::ffff:127.0.0.1]/",
        "http://0.0.0.0/",
        "http://localhost/",
    ],
)
def test_it_refuses_private_loopback_and_metadata_addresses(url):
    with pytest.raises(BlockedAddressError, match="not allowed"):
        GuardedHttpClient().request("GET", url)


def test_it_checks_every_address_a_name_resolves_to():
    client = GuardedHttpClient(resolver=lambda host, port: ["93.184.216.34", "10.1.2.3"])
    with pytest.raises(BlockedAddressError, match="10.1.2.3"):
        client.request("GET", "http://rebinding.example/")


def test_it_refuses_schemes_other_than_http():
    with pytest.raises(BlockedAddressError, match="only http"):
        GuardedHttpClient().request("GET", "file:///etc/passwd")


def test_an_allow_listed_loopback_server_works(server):
    response = GuardedHttpClient(allow_list=["127.0.0.1/32"]).request(
        "GET", f"{server}/hello", params={"q": "1"}
    )
    assert response.status == 200
    assert json.loads(response.body) == {"path": "/hello?q=1"}


def test_a_redirect_to_a_non_allow_listed_address_is_refused(server):
    client = GuardedHttpClient(allow_list=["127.0.0.1"])
    for target in ("http://[::1]:9/", "http://10.0.0.1/"):
        with pytest.raises(BlockedAddressError):
            client.request("GET", f"{server}/redirect?to={target}")
    assert [r["path"] for r in _Handler.received] == [
        "/redirect?to=http://[::1]:9/",
        "/redirect?to=http://10.0.0.1/",
    ]


def test_an_allowed_redirect_is_followed(server):
    response = GuardedHttpClient(allow_list=["127.0.0.1"]).request("GET", f"{server}/redirect?to=/landed")
    assert json.loads(response.body) == {"path": "/landed"}


def test_it_stops_reading_a_response_over_the_size_limit(server):
    client = GuardedHttpClient(allow_list=["127.0.0.1"], max_response_bytes=1000)
    with pytest.raises(ResponseTooLargeError, match="1000"):
        client.request("GET", f"{server}/big")


def _http_flow(url: str, **config) -> dict:
    return flow(
        [node("call", "http.request", {"url": url, **config})],
        [link("start", "call")],
    )


def test_the_http_node_sends_the_idempotency_key_and_parses_json(run, server):
    definition = _http_flow(f"{server}/leads", method="POST", body={"email": "{{ input.email }}"})
    outcome = run(definition, {"email": "a@b.c"}, services={"http_allow_list": ["127.0.0.1"]})
    assert outcome.output["body"] == {"path": "/leads"}
    request = _Handler.received[0]
    assert request["headers"]["Idempotency-Key"] == "exec-1:call"
    assert json.loads(request["body"]) == {"email": "a@b.c"}


def test_the_http_node_is_refused_loopback_without_an_allow_list(run, server):
    outcome = run(_http_flow(f"{server}/leads"))
    assert outcome.error["code"] == "ADDRESS_BLOCKED"
    assert _Handler.received == []


def test_an_http_error_status_fails_the_step_unless_told_otherwise(run, server):
    services = {"http_allow_list": ["127.0.0.1"]}
    assert run(_http_flow(f"{server}/broken"), services=services).error["code"] == "HTTP_ERROR"
    tolerant = _http_flow(f"{server}/broken", fail_on_http_error=False)
    assert run(tolerant, services=services, journal=InMemoryJournal()).output["status"] == 500


def test_the_http_node_adds_credential_headers_from_the_resolver(run, server):
    services = {
        "http_allow_list": ["127.0.0.1"],
        "credential_resolver": lambda ref, kind: {"Authorization": f"Bearer secret-{ref}"},
    }
    run(_http_flow(f"{server}/x", credential="cred-1"), services=services)
    assert _Handler.received[0]["headers"]["Authorization"] == "Bearer secret-cred-1"
