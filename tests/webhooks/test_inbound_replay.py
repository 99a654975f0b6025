"""Issue 14 item 6: signed inbound hooks carry a timestamp, ids are not replayable, tokens are hashed."""

from __future__ import annotations

import datetime as dt
import time

import pytest
from django.db import connection
from django.test import Client
from standardwebhooks.webhooks import Webhook

from integrations.services import create_credential
from tests.webhooks.inbound_support import hook_flow, live_hook
from webhooks.models import InboundHook
from workflows.models import Execution

pytestmark = pytest.mark.django_db

SECRET = "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw"
BODY = '{"event":"order.paid","n":1}'


@pytest.fixture
def signed_hook(acme, alice):
    credential = create_credential(acme.default_project, name="Sender", type="hmac_secret", fields={"secret": SECRET})
    return live_hook(acme.default_project, alice, config={"hmac_secret": credential.id})


def standard_headers(message_id: str, when: dt.datetime, body: str = BODY) -> dict[str, str]:
    """Signed by the official standardwebhooks library, not by our own code."""
    signature = Webhook(SECRET).sign(message_id, when, body)
    return {"webhook-id": message_id, "webhook-timestamp": str(int(when.timestamp())), "webhook-signature": signature}


def send(token: str, headers: dict[str, str], body: str = BODY):
    return Client().post(f"/hooks/{token}", data=body, content_type="application/json", headers=headers)


def now() -> dt.datetime:
    return dt.datetime.fromtimestamp(int(time.time()), tz=dt.UTC)


def test_a_valid_standard_webhooks_request_is_accepted(signed_hook):
    workflow, token = signed_hook
    answer = send(token, standard_headers("msg_1", now()))
    assert answer.status_code == 202, answer.content
    assert Execution.objects.filter(workflow=workflow).count() == 1


def test_a_replayed_webhook_id_is_refused(signed_hook):
    workflow, token = signed_hook
    headers = standard_headers("msg_2", now())
    assert send(token, headers).status_code == 202
    replay = send(token, headers)
    assert replay.status_code == 401
    assert replay.json()["error"]["code"] == "INVALID_SIGNATURE"
    assert "replay" in replay.json()["error"]["message"]
    assert Execution.objects.filter(workflow=workflow).count() == 1


# In the past the margin only grows while the test runs; a future timestamp shrinks toward the
# window with every second the request takes (301 s failed when building and checking straddled
# a second), so it stands a minute outside.
@pytest.mark.parametrize("offset", [-301, 360, -3600])
def test_a_timestamp_outside_five_minutes_is_refused(signed_hook, offset):
    workflow, token = signed_hook
    answer = send(token, standard_headers(f"msg_{offset}", now() + dt.timedelta(seconds=offset)))
    assert answer.status_code == 401
    assert "webhook-timestamp" in answer.json()["error"]["message"]
    assert not Execution.objects.filter(workflow=workflow).exists()


def test_a_wrong_signature_is_refused_and_does_not_burn_the_id(signed_hook):
    _, token = signed_hook
    good = standard_headers("msg_3", now())
    forged = {**good, "webhook-signature": Webhook("whsec_" + "A" * 32).sign("msg_3", now(), BODY)}
    assert send(token, forged).status_code == 401
    assert send(token, good, body=BODY).status_code == 202


def test_hook_tokens_are_not_stored_in_plain_text(signed_hook):
    _, token = signed_hook
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT * FROM {InboundHook._meta.db_table}")
        rows = cursor.fetchall()
    assert rows
    dumped = repr(rows)
    assert token not in dumped
    assert token.encode() not in b"".join(bytes(v) for row in rows for v in row if isinstance(v, memoryview))
    hook = InboundHook.objects.get()
    assert hook.token == token  # the owner can still be shown the URL


def test_a_plain_secret_in_the_definition_is_refused_by_validation(alice_api):
    definition = hook_flow({"methods": ["POST"], "hmac_secret": "inline-shared-secret"})
    answer = alice_api.post("/api/v1/workflows", {"name": "Plain", "definition": definition}, format="json")
    assert answer.status_code in (400, 422), answer.content
    error = answer.json()["error"]
    assert "credential" in repr(error)
    assert "inline-shared-secret" not in repr(error)
