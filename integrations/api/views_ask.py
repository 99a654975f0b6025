"""`POST /connections/{id}/ask`: a question in plain words, answered from the database (integrations.ask)."""

from __future__ import annotations

from drf_spectacular.utils import extend_schema
from rest_framework import generics
from rest_framework.response import Response

from flowbuilder.api.exceptions import ApiError
from integrations import ask as asking
from integrations import llm, services, sql_errors
from integrations.api import serializers
from integrations.api.views import ProjectConnectionMixin
from integrations.models import Credential, CredentialType
from integrations.runtime import ProjectResources
from integrations.schema_cache import ask_source
from integrations.sql import QueryRefused
from integrations.sql_errors import QueryFailed
from workflows.engine.values import NotJson, to_json_value

# The database or the model could not be reached or answered nonsense: the server's peer failed.
_UPSTREAM = {"CONNECTION_FAILED", sql_errors.UNREACHABLE, sql_errors.BAD_CREDENTIALS, sql_errors.UNKNOWN_DATABASE}


class ConnectionAskView(ProjectConnectionMixin, generics.GenericAPIView):
    """Ask the database a question in plain words: an LLM writes one read-only SELECT from the
    connection's schema (minus `ai_excluded`), it runs read-only (a database error goes back to
    the model once), and a second call words the answer. Tokens count in the usage."""

    schema_errors = {
        "POST": {
            400: "VALIDATION_ERROR (bad body, a REST connection, no or several LLM credentials, settings a "
            "driver cannot send), ADDRESS_BLOCKED or ROLE_TOO_POWERFUL.",
            422: "The question got no answer: QUERY_NOT_READ_ONLY (the model wrote a write; refused), SQL_ERROR "
            "(its query failed twice), ASK_NO_SQL (it answered no query), TIMEOUT, NO_ROWS or OUTPUT_NOT_JSON "
            "(a value with no JSON form).",
            502: "CONNECTION_FAILED (the database) or LLM_* (the model provider failed or refused the key).",
        }
    }

    @extend_schema(request=serializers.AskSerializer, responses=serializers.AskAnswerSerializer)
    def post(self, request, pk: str):
        connection = self.get_object()
        payload = serializers.AskSerializer(data=request.data)
        payload.is_valid(raise_exception=True)
        data = payload.validated_data
        if connection.kind == "rest":
            raise ApiError(400, "VALIDATION_ERROR", "A REST connection has no database to ask.")
        project = request.access.project
        credential = _llm_credential(project, data.get("credential_id") or "")
        resources = ProjectResources(project.id, project.organization_id)
        chat = asking.Metered(_metered_chat(resources, credential))
        try:
            source = ask_source(connection, refresh=data["refresh_schema"])
            answer = asking.ask(
                source,
                data["question"],
                chat,
                model=data.get("model") or "",
                words=data["answer_in_words"],
                rows_as=data["rows_as"],
            )
        except (QueryFailed, QueryRefused, asking.AskFailed, llm.LlmError) as failure:
            raise database_api_error(failure) from None
        try:
            answer = to_json_value({**answer, "model": ", ".join(chat.models), "usage": chat.usage()}, "answer")
        except NotJson as exc:  # a database type with no JSON form (D3), e.g. a range
            raise ApiError(422, "OUTPUT_NOT_JSON", str(exc)) from None
        return Response(answer)


def _llm_credential(project, credential_id: str) -> Credential:
    found = Credential.objects.filter(project=project, type=CredentialType.LLM)
    if credential_id:
        credential = found.filter(pk=credential_id).first()
        if credential is None:
            message = "No LLM credential with this id in the project."
            raise ApiError(400, "VALIDATION_ERROR", message, field="credential_id")
        return credential
    candidates = list(found[:2])
    if len(candidates) != 1:
        many = "several LLM credentials" if candidates else "no LLM credential"
        raise ApiError(400, "VALIDATION_ERROR", f"The project has {many}: give credential_id.", field="credential_id")
    return candidates[0]


def _metered_chat(resources: ProjectResources, credential: Credential):
    from django.conf import settings

    from integrations.probes import guarded_http_client

    provider = llm.LlmProvider.from_fields({**credential.metadata, **credential.unseal()})
    client = guarded_http_client()

    def chat(request: llm.ChatRequest) -> llm.ChatReply:
        reply = llm.chat(provider, request, http_client=client, default_model=settings.FLOWBUILDER_DEFAULT_LLM_MODEL)
        resources.record_ai_tokens(
            reply.total_tokens, model=reply.model, input_tokens=reply.input_tokens, output_tokens=reply.output_tokens
        )
        return reply

    return chat


def database_api_error(failure: Exception) -> ApiError:
    if isinstance(failure, llm.LlmError):
        return ApiError(502, failure.code, failure.message)
    code = getattr(failure, "code", "SQL_ERROR")
    message = getattr(failure, "message", None) or str(failure)
    if code in (sql_errors.ADDRESS_BLOCKED, sql_errors.ROLE_TOO_POWERFUL):
        return ApiError(400, code, message)
    if code == services.INVALID_SETTINGS:
        return ApiError(400, "VALIDATION_ERROR", message, field=message.split(":")[0])
    if code in _UPSTREAM or code.startswith("SSL_"):
        return ApiError(502, "CONNECTION_FAILED", message)
    return ApiError(422, code, message)
