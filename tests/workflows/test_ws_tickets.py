"""Issue 14 item 6: WebSockets open with a short-lived single-use ticket, not a key in the URL."""

from __future__ import annotations

import logging
import time

import pytest
from asgiref.sync import async_to_sync
from channels.testing import WebsocketCommunicator

from flowbuilder.asgi import application
from tests.workflows.test_consumers import ORIGIN, WAIT, chain, chain_flow, open_stream, refusal_code, start_run

pytestmark = pytest.mark.django_db(transaction=True)
__all__ = ["chain", "chain_flow", "start_run"]  # fixtures used by name


def new_ticket(api) -> str:
    answer = api.post("/api/v1/ws-tickets")
    assert answer.status_code == 201, answer.content
    data = answer.json()["data"]
    assert data["expires_in"] == 60
    return data["ticket"]


def test_a_ticket_opens_one_stream_only(acme, alice_api, chain, start_run):
    execution = start_run(chain)
    path = f"/ws/executions/{execution.id}/"
    ticket = new_ticket(alice_api)

    async def scenario():
        communicator, snapshot = await open_stream(f"{path}?ticket={ticket}")
        await communicator.disconnect()
        return snapshot, await refusal_code(f"{path}?ticket={ticket}")

    snapshot, second = async_to_sync(scenario)()
    assert snapshot["execution"]["id"] == execution.id
    assert second == 4401


def test_a_ticket_in_the_websocket_subprotocol_header_works(acme, alice_api, chain, start_run):
    execution = start_run(chain)
    ticket = new_ticket(alice_api)

    async def scenario():
        communicator = WebsocketCommunicator(
            application,
            f"/ws/executions/{execution.id}/",
            headers=[ORIGIN],
            subprotocols=["flowbuilder", f"flowbuilder.ticket.{ticket}"],
        )
        connected, subprotocol = await communicator.connect(timeout=WAIT)
        snapshot = await communicator.receive_json_from(timeout=WAIT)
        await communicator.disconnect()
        return connected, subprotocol, snapshot

    connected, subprotocol, snapshot = async_to_sync(scenario)()
    assert connected and subprotocol == "flowbuilder"
    assert snapshot["event"] == "snapshot"


def test_a_ticket_expires_after_sixty_seconds(acme, alice_api, chain, start_run, monkeypatch):
    from accounts import tickets

    execution = start_run(chain)
    ticket = new_ticket(alice_api)
    later = time.time() + 61
    monkeypatch.setattr(tickets.time, "time", lambda: later)

    code = async_to_sync(refusal_code)(f"/ws/executions/{execution.id}/?ticket={ticket}")
    assert code == 4401


def test_an_unknown_ticket_is_refused(chain, start_run):
    execution = start_run(chain)
    assert async_to_sync(refusal_code)(f"/ws/executions/{execution.id}/?ticket=made-up") == 4401


def test_an_outsiders_ticket_sees_nothing(charlie_api, chain, start_run):
    execution = start_run(chain)
    ticket = new_ticket(charlie_api)
    assert async_to_sync(refusal_code)(f"/ws/executions/{execution.id}/?ticket={ticket}") == 4404


def test_the_deprecated_query_key_still_works_and_logs_without_the_key(acme, chain, start_run, make_key, caplog):
    execution = start_run(chain)
    _, plaintext = make_key(acme)

    async def scenario():
        communicator, snapshot = await open_stream(f"/ws/executions/{execution.id}/?api_key={plaintext}")
        await communicator.disconnect()
        return snapshot

    with caplog.at_level(logging.WARNING, logger="workflows.consumers"):
        assert async_to_sync(scenario)()["execution"]["id"] == execution.id
    assert "deprecated" in caplog.text
    assert plaintext not in caplog.text
