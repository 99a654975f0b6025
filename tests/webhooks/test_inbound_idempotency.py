"""`Idempotency-Key` on `/hooks/<token>`: a sender's retry gets the run its first call started."""

from __future__ import annotations

import json

import pytest
from django.test import Client

from tests.webhooks.inbound_support import live_hook
from workflows.models import Execution

pytestmark = pytest.mark.django_db


def call(token: str, body: dict, key: str | None):
    headers = {"Idempotency-Key": key} if key is not None else {}
    return Client().post(f"/hooks/{token}", data=json.dumps(body), content_type="application/json", headers=headers)


def test_a_retried_hook_call_with_the_same_key_gets_the_same_run(acme, alice):
    workflow, token = live_hook(acme.default_project, alice)
    first = call(token, {"lead": 1}, "delivery-7")
    again = call(token, {"lead": 1}, "delivery-7")
    assert (first.status_code, again.status_code) == (202, 202)
    assert again.json()["execution_id"] == first.json()["execution_id"]
    assert again["Idempotent-Replayed"] == "true"
    assert Execution.objects.filter(workflow=workflow).count() == 1


def test_a_hook_key_reused_with_another_body_is_409_and_a_bad_key_400(acme, alice):
    workflow, token = live_hook(acme.default_project, alice)
    call(token, {"lead": 1}, "delivery-7")
    conflict = call(token, {"lead": 2}, "delivery-7")
    assert conflict.status_code == 409 and conflict.json()["error"]["code"] == "CONFLICT"
    too_long = call(token, {"lead": 3}, "k" * 256)
    assert too_long.status_code == 400 and "at most 255" in too_long.json()["error"]["message"]
    assert call(token, {"lead": 1}, None).status_code == 202
    assert Execution.objects.filter(workflow=workflow).count() == 2
