"""The channels and conversations API: create (inbound_url, the secret once), list, get, patch,
delete, metrics; conversations filtered by channel, customer and status; another organization sees nothing."""

from __future__ import annotations

import pytest

from chat.models import Channel
from chat.routing import receive
from chat.tokens import hash_token
from tests.chat.conftest import chat_flow, live_workflow, reply
from workflows.models import Execution

pytestmark = pytest.mark.django_db(transaction=True)


def create(api, **body):
    return api.post("/api/v1/channels", body, format="json")


def test_creating_a_generic_channel_answers_its_inbound_url_and_secret_once(alice_api):
    answer = create(alice_api, name="Partner", type="generic", settings={"callback_url": "https://example.com/r"})

    assert answer.status_code == 201, answer.content
    data = answer.json()["data"]
    assert data["id"].startswith("chan_") and data["type"] == "generic"
    token = data["inbound_url"].rsplit("/channels/", 1)[1].removesuffix("/messages")
    assert data["inbound_url"] == f"http://testserver/channels/{token}/messages"
    assert data["signing_secret"].startswith("whsec_")
    channel = Channel.objects.get()
    assert channel.token_hash == hash_token(token)
    assert token.encode() not in bytes(channel.ciphertext)  # sealed, not stored as text

    shown = alice_api.get(f"/api/v1/channels/{data['id']}").json()["data"]
    assert "signing_secret" not in shown
    assert shown["inbound_url"] == data["inbound_url"]


def test_a_web_channel_has_no_inbound_url(alice_api):
    data = create(alice_api, name="Widget", type="web").json()["data"]
    assert data["inbound_url"] is None
    assert data["token"]


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({"name": "x", "type": "sms"}, "type"),
        ({"type": "generic"}, "name"),
        ({"name": "x", "type": "generic", "settings": {"callback_url": "ftp://example.com"}}, "settings.callback_url"),
        ({"name": "x", "type": "generic", "settings": {"callback_url": "http://169.254.169.254/"}},
         "settings.callback_url"),
        ({"name": "x", "type": "generic", "settings": {"color": "red"}}, "settings.color"),
        ({"name": "x", "type": "whatsapp", "settings": {}}, "settings.phone_number_id"),
        ({"name": "x", "type": "web", "settings": {"allowed_origins": "everything"}}, "settings.allowed_origins"),
        ({"name": "x", "type": "generic", "default_workflow_id": "wf_nope"}, "default_workflow_id"),
        ({"name": "x", "type": "generic", "rate_limit_per_minute": 0}, "rate_limit_per_minute"),
    ],
)
def test_bad_channels_are_refused_with_the_field(alice_api, body, field):
    answer = create(alice_api, **body)
    assert answer.status_code == 400, answer.content
    assert answer.json()["error"]["field"] == field
    assert not Channel.objects.exists()


def test_a_second_channel_with_the_same_name_is_a_conflict(alice_api):
    create(alice_api, name="Support", type="web")
    assert create(alice_api, name="Support", type="generic").status_code == 409


def test_patch_changes_fields_and_merges_settings_but_not_the_type(alice_api, acme, alice):
    workflow = live_workflow(acme.default_project, alice, "Default", chat_flow(reply("r", "hi")))
    channel_id = create(alice_api, name="Partner", type="generic").json()["data"]["id"]

    answer = alice_api.patch(
        f"/api/v1/channels/{channel_id}",
        {"fallback_reply": "Sorry?", "default_workflow_id": workflow.id, "settings": {"callback_url": "https://a.example.com/x"}},
        format="json",
    )
    assert answer.status_code == 200, answer.content
    data = answer.json()["data"]
    assert (data["fallback_reply"], data["default_workflow_id"]) == ("Sorry?", workflow.id)
    assert data["settings"] == {"callback_url": "https://a.example.com/x"}

    refused = alice_api.patch(f"/api/v1/channels/{channel_id}", {"type": "web"}, format="json")
    assert refused.status_code == 400 and refused.json()["error"]["field"] == "type"


def test_delete_removes_the_channel_and_its_address(alice_api):
    data = create(alice_api, name="Partner", type="generic").json()["data"]
    assert alice_api.delete(f"/api/v1/channels/{data['id']}").status_code == 204
    assert alice_api.get(f"/api/v1/channels/{data['id']}").status_code == 404
    path = data["inbound_url"].removeprefix("http://testserver")
    assert alice_api.post(path, {"from": "a", "text": "hi"}, format="json").status_code == 404


def test_an_inactive_channel_takes_no_messages(alice_api):
    data = create(alice_api, name="Partner", type="generic", active=False).json()["data"]
    path = data["inbound_url"].removeprefix("http://testserver")
    answer = alice_api.post(path, {"from": "a", "text": "hi"}, format="json")
    assert answer.status_code == 404
    assert answer.json()["error"]["code"] == "NOT_FOUND"


def test_conversations_are_listed_filtered_and_shown_with_messages(alice_api, acme, alice):
    live_workflow(acme.default_project, alice, "Help", chat_flow(reply("r", "hi"), trigger={"keywords": ["help"]}))
    first_id = create(alice_api, name="One", type="generic").json()["data"]["id"]
    second_id = create(alice_api, name="Two", type="generic", fallback_reply="?").json()["data"]["id"]
    one, two = Channel.objects.get(pk=first_id), Channel.objects.get(pk=second_id)
    started = receive(one, "ann", "help")
    receive(two, "bob", "hello")

    listed = alice_api.get("/api/v1/conversations").json()["data"]
    assert {c["customer_id"] for c in listed} == {"ann", "bob"}
    by_channel = alice_api.get("/api/v1/conversations", {"channel": first_id}).json()["data"]
    assert [c["customer_id"] for c in by_channel] == ["ann"]
    assert [c["customer_id"] for c in alice_api.get("/api/v1/conversations", {"customer": "bob"}).json()["data"]] == [
        "bob"
    ]
    assert alice_api.get("/api/v1/conversations", {"status": "closed"}).json()["data"] == []
    assert alice_api.get("/api/v1/conversations", {"status": "asleep"}).status_code == 400

    detail = alice_api.get(f"/api/v1/conversations/{started.conversation.id}").json()["data"]
    assert detail["execution_id"] == started.execution.id
    assert [(m["direction"], m["text"], m["execution_id"]) for m in detail["messages"]] == [
        ("in", "help", started.execution.id)
    ]

    executions = alice_api.get("/api/v1/executions", {"channel": first_id}).json()["data"]
    assert [e["id"] for e in executions] == [started.execution.id]
    assert executions[0]["customer_id"] == "ann"
    assert alice_api.get("/api/v1/executions", {"customer_id": "nobody"}).json()["data"] == []


def test_metrics_count_conversations_messages_and_runs(alice_api, acme, alice):
    live_workflow(acme.default_project, alice, "Help", chat_flow(reply("r", "hi"), trigger={"keywords": ["help"]}))
    channel_id = create(alice_api, name="One", type="generic", fallback_reply="?").json()["data"]["id"]
    channel = Channel.objects.get(pk=channel_id)
    receive(channel, "ann", "help")
    receive(channel, "bob", "hello")

    metrics = alice_api.get(f"/api/v1/channels/{channel_id}/metrics").json()["data"]
    assert metrics == {
        "conversations": 2, "waiting_conversations": 0, "messages_in": 2, "messages_out": 1,
        "failed_messages": 0, "runs": 1,
    }  # fmt: skip
    assert Execution.objects.filter(channel=channel_id).count() == 1


def test_another_organization_sees_nothing(alice_api, charlie_api, acme):
    channel_id = create(alice_api, name="One", type="generic", fallback_reply="?").json()["data"]["id"]
    receive(Channel.objects.get(pk=channel_id), "ann", "hello")
    conversation_id = alice_api.get("/api/v1/conversations").json()["data"][0]["id"]

    assert charlie_api.get("/api/v1/channels").json()["data"] == []
    assert charlie_api.get(f"/api/v1/channels/{channel_id}").status_code == 404
    assert charlie_api.patch(f"/api/v1/channels/{channel_id}", {"name": "mine"}, format="json").status_code == 404
    assert charlie_api.delete(f"/api/v1/channels/{channel_id}").status_code == 404
    assert charlie_api.get(f"/api/v1/channels/{channel_id}/metrics").status_code == 404
    assert charlie_api.get("/api/v1/conversations").json()["data"] == []
    assert charlie_api.get(f"/api/v1/conversations/{conversation_id}").status_code == 404


def test_a_viewer_reads_but_cannot_write(acme, bob_viewer, make_key, api_client_for, alice_api):
    create(alice_api, name="One", type="web")
    _, plaintext = make_key(acme, "viewer")
    viewer = api_client_for(plaintext)
    assert viewer.get("/api/v1/channels").status_code == 200
    assert create(viewer, name="Two", type="web").status_code == 403
