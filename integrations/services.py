"""Integration actions: each one validates, writes in a transaction and audits.

Secrets enter here and leave only towards the systems they unlock: audit details carry
field names, never values, and every error message names the field and the rule only.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from django.conf import settings
from django.db import IntegrityError, transaction
from django.db.models import F, ProtectedError
from django.utils import timezone

from accounts.models import Project
from accounts.services import ConflictError, record_audit
from flowbuilder.revisions import locked_row
from integrations import addresses, credential_types
from integrations.models import Connection, ConnectionKind, Credential, CredentialType
from integrations.sql import DatabaseTarget
from integrations.sql_errors import ConnectionCheck, QueryFailed

INVALID_SETTINGS = "INVALID_SETTINGS"

SQL_KINDS = {ConnectionKind.POSTGRESQL, ConnectionKind.MYSQL}
HTTP_AUTH_TYPES = {CredentialType.API_KEY, CredentialType.BEARER, CredentialType.BASIC, CredentialType.OAUTH2_TOKEN}
CONNECTION_FIELDS = [
    "name",
    "host",
    "port",
    "database",
    "username",
    "ssl_mode",
    "base_url",
    "credential",
    "statement_timeout_ms",
    "row_limit",
    "ai_excluded",
]


class InvalidInput(Exception):
    """The input is well-formed but wrong for this type (HTTP 400)."""

    def __init__(self, message: str, *, field: str | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.field = field


def _who(actor, api_key) -> dict[str, Any]:
    return {"actor": actor, "api_key": api_key}


def _request_path(type_name: str, field: str) -> str:
    """Where the caller put (or should put) a field: `secret.key` or `metadata.username`."""
    name = field.split(".")[0]
    part = "secret" if name in credential_types.secret_field_names(type_name) else "metadata"
    return f"{part}.{field}" if field else part


def _checked_fields(type_name: str, fields: Mapping[str, Any]) -> tuple[dict, dict]:
    fields = credential_types.with_defaults(type_name, {k: v for k, v in fields.items() if v is not None})
    problems = credential_types.field_problems(type_name, fields)
    if problems:
        field, message = problems[0]
        raise InvalidInput(message, field=_request_path(type_name, field))
    return credential_types.split_fields(type_name, fields)


def _save_unique(instance, what: str) -> None:
    try:
        with transaction.atomic():
            instance.save()
    except IntegrityError:
        raise ConflictError(f"A {what} named {instance.name!r} already exists in this project.") from None


# --- credentials ----------------------------------------------------------------------------


def create_credential(
    project: Project, *, name: str, type: str, fields: Mapping[str, Any], actor=None, api_key=None
) -> Credential:
    """Seal the secret fields, keep the rest as metadata. Fields are split by the type's schema."""
    metadata, secret = _checked_fields(type, fields)
    with transaction.atomic():
        credential = Credential(project=project, name=name, type=type, metadata=metadata, created_by=actor)
        credential.seal(secret)
        _save_unique(credential, "credential")
        record_audit(
            project.organization,
            "credential.created",
            project=project,
            target=credential,
            details={"name": name, "type": type},
            **_who(actor, api_key),
        )
    return credential


def update_credential(
    credential: Credential,
    *,
    name: str | None = None,
    fields: Mapping[str, Any] | None = None,
    expected_revisions=None,
    actor=None,
    api_key=None,
) -> Credential:
    """Rename and/or change fields; given fields replace stored ones, `null` removes one.

    `expected_revisions` (from If-Match) makes it conditional: StaleRevision when the row moved on.
    """
    fields = dict(fields or {})
    with transaction.atomic():
        credential = locked_row(
            Credential.objects.select_related("project__organization"), credential.pk, expected_revisions
        )
        changed = sorted(fields)
        if fields:
            current = {**credential.metadata, **credential.unseal()}
            merged = {key: value for key, value in {**current, **fields}.items() if value is not None}
            metadata, secret = _checked_fields(credential.type, merged)
            credential.metadata = metadata
            credential.seal(secret)
        if name is not None and name != credential.name:
            credential.name = name
            changed.append("name")
        _save_unique(credential, "credential")
        record_audit(
            credential.project.organization,
            "credential.updated",
            project=credential.project,
            target=credential,
            details={"name": credential.name, "changed_fields": changed},
            **_who(actor, api_key),
        )
    return credential


def delete_credential(credential: Credential, *, expected_revisions=None, actor=None, api_key=None) -> None:
    project, credential_id = credential.project, credential.id
    with transaction.atomic():
        credential = locked_row(Credential.objects.all(), credential_id, expected_revisions)
        try:
            credential.delete()
        except ProtectedError:
            names = ", ".join(sorted(conn.name for conn in credential.connections.all()))
            raise ConflictError(f"The credential is used by connection(s) {names}; change those first.") from None
        record_audit(
            project.organization,
            "credential.deleted",
            project=project,
            target_type="credential",
            target_id=credential_id,
            details={"name": credential.name, "type": credential.type},
            **_who(actor, api_key),
        )


def test_credential(credential: Credential) -> ConnectionCheck:
    """Try the credential where it can be tried (SMTP login, LLM model list); else check it decrypts."""
    from integrations import probes

    check = probes.probe_credential(credential)
    _store_test_result(credential, check)
    return check


test_credential.__test__ = False  # a service, not a pytest test


# --- connections ----------------------------------------------------------------------------


def _check_connection_fields(project: Project, kind: str, values: dict[str, Any]) -> None:
    if kind == ConnectionKind.DATASETS:
        return  # built in: only its name, limits and ai_excluded change
    credential = values.get("credential")
    if credential is not None:
        if credential.project_id != project.id:
            raise InvalidInput("No such credential in this project.", field="credential_id")
        wanted = {CredentialType.DATABASE} if kind in SQL_KINDS else HTTP_AUTH_TYPES
        if credential.type not in wanted:
            raise InvalidInput(
                f"A {kind} connection takes a {' or '.join(sorted(wanted))} credential.", field="credential_id"
            )
    if kind in SQL_KINDS:
        for name in ("host", "database"):
            if not values.get(name):
                raise InvalidInput(f"A {kind} connection needs {name}.", field=name)
        if not values.get("username") and credential is None:
            raise InvalidInput("Give a username (and password) or a database credential.", field="username")
    elif not values.get("base_url"):
        raise InvalidInput("A REST connection needs base_url.", field="base_url")


def create_connection(
    project: Project, *, kind: str, values: Mapping[str, Any], password: str | None = None, actor=None, api_key=None
) -> Connection:
    values = {key: value for key, value in values.items() if key in CONNECTION_FIELDS and value is not None}
    if kind == ConnectionKind.DATASETS:
        raise InvalidInput(
            "The Datasets connection is built in: upload a file with POST /datasets and it appears.", field="kind"
        )
    _check_connection_fields(project, kind, values)
    with transaction.atomic():
        connection = Connection(project=project, kind=kind, created_by=actor, **values)
        connection.seal({"password": password} if password else None)
        _save_unique(connection, "connection")
        record_audit(
            project.organization,
            "connection.created",
            project=project,
            target=connection,
            details={"name": connection.name, "kind": kind},
            **_who(actor, api_key),
        )
    return connection


def update_connection(
    connection: Connection,
    *,
    values: Mapping[str, Any],
    password: str | None = None,
    expected_revisions=None,
    actor=None,
    api_key=None,
) -> Connection:
    """Change fields; `password` replaces the stored one, an empty string removes it.

    `expected_revisions` (from If-Match) makes it conditional: StaleRevision when the row moved on.
    """
    values = {key: value for key, value in values.items() if key in CONNECTION_FIELDS}
    with transaction.atomic():
        connection = locked_row(
            Connection.objects.select_related("project__organization"), connection.pk, expected_revisions
        )
        for key, value in values.items():
            setattr(connection, key, value)
        current = {name: getattr(connection, name) for name in CONNECTION_FIELDS}
        _check_connection_fields(connection.project, connection.kind, current)
        changed = sorted(values)
        if password is not None:
            connection.seal({"password": password} if password else None)
            changed.append("password")
        _save_unique(connection, "connection")
        record_audit(
            connection.project.organization,
            "connection.updated",
            project=connection.project,
            target=connection,
            details={"name": connection.name, "changed_fields": changed},
            **_who(actor, api_key),
        )
    return connection


def delete_connection(connection: Connection, *, expected_revisions=None, actor=None, api_key=None) -> None:
    project, connection_id = connection.project, connection.id
    if connection.kind == ConnectionKind.DATASETS:
        raise ConflictError("The Datasets connection is built in and stays; delete datasets under /datasets instead.")
    with transaction.atomic():
        connection = locked_row(Connection.objects.all(), connection_id, expected_revisions)
        connection.delete()
        record_audit(
            project.organization,
            "connection.deleted",
            project=project,
            target_type="connection",
            target_id=connection_id,
            details={"name": connection.name, "kind": connection.kind},
            **_who(actor, api_key),
        )


def database_target(connection: Connection) -> DatabaseTarget:
    """Where and as whom to connect; the password comes out of the vault only here."""
    if connection.kind == ConnectionKind.DATASETS:  # the project's uploaded files, queried in-process
        return DatabaseTarget(
            kind=connection.kind, host="", port=None, database=connection.project_id, user="",
            statement_timeout_ms=connection.statement_timeout_ms, row_limit=connection.row_limit,
            max_result_bytes=settings.FLOWBUILDER_DB_MAX_RESULT_BYTES,
        )  # fmt: skip
    user, password = connection.username, connection.unseal().get("password", "")
    if connection.credential_id:
        login = {**connection.credential.metadata, **connection.credential.unseal()}
        user, password = login.get("username") or user, login.get("password", "")
    # A driver would raise UnicodeError deep inside; say which setting it cannot send instead.
    if problem := addresses.target_problem(connection.kind, connection.host, password):
        raise QueryFailed(INVALID_SETTINGS, f"{problem[0]}: {problem[1]}")
    return DatabaseTarget(
        kind=connection.kind,
        host=connection.host,
        port=connection.port,
        database=connection.database,
        user=user,
        password=password,
        ssl_mode=connection.ssl_mode,
        statement_timeout_ms=connection.statement_timeout_ms,
        row_limit=connection.row_limit,
        max_result_bytes=settings.FLOWBUILDER_DB_MAX_RESULT_BYTES,
    )


def test_connection(connection: Connection) -> ConnectionCheck:
    from integrations import probes

    check = probes.probe_connection(connection)
    _store_test_result(connection, check)
    return check


test_connection.__test__ = False


def _store_test_result(instance: Credential | Connection, check: ConnectionCheck) -> None:
    # A test result is part of what GET shows, so it is a new revision like any other write.
    type(instance).objects.filter(pk=instance.pk).update(
        last_tested_at=timezone.now(),
        last_test_ok=check.ok,
        last_test_message=check.message[:500],
        revision=F("revision") + 1,
    )
    instance.last_tested_at, instance.last_test_ok = timezone.now(), check.ok
    instance.last_test_message = check.message[:500]
