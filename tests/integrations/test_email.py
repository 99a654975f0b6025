"""email sending against a real SMTP server (aiosmtpd) on loopback, and Django's backend."""

from __future__ import annotations

import email
import email.policy

import pytest
from aiosmtpd.controller import Controller
from aiosmtpd.smtp import AuthResult

from integrations.email import EmailError, OutgoingEmail, send_via_django, send_via_smtp
from tests.integrations.conftest import closed_port

SMTP_USER, SMTP_PASSWORD = "mailer", "smtp-pw-never-logged"


class Inbox:
    def __init__(self) -> None:
        self.envelopes = []

    async def handle_DATA(self, server, session, envelope):  # noqa: N802 (aiosmtpd's hook name)
        self.envelopes.append(envelope)
        return "250 OK"


def check_login(server, session, envelope, mechanism, auth_data):
    ok = auth_data.login == SMTP_USER.encode() and auth_data.password == SMTP_PASSWORD.encode()
    return AuthResult(success=ok, handled=False)


@pytest.fixture
def smtp_server():
    inbox = Inbox()
    controller = Controller(
        inbox, hostname="127.0.0.1", port=closed_port(), authenticator=check_login, auth_require_tls=False
    )
    controller.start()
    yield inbox, controller.port
    controller.stop()


def smtp_fields(port: int, **overrides) -> dict:
    fields = {"host": "127.0.0.1", "port": port, "username": SMTP_USER, "password": SMTP_PASSWORD}
    return {**fields, "starttls": False, "from_email": "flows@acme.test", **overrides}


def test_an_email_with_text_html_and_cc_is_delivered_over_smtp(smtp_server):
    inbox, port = smtp_server
    outgoing = OutgoingEmail(
        to=["ada@example.test"],
        cc=["grace@example.test"],
        subject="Weekly report",
        text="Plain body",
        html="<p>HTML <b>body</b></p>",
    )
    result = send_via_smtp(outgoing, smtp_fields(port))
    assert result["accepted"] == ["ada@example.test", "grace@example.test"]
    envelope = inbox.envelopes[0]
    assert envelope.mail_from == "flows@acme.test"
    assert sorted(envelope.rcpt_tos) == ["ada@example.test", "grace@example.test"]
    message = email.message_from_bytes(envelope.content, policy=email.policy.default)
    assert message["Subject"] == "Weekly report" and message["Cc"] == "grace@example.test"
    assert message.get_body(("plain",)).get_content().strip() == "Plain body"
    assert "<b>body</b>" in message.get_body(("html",)).get_content()


def test_a_wrong_smtp_password_is_a_clear_error_without_the_password(smtp_server):
    _, port = smtp_server
    with pytest.raises(EmailError) as caught:
        send_via_smtp(OutgoingEmail(to=["a@b.test"], subject="s", text="t"), smtp_fields(port, password="nope-123"))
    assert caught.value.code == "EMAIL_AUTH"
    assert "nope-123" not in caught.value.message


def test_asking_for_starttls_from_a_server_without_it_says_so(smtp_server):
    _, port = smtp_server
    with pytest.raises(EmailError) as caught:
        send_via_smtp(OutgoingEmail(to=["a@b.test"], subject="s", text="t"), smtp_fields(port, starttls=True))
    assert caught.value.code == "EMAIL_TLS"


@pytest.mark.parametrize(
    "outgoing",
    [
        OutgoingEmail(to=[], subject="s", text="t"),
        OutgoingEmail(to=["not-an-address"], subject="s", text="t"),
        OutgoingEmail(to=["a@b.test"], subject="two\nlines", text="t"),
        OutgoingEmail(to=["a@b.test"], subject="no body"),
    ],
)
def test_bad_messages_are_refused_before_connecting(outgoing):
    with pytest.raises(EmailError) as caught:
        send_via_smtp(outgoing, smtp_fields(1))
    assert caught.value.code == "EMAIL_INVALID"


def test_without_a_credential_the_sites_email_backend_sends_it(mailoutbox):
    send_via_django(OutgoingEmail(to=["ada@example.test"], subject="Hi", text="Text", html="<p>Html</p>"))
    assert len(mailoutbox) == 1
    assert mailoutbox[0].alternatives[0][1] == "text/html"
