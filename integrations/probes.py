"""Trying a credential or a connection for real, and saying in plain words what happened."""

from __future__ import annotations

import smtplib

from flowbuilder.network import AddressBlocked, HostNotResolved
from integrations import sql
from integrations.email import GuardedSMTP, smtp_refusal
from integrations.models import Connection, ConnectionKind, Credential, CredentialType
from integrations.sql_errors import ConnectionCheck
from integrations.vault import VaultError


def guarded_http_client():
    """The one outbound HTTP client: private and metadata addresses refused unless allow-listed."""
    from flowbuilder.network import allow_list
    from workflows.engine import GuardedHttpClient

    return GuardedHttpClient(allow_list=allow_list())


def probe_connection(connection: Connection) -> ConnectionCheck:
    from integrations.services import database_target

    try:
        if connection.kind == ConnectionKind.REST:
            from integrations.runtime import http_auth_for

            headers = http_auth_for(connection.credential).headers if connection.credential_id else {}
            return _probe_url(connection.base_url, headers)
        return sql.check_connection(database_target(connection))
    except VaultError as error:
        return ConnectionCheck(ok=False, code="VAULT_ERROR", message=str(error))
    except sql.QueryFailed as failure:  # settings the driver cannot send (services.database_target)
        return ConnectionCheck(ok=False, code=failure.code, message=failure.message)


def probe_credential(credential: Credential) -> ConnectionCheck:
    try:
        fields = {**credential.metadata, **credential.unseal()}
    except VaultError as error:
        return ConnectionCheck(ok=False, code="VAULT_ERROR", message=str(error))
    if credential.type == CredentialType.SMTP:
        return _probe_smtp(fields)
    if credential.type == CredentialType.LLM:
        from integrations.llm import models_url_and_headers

        url, headers = models_url_and_headers(fields)
        return _probe_url(url, headers)
    return ConnectionCheck(ok=True, code="OK", message="Stored and decrypts; it is tried when a node uses it.")


def _probe_url(url: str, headers: dict[str, str]) -> ConnectionCheck:
    from workflows.engine.http_client import BlockedAddressError, HttpClientError

    client = guarded_http_client()
    try:
        response = client.request("GET", url, headers=headers, timeout_seconds=10)
    except BlockedAddressError as error:
        return ConnectionCheck(ok=False, code="ADDRESS_BLOCKED", message=f"Address blocked: {error}")
    except HttpClientError as error:
        code = "TIMEOUT" if "timed out" in str(error) else "UNREACHABLE"
        return ConnectionCheck(ok=False, code=code, message=f"Could not reach {url}: {error}")
    finally:
        client.close()
    if response.status in (401, 403):
        return ConnectionCheck(
            ok=False, code="BAD_CREDENTIALS", message=f"Bad credentials: {url} answered HTTP {response.status}."
        )
    if response.status >= 500:
        return ConnectionCheck(ok=False, code="SERVER_ERROR", message=f"{url} answered HTTP {response.status}.")
    return ConnectionCheck(ok=True, code="OK", message=f"{url} answered HTTP {response.status}.")


def _probe_smtp(fields: dict) -> ConnectionCheck:
    where = f"{fields['host']}:{fields.get('port', 587)}"
    try:
        with GuardedSMTP(fields["host"], int(fields.get("port", 587)), timeout=10) as server:
            if fields.get("starttls"):
                server.starttls()
            if fields.get("username"):
                server.login(fields["username"], fields.get("password", ""))
            server.noop()
    except (AddressBlocked, HostNotResolved) as error:
        code, message = smtp_refusal(error, where)
        return ConnectionCheck(ok=False, code=code, message=message)
    except smtplib.SMTPAuthenticationError:
        return ConnectionCheck(ok=False, code="BAD_CREDENTIALS", message=f"Bad credentials: {where} refused the login.")
    except smtplib.SMTPNotSupportedError:
        return ConnectionCheck(ok=False, code="SSL_UNAVAILABLE", message=f"{where} does not offer STARTTLS.")
    except TimeoutError:
        return ConnectionCheck(ok=False, code="TIMEOUT", message=f"Timeout: {where} did not answer in time.")
    except (OSError, smtplib.SMTPException) as error:
        return ConnectionCheck(
            ok=False, code="UNREACHABLE", message=f"Could not talk to {where}: {type(error).__name__}."
        )
    return ConnectionCheck(ok=True, code="OK", message=f"Logged in to {where}.")
