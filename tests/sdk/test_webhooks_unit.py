"""The SDK's webhook helpers verify exactly what the server signs (webhooks/signing.py), and nothing else."""

from __future__ import annotations

import json
import time
from datetime import UTC, datetime

import flowbuilder_sdk as sdk
import pytest
from flowbuilder_sdk import webhooks
from standardwebhooks.webhooks import Webhook

from webhooks.signing import generate_secret, signature_headers

SECRET = generate_secret()
BODY = json.dumps({"id": "dlv_1", "type": "workflow.executed", "timestamp": "2026-11-30T00:00:00+00:00",
                   "data": {"execution_id": "exec_1", "workflow_id": "wf_1", "status": "completed",
                            "output": {"ok": True}, "duration_ms": 12, "attempts": 1}}).encode()  # fmt: skip


def signed(body: bytes = BODY, *, at: int | None = None) -> dict[str, str]:
    return signature_headers(SECRET, delivery_id="dlv_1", event_type="workflow.executed", body=body,
                             timestamp=int(time.time()) if at is None else at)  # fmt: skip


def test_a_delivery_signed_by_the_server_is_verified_and_typed():
    event = webhooks.construct_event(BODY, signed(), SECRET)
    assert (event.id, event.type) == ("dlv_1", "workflow.executed")
    assert isinstance(event.data, webhooks.ExecutionEventData)
    assert (event.data.execution_id, event.data.output, event.data.extra) == ("exec_1", {"ok": True}, {"attempts": 1})


def test_header_names_are_case_insensitive():
    headers = {name.upper(): value for name, value in signed().items()}
    webhooks.verify(SECRET, BODY, headers)


@pytest.mark.parametrize("scheme", ["X-WorkFlows-Signature", "webhook-signature"])
def test_each_scheme_alone_is_checked(scheme):
    headers = signed()
    other = "webhook-signature" if scheme == "X-WorkFlows-Signature" else "X-WorkFlows-Signature"
    del headers[other]
    webhooks.verify(SECRET, BODY, headers)
    with pytest.raises(sdk.WebhookVerificationError):
        webhooks.verify(SECRET, BODY + b" ", headers)
    with pytest.raises(sdk.WebhookVerificationError):
        webhooks.verify(generate_secret(), BODY, headers)


def test_a_tampered_body_or_a_forged_signature_is_refused():
    headers = signed()
    with pytest.raises(sdk.WebhookVerificationError, match="does not match"):
        webhooks.construct_event(BODY.replace(b"completed", b"failed"), headers, SECRET)
    headers["webhook-signature"] = "v1,AAAA"
    with pytest.raises(sdk.WebhookVerificationError, match="webhook-signature"):
        webhooks.verify(SECRET, BODY, headers)


def test_an_old_or_future_timestamp_is_a_replay():
    with pytest.raises(sdk.WebhookVerificationError, match="from now"):
        webhooks.verify(SECRET, BODY, signed(at=int(time.time()) - 301))
    with pytest.raises(sdk.WebhookVerificationError, match="from now"):
        webhooks.verify(SECRET, BODY, signed(at=int(time.time()) + 301))
    webhooks.verify(SECRET, BODY, signed(at=int(time.time()) - 250), tolerance=300)
    webhooks.verify(SECRET, BODY, signed(at=1_000), now=1_100)


def test_unsigned_or_malformed_headers_are_refused():
    with pytest.raises(sdk.WebhookVerificationError, match="not a signed delivery"):
        webhooks.verify(SECRET, BODY, {"Content-Type": "application/json"})
    with pytest.raises(sdk.WebhookVerificationError, match="form"):
        webhooks.verify(SECRET, BODY, {"X-WorkFlows-Signature": "garbage"})
    with pytest.raises(sdk.WebhookVerificationError, match="webhook-id"):
        webhooks.verify(SECRET, BODY, {"webhook-signature": "v1,AAAA"})


def test_the_standard_webhooks_library_and_the_sdk_agree():
    """A signature made by the reference library verifies; one of several space-separated entries is enough."""
    moment = datetime.now(tz=UTC)
    signature = Webhook(SECRET).sign("msg_1", moment, BODY.decode())
    headers = {"webhook-id": "msg_1", "webhook-timestamp": str(int(moment.timestamp())),
               "webhook-signature": f"v1,bm90IGl0 {signature}"}  # fmt: skip
    webhooks.verify(SECRET, BODY, headers)
    Webhook(SECRET).verify(BODY, {k: v for k, v in signed().items() if k.startswith("webhook-")})


def test_a_body_that_is_not_an_event_is_refused_after_verification():
    with pytest.raises(sdk.WebhookVerificationError, match="not a Flowbuilder event"):
        webhooks.construct_event(b"[1, 2]", signed(b"[1, 2]"), SECRET)
    other = webhooks.parse_event(json.dumps({"id": "dlv_2", "type": "form.submitted", "data": {"a": 1}}))
    assert other.data == {"a": 1}
