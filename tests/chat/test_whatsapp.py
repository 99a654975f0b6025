"""The WhatsApp Cloud API adapter: the verify-token handshake, X-Hub-Signature-256 on inbound
(a bad one refused and nothing stored), text and button replies, replies sent to a local fake
Graph API with the access token from the vault."""

from __future__ import annotations

import hashlib
import hmac
import json

import pytest
from django.test import Client

from chat.adapters.whatsapp import parse_messages
from chat.models import ChatMessage, Conversation
from integrations.services import create_credential
from tests.chat.conftest import chat_flow, drain, live_workflow, make_channel, post_message, reply
from workflows.models import Execution

pytestmark = pytest.mark.django_db(transaction=True)

APP_SECRET = "app-secret-of-the-meta-app"
VERIFY_TOKEN = "verify-me-please"
ACCESS_TOKEN = "EAAG-access-token-value"


@pytest.fixture
def whatsapp(project, graph_api):
    def credential(name, type, fields):
        return create_credential(project, name=name, type=type, fields=fields).id

    return make_channel(
        project,
        "whatsapp",
        name="WhatsApp",
        settings={
            "phone_number_id": "1234567890",
            "graph_api_base": graph_api.url,
            "verify_token_credential": credential("Verify", "hmac_secret", {"secret": VERIFY_TOKEN}),
            "app_secret_credential": credential("App secret", "hmac_secret", {"secret": APP_SECRET}),
            "access_token_credential": credential("Token", "bearer", {"token": ACCESS_TOKEN}),
        },
    )


def webhook_body(*messages: dict) -> dict:
    return {
        "object": "whatsapp_business_account",
        "entry": [
            {
                "id": "WABA",
                "changes": [
                    {
                        "field": "messages",
                        "value": {
                            "messaging_product": "whatsapp",
                            "metadata": {"display_phone_number": "15550000000", "phone_number_id": "1234567890"},
                            "messages": list(messages),
                        },
                    }
                ],
            }
        ],
    }


def text_message(text: str, sender: str = "15551234567", message_id: str = "wamid.1") -> dict:
    return {"from": sender, "id": message_id, "timestamp": "1700000000", "type": "text", "text": {"body": text}}


def signed_post(token: str, body: dict, secret: str = APP_SECRET):
    raw = json.dumps(body).encode()
    signature = "sha256=" + hmac.new(secret.encode(), raw, hashlib.sha256).hexdigest()
    return post_message(token, raw, HTTP_X_HUB_SIGNATURE_256=signature)


def test_the_handshake_echoes_the_challenge_for_the_right_verify_token(whatsapp):
    url = f"/channels/{whatsapp.token}/messages"
    good = Client().get(url, {"hub.mode": "subscribe", "hub.verify_token": VERIFY_TOKEN, "hub.challenge": "1158201444"})
    assert (good.status_code, good.content) == (200, b"1158201444")

    for params in (
        {"hub.mode": "subscribe", "hub.verify_token": "wrong", "hub.challenge": "x"},
        {"hub.mode": "unsubscribe", "hub.verify_token": VERIFY_TOKEN, "hub.challenge": "x"},
        {"hub.challenge": "x"},
    ):
        refused = Client().get(url, params)
        assert refused.status_code == 403
        assert refused.json()["error"]["code"] == "FORBIDDEN"


@pytest.mark.parametrize("signature", [None, "sha256=" + "0" * 64, "sha1=abc", "garbage"])
def test_a_bad_or_missing_signature_is_refused_and_nothing_is_stored(whatsapp, project, alice, signature):
    live_workflow(project, alice, "Echo", chat_flow(reply("r", "hello")))
    raw = json.dumps(webhook_body(text_message("hi"))).encode()
    headers = {"HTTP_X_HUB_SIGNATURE_256": signature} if signature else {}

    answer = post_message(whatsapp.token, raw, **headers)

    assert answer.status_code == 401
    assert answer.json()["error"]["code"] == "BAD_SIGNATURE"
    assert not ChatMessage.objects.exists() and not Execution.objects.exists()


def test_a_signed_with_another_secret_body_is_refused(whatsapp):
    answer = signed_post(whatsapp.token, webhook_body(text_message("hi")), secret="not-the-app-secret")
    assert answer.status_code == 401


def test_a_message_runs_the_flow_and_the_reply_reaches_the_graph_api(whatsapp, project, alice, graph_api):
    live_workflow(project, alice, "Echo", chat_flow(reply("r", "You said: {{ trigger.text }}")))

    answer = signed_post(whatsapp.token, webhook_body(text_message("Where is my order?")))
    assert answer.status_code == 200, answer.content
    assert answer.json() == {"received": 1}
    drain()

    [sent] = graph_api.requests
    assert sent.path == "/v21.0/1234567890/messages"
    assert sent.headers["Authorization"] == f"Bearer {ACCESS_TOKEN}"
    assert sent.json == {
        "messaging_product": "whatsapp",
        "recipient_type": "individual",
        "to": "15551234567",
        "type": "text",
        "text": {"body": "You said: Where is my order?", "preview_url": False},
    }
    execution = Execution.objects.get()
    assert (execution.customer_id, execution.channel) == ("15551234567", whatsapp.channel.id)
    assert ACCESS_TOKEN not in json.dumps(list(execution.steps.values("output", "input")), default=str)


def test_a_message_delivered_twice_by_meta_runs_once(whatsapp, project, alice):
    live_workflow(project, alice, "Echo", chat_flow(reply("r", "hello")))
    body = webhook_body(text_message("hi", message_id="wamid.same"))

    assert signed_post(whatsapp.token, body).json() == {"received": 1}
    assert signed_post(whatsapp.token, body).json() == {"received": 0}
    assert Execution.objects.count() == 1


def test_a_button_reply_answers_a_chat_ask(whatsapp, project, alice, graph_api):
    ask = {"id": "ask", "type": "chat.ask", "config": {"text": "Yes or no?"}}
    answer = reply("r", "Got {{ input.text }} ({{ input.payload.reply_id }})")
    live_workflow(project, alice, "Ask", chat_flow(ask, answer))
    signed_post(whatsapp.token, webhook_body(text_message("start", message_id="wamid.a")))
    drain()
    button = {
        "from": "15551234567", "id": "wamid.b", "type": "interactive",
        "interactive": {"type": "button_reply", "button_reply": {"id": "yes-1", "title": "Yes"}},
    }  # fmt: skip

    signed_post(whatsapp.token, webhook_body(button))
    drain()

    assert graph_api.texts() == ["Yes or no?", "Got Yes (yes-1)"]
    assert Conversation.objects.get().messages.filter(direction="in").last().payload["reply_id"] == "yes-1"


def test_parsing_skips_statuses_and_messages_without_text():
    body = webhook_body(
        text_message("one"),
        {"from": "1", "id": "w2", "type": "image", "image": {"id": "media"}},
        {"from": "1", "id": "w3", "type": "button", "button": {"text": "Stop", "payload": "STOP"}},
        {"id": "w4", "type": "text", "text": {"body": "no sender"}},
        {"from": 5, "type": "text", "text": {"body": "numeric sender"}},
        "not an object",
    )
    body["entry"].append({"changes": [{"value": {"statuses": [{"id": "w1", "status": "read"}]}}]})
    body["entry"].append("junk")
    assert [(sender, text) for sender, text, _ in parse_messages(body)] == [("15551234567", "one"), ("1", "Stop")]


def test_settings_must_name_credentials_of_the_right_type(project, alice_api):
    token = create_credential(project, name="Bearer", type="bearer", fields={"token": "t"}).id
    answer = alice_api.post(
        "/api/v1/channels",
        {
            "name": "WA",
            "type": "whatsapp",
            "settings": {
                "phone_number_id": "42",
                "verify_token_credential": token,
                "app_secret_credential": "cred_nope",
                "access_token_credential": token,
            },
        },
        format="json",
    )
    assert answer.status_code == 400
    errors = answer.json()["error"]["details"]["settings"]
    assert set(errors) == {"verify_token_credential", "app_secret_credential"}


@pytest.mark.parametrize(
    ("raw", "status"),
    [
        (b"not json", 400),
        (b"\xff\xfe", 400),
        (b"[]", 400),
        (b"{}", 200),
        (b'{"entry": "nope"}', 200),
        (b'{"entry": [{"changes": [{"value": {"messages": [{"from": "1", "type": "text", "text": "flat"}]}}]}]}', 200),
        (json.dumps(webhook_body(text_message("x" * 5000))).encode(), 200),  # too long: skipped, not an error
    ],
)
def test_hostile_signed_bodies_never_fail_and_store_nothing(whatsapp, raw, status):
    signature = "sha256=" + hmac.new(APP_SECRET.encode(), raw, hashlib.sha256).hexdigest()
    answer = post_message(whatsapp.token, raw, HTTP_X_HUB_SIGNATURE_256=signature)
    assert answer.status_code == status, answer.content
    if status == 200:
        assert answer.json() == {"received": 0}
    assert not ChatMessage.objects.exists()
