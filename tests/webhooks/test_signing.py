"""The signature helpers, and the receiver snippet in README.md run against them."""

from __future__ import annotations

import re
import time
from pathlib import Path

import pytest
from standardwebhooks import Webhook

from webhooks.signing import generate_secret, sign_workflows, signature_headers

README = Path(__file__).resolve().parents[2] / "README.md"


def readme_verifier():
    text = README.read_text()
    section = text[text.index("## Receiving outbound webhooks") :]
    code = re.search(r"```python\n(.*?)```", section, re.S).group(1)
    namespace: dict = {}
    exec(code, namespace)  # noqa: S102 - our own documentation, checked so it stays correct
    return namespace["verify_workflows_signature"]


def test_the_readme_snippet_accepts_a_fresh_signature_and_refuses_tampering_and_replays():
    verify = readme_verifier()
    secret, body, now = generate_secret(), b'{"type":"form.submitted"}', int(time.time())

    assert verify(secret, body, sign_workflows(secret, body, now))
    assert not verify(secret, body + b" ", sign_workflows(secret, body, now))
    assert not verify(generate_secret(), body, sign_workflows(secret, body, now))
    assert not verify(secret, body, sign_workflows(secret, body, now - 301))
    assert not verify(secret, body, "v1=abc")


def test_the_standard_headers_verify_with_the_official_library():
    secret, body = generate_secret(), b'{"a":1}'
    headers = signature_headers(
        secret, delivery_id="dlv_1", event_type="form.submitted", body=body, timestamp=int(time.time())
    )
    assert Webhook(secret).verify(body, headers) == {"a": 1}


def test_secrets_are_random_and_in_the_whsec_form():
    first, second = generate_secret(), generate_secret()
    assert first != second
    assert first.startswith("whsec_") and len(first) == len("whsec_") + 32


def test_the_signing_secret_is_sealed_in_the_vault_not_stored_in_clear(acme, alice):
    from integrations.vault import VaultError
    from tests.accounts.test_api_keys import all_text_in_database
    from webhooks.models import WebhookSubscription
    from webhooks.services import create_subscription

    created = create_subscription(acme.default_project, url="https://example.com/hook", events=["form.submitted"])
    assert created.secret not in all_text_in_database()
    assert WebhookSubscription.objects.get(pk=created.subscription.pk).signing_secret == created.secret
    # Bound to its row: copied onto another subscription, it does not open.
    other = create_subscription(acme.default_project, url="https://example.com/other", events=["form.submitted"])
    stolen = WebhookSubscription.objects.get(pk=other.subscription.pk)
    source = created.subscription
    stolen.ciphertext, stolen.nonce, stolen.key_id = source.ciphertext, source.nonce, source.key_id
    with pytest.raises(VaultError):
        stolen.signing_secret  # noqa: B018 - reading it is the test
