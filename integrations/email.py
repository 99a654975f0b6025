"""Sending one email: through an SMTP credential, or the site's Django email backend."""

from __future__ import annotations

import email.message
import email.utils
import smtplib
import socket
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from flowbuilder.network import AddressBlocked, HostNotResolved, checked_address


class EmailError(Exception):
    def __init__(self, code: str, message: str, *, retryable: bool = False) -> None:
        super().__init__(message)
        self.code = code
        self.message = message
        self.retryable = retryable


class GuardedSMTP(smtplib.SMTP):
    """smtplib.SMTP that connects only to an address the network guard passed.

    The connection goes to the checked address; the name stays in `_host`, so STARTTLS
    still verifies the server's certificate for the name.
    """

    def _get_socket(self, host, port, timeout):
        address = checked_address(host, port)
        return socket.create_connection((address, port), timeout, self.source_address)


def smtp_refusal(error: AddressBlocked | HostNotResolved, where: str) -> tuple[str, str]:
    """(code, message) when the network guard refused or could not resolve the SMTP host."""
    if isinstance(error, AddressBlocked):
        return "ADDRESS_BLOCKED", f"Address blocked: {error}"
    return "EMAIL_UNREACHABLE", f"Could not send through {where}: the host does not resolve."


@dataclass(frozen=True)
class OutgoingEmail:
    to: Sequence[str]
    subject: str
    text: str = ""
    html: str = ""
    cc: Sequence[str] = field(default_factory=tuple)
    from_email: str = ""

    def check(self) -> None:
        if not self.to:
            raise EmailError("EMAIL_INVALID", "An email needs at least one `to` address.")
        for address in [*self.to, *self.cc, *([self.from_email] if self.from_email else [])]:
            _, parsed = email.utils.parseaddr(address)
            if "@" not in parsed or any(ch in address for ch in "\r\n"):
                raise EmailError("EMAIL_INVALID", f"{address!r} is not an email address.")
        if any(ch in self.subject for ch in "\r\n"):
            raise EmailError("EMAIL_INVALID", "The subject must be one line.")
        if not (self.text or self.html):
            raise EmailError("EMAIL_INVALID", "An email needs a text or an HTML body.")


def build_message(outgoing: OutgoingEmail, from_email: str) -> email.message.EmailMessage:
    message = email.message.EmailMessage()
    message["From"] = from_email
    message["To"] = ", ".join(outgoing.to)
    if outgoing.cc:
        message["Cc"] = ", ".join(outgoing.cc)
    message["Subject"] = outgoing.subject
    message["Date"] = email.utils.formatdate(localtime=False)
    message["Message-ID"] = email.utils.make_msgid(domain=from_email.rpartition("@")[2] or None)
    message.set_content(outgoing.text or "This message has an HTML body.")
    if outgoing.html:
        message.add_alternative(outgoing.html, subtype="html")
    return message


def send_via_smtp(outgoing: OutgoingEmail, smtp: Mapping[str, Any], *, timeout: float = 20) -> dict[str, Any]:
    """Send with an SMTP credential's fields (host, port, username, password, starttls, from_email)."""
    outgoing.check()
    from_email = outgoing.from_email or smtp["from_email"]
    message = build_message(outgoing, from_email)
    where = f"{smtp['host']}:{smtp.get('port', 587)}"
    try:
        with GuardedSMTP(smtp["host"], int(smtp.get("port", 587)), timeout=timeout) as server:
            if smtp.get("starttls"):
                server.starttls()
            if smtp.get("username"):
                server.login(smtp["username"], smtp.get("password", ""))
            refused = server.send_message(message, to_addrs=[*outgoing.to, *outgoing.cc])
    except (AddressBlocked, HostNotResolved) as error:
        code, text = smtp_refusal(error, where)
        raise EmailError(code, text, retryable=code != "ADDRESS_BLOCKED") from None
    except smtplib.SMTPAuthenticationError:
        raise EmailError("EMAIL_AUTH", f"Bad credentials: {where} refused the login.") from None
    except smtplib.SMTPNotSupportedError:
        raise EmailError("EMAIL_TLS", f"{where} does not offer STARTTLS.") from None
    except smtplib.SMTPRecipientsRefused:
        raise EmailError("EMAIL_REFUSED", f"{where} refused every recipient.") from None
    except (OSError, smtplib.SMTPException) as error:
        raise EmailError(
            "EMAIL_UNREACHABLE", f"Could not send through {where}: {type(error).__name__}.", retryable=True
        ) from None
    accepted = [address for address in [*outgoing.to, *outgoing.cc] if address not in refused]
    return {"message_id": message["Message-ID"], "accepted": accepted, "refused": sorted(refused)}


def send_via_django(outgoing: OutgoingEmail) -> dict[str, Any]:
    """Send with the site's configured Django email backend."""
    from django.conf import settings
    from django.core.mail import EmailMultiAlternatives

    outgoing.check()
    message = EmailMultiAlternatives(
        subject=outgoing.subject,
        body=outgoing.text or "This message has an HTML body.",
        from_email=outgoing.from_email or settings.DEFAULT_FROM_EMAIL,
        to=list(outgoing.to),
        cc=list(outgoing.cc),
    )
    if outgoing.html:
        message.attach_alternative(outgoing.html, "text/html")
    try:
        sent = message.send()
    except (OSError, smtplib.SMTPException) as error:
        raise EmailError(
            "EMAIL_UNREACHABLE", f"The site's mail backend failed: {type(error).__name__}.", retryable=True
        ) from None
    return {
        "message_id": message.extra_headers.get("Message-ID", ""),
        "accepted": [*outgoing.to, *outgoing.cc] if sent else [],
    }
