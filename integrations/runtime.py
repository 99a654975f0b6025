"""What running nodes reach through `ctx.services`: credentials, connections, usage metering.

Everything is scoped to the execution's project, so a node can never name another
project's credential. Decrypted values go straight to the system they unlock and are
never part of a node's output (and so never of a stored step).
"""

from __future__ import annotations

import base64
from dataclasses import dataclass, field
from typing import Any

from django.conf import settings

from integrations.credential_types import HTTP_AUTH_TYPES
from integrations.models import Connection, Credential, CredentialType


class ResourceNotFound(LookupError):
    """No such credential or connection in the run's project, or not of the wanted type."""


@dataclass(frozen=True)
class HttpAuth:
    headers: dict[str, str] = field(default_factory=dict, repr=False)
    params: dict[str, str] = field(default_factory=dict, repr=False)


def http_auth_for(credential: Credential) -> HttpAuth:
    fields = {**credential.metadata, **credential.unseal()}
    if credential.type == CredentialType.BEARER:
        return HttpAuth(headers={"Authorization": f"Bearer {fields['token']}"})
    if credential.type == CredentialType.BASIC:
        pair = base64.b64encode(f"{fields['username']}:{fields['password']}".encode()).decode()
        return HttpAuth(headers={"Authorization": f"Basic {pair}"})
    if credential.type == CredentialType.OAUTH2_TOKEN:
        return HttpAuth(headers={"Authorization": f"{fields.get('token_type') or 'Bearer'} {fields['access_token']}"})
    if credential.type == CredentialType.API_KEY:
        if fields.get("placement") == "query":
            return HttpAuth(params={fields["name"]: fields["key"]})
        return HttpAuth(headers={fields["name"]: fields["key"]})
    raise ResourceNotFound(f"A {credential.type} credential cannot authenticate HTTP requests.")


class ProjectResources:
    """Credentials and connections of one project, as nodes see them."""

    def __init__(self, project_id: str, organization_id: str, workflow_id: str = "") -> None:
        self.project_id = project_id
        self.organization_id = organization_id
        self.workflow_id = workflow_id  # the run's workflow: AI tokens are metered per workflow too
        # Every secret value handed to a node during this run; the journal scrubs them from
        # what it stores (a server that echoes the Authorization header, a URL with a key).
        self.revealed: set[str] = set()

    def reveal(self, *values: Any) -> None:
        self.revealed.update(value for value in values if isinstance(value, str) and len(value) >= 4)

    def credential(self, credential_id: str, *types: str) -> Credential:
        credential = Credential.objects.filter(pk=credential_id, project_id=self.project_id).first()
        if credential is None:
            raise ResourceNotFound(f"No credential {credential_id} in this project.")
        if types and credential.type not in types:
            raise ResourceNotFound(f"Credential {credential_id} is a {credential.type}, not a {' or '.join(types)}.")
        return credential

    def credential_fields(self, credential_id: str, *types: str) -> dict[str, Any]:
        credential = self.credential(credential_id, *types)
        secret = credential.unseal()
        self.reveal(*secret.values())
        return {**credential.metadata, **secret}

    def http_auth(self, credential_id: str, types: tuple[str, ...] = HTTP_AUTH_TYPES) -> HttpAuth:
        """The engine's `credential_resolver`: headers and query parameters for http.request."""
        credential = self.credential(credential_id, *types)
        auth = http_auth_for(credential)
        self.reveal(*credential.unseal().values(), *auth.headers.values(), *auth.params.values())
        return auth

    def _database_connection(self, connection_id: str) -> Connection:
        connection = (
            Connection.objects.select_related("credential").filter(pk=connection_id, project_id=self.project_id).first()
        )
        if connection is None:
            raise ResourceNotFound(f"No connection {connection_id} in this project.")
        if connection.kind == "rest":
            raise ResourceNotFound(f"Connection {connection_id} is a REST API, not a database.")
        return connection

    def database_target(self, connection_id: str):
        from integrations.services import database_target

        target = database_target(self._database_connection(connection_id))
        self.reveal(getattr(target, "password", None))
        return target

    def ask_source(self, connection_id: str, *, refresh: bool = False):
        """The target and the schema the model may see (cached; integrations.schema_cache)."""
        from integrations.schema_cache import ask_source

        source = ask_source(self._database_connection(connection_id), refresh=refresh)
        self.reveal(source.target.password)
        return source

    def record_ai_tokens(self, tokens: int, *, model: str = "", input_tokens: int = 0, output_tokens: int = 0) -> None:
        """Meter an AI call; with the model and the in/out split, `/usage` reports per model."""
        from accounts.services import record_ai_usage, record_usage

        if model:
            record_ai_usage(
                self.organization_id, model=model, input_tokens=input_tokens, output_tokens=output_tokens,
                workflow_id=self.workflow_id,
            )  # fmt: skip
        else:
            record_usage(self.organization_id, ai_tokens=tokens)


def resources_services(resources: ProjectResources) -> dict[str, Any]:
    from integrations.probes import guarded_http_client

    return {
        "credential_resolver": resources.http_auth,
        "revealed_secrets": resources.revealed,
        "credentials": resources,
        "connections": resources,
        "usage": resources,
        "http_client_factory": guarded_http_client,
        "default_llm_model": settings.FLOWBUILDER_DEFAULT_LLM_MODEL,
    }


def services_for_execution(execution) -> dict[str, Any]:
    """The `ctx.services` entries an execution's nodes get (called by workflows.lifecycle)."""
    project = execution.project
    return resources_services(ProjectResources(project.id, project.organization_id, execution.workflow_id))
