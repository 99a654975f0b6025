"""Credentials, connections and the integrations overview. Thin: parse, authorize, call, shape."""

from __future__ import annotations

from django.shortcuts import get_object_or_404
from drf_spectacular.utils import extend_schema
from rest_framework import generics, status
from rest_framework.exceptions import NotFound
from rest_framework.response import Response
from rest_framework.views import APIView

from accounts.services import ConflictError
from flowbuilder.api.exceptions import ApiError
from flowbuilder.api.preconditions import (
    etag_read_schema,
    etag_write_schema,
    expected_revisions,
    not_modified,
    revision_write,
    with_etag,
)
from flowbuilder.api.views import ScopedQuerysetMixin, who
from integrations import credential_types, services, sql_errors
from integrations.api import serializers
from integrations.api.filters import ConnectionFilter, CredentialFilter
from integrations.models import Connection, Credential
from integrations.schema_cache import connection_schema
from integrations.sql_errors import QueryFailed


def _service_errors(call, *args, **kwargs):
    """Run a service call, turning its refusals into envelope errors (never echoing input)."""
    try:
        return call(*args, **kwargs)
    except services.InvalidInput as error:
        raise ApiError(400, "VALIDATION_ERROR", error.message, field=error.field) from None
    except ConflictError as error:
        raise ApiError(409, "CONFLICT", str(error)) from None


NAME_TAKEN = {409: "CONFLICT: a credential or connection with this name is in the project."}


class CredentialTypeListView(APIView):
    """Each credential type's fields as JSON Schema; `writeOnly` fields are the secret part."""

    @extend_schema(responses=serializers.CredentialTypeSerializer(many=True))
    def get(self, request):
        return Response(credential_types.describe_types())


class CredentialListCreateView(ScopedQuerysetMixin, generics.ListAPIView):
    """The project's credentials (secrets never included), or create one."""

    serializer_class = serializers.CredentialSerializer
    queryset = Credential.objects.none()
    filterset_class = CredentialFilter
    schema_errors = {"POST": NAME_TAKEN}

    def scoped_queryset(self, access):
        return Credential.objects.filter(project=access.project).select_related("created_by")

    @extend_schema(request=serializers.CredentialCreateSerializer, responses={201: serializers.CredentialSerializer})
    def post(self, request):
        payload = serializers.CredentialCreateSerializer(data=request.data)
        payload.is_valid(raise_exception=True)
        data = payload.validated_data
        credential = _service_errors(
            services.create_credential,
            request.access.project,
            name=data["name"],
            type=data["type"],
            fields={**data["metadata"], **data["secret"]},
            **who(request),
        )
        return _credential_answer(credential, status.HTTP_201_CREATED)


def _credential_answer(credential: Credential, status_code: int = 200) -> Response:
    return with_etag(Response(serializers.CredentialSerializer(credential).data, status=status_code), credential)


def _connection_answer(connection: Connection, status_code: int = 200) -> Response:
    return with_etag(Response(serializers.ConnectionSerializer(connection).data, status=status_code), connection)


class CredentialDetailView(ScopedQuerysetMixin, generics.RetrieveAPIView):
    """Show, change (PATCH: given fields replace stored ones) or delete a credential."""

    serializer_class = serializers.CredentialSerializer
    queryset = Credential.objects.none()
    schema_errors = {
        "PATCH": NAME_TAKEN,
        "DELETE": {409: "CONFLICT: connections use this credential; change those first."},
    }

    def scoped_queryset(self, access):
        return Credential.objects.filter(project=access.project).select_related("created_by")

    @extend_schema(**etag_read_schema(serializers.CredentialSerializer))
    def get(self, request, pk: str):
        credential = self.get_object()
        return not_modified(request, credential) or _credential_answer(credential)

    @extend_schema(
        **etag_write_schema(serializers.CredentialSerializer, request=serializers.CredentialUpdateSerializer)
    )
    def patch(self, request, pk: str):
        credential = self.get_object()
        expected = expected_revisions(request, credential)
        payload = serializers.CredentialUpdateSerializer(data=request.data)
        payload.is_valid(raise_exception=True)
        data = payload.validated_data
        with revision_write(NotFound()):
            credential = _service_errors(
                services.update_credential,
                credential,
                name=data.get("name"),
                fields={**data["metadata"], **data["secret"]},
                expected_revisions=expected,
                **who(request),
            )
            return _credential_answer(credential)

    @extend_schema(**etag_write_schema())
    def delete(self, request, pk: str):
        credential = self.get_object()
        expected = expected_revisions(request, credential)
        with revision_write(NotFound()):
            _service_errors(services.delete_credential, credential, expected_revisions=expected, **who(request))
        return Response(status=status.HTTP_204_NO_CONTENT)


def _connection_values(request, data: dict) -> dict:
    values = {key: value for key, value in data.items() if key not in ("kind", "password", "credential_id")}
    if data.get("credential_id"):
        # A reference in the body that names nothing is bad input (400 naming the field), not a
        # missing resource at the URL (404).
        values["credential"] = Credential.objects.filter(
            pk=data["credential_id"], project=request.access.project
        ).first()
        if values["credential"] is None:
            raise ApiError(400, "VALIDATION_ERROR", "No such credential in this project.", field="credential_id")
    elif "credential_id" in data:
        values["credential"] = None
    return values


class ConnectionListCreateView(ScopedQuerysetMixin, generics.ListAPIView):
    """The project's database and REST connections, or create one."""

    serializer_class = serializers.ConnectionSerializer
    queryset = Connection.objects.none()
    filterset_class = ConnectionFilter
    schema_errors = {"POST": NAME_TAKEN}

    def scoped_queryset(self, access):
        return Connection.objects.filter(project=access.project)

    @extend_schema(request=serializers.ConnectionWriteSerializer, responses={201: serializers.ConnectionSerializer})
    def post(self, request):
        payload = serializers.ConnectionWriteSerializer(data=request.data)
        payload.is_valid(raise_exception=True)
        data = payload.validated_data
        connection = _service_errors(
            services.create_connection,
            request.access.project,
            kind=data["kind"],
            values=_connection_values(request, data),
            password=data.get("password"),
            **who(request),
        )
        return _connection_answer(connection, status.HTTP_201_CREATED)


class ProjectConnectionMixin(ScopedQuerysetMixin):
    serializer_class = serializers.ConnectionSerializer
    queryset = Connection.objects.none()

    def scoped_queryset(self, access):
        return Connection.objects.filter(project=access.project).select_related("credential")


class ConnectionDetailView(ProjectConnectionMixin, generics.RetrieveAPIView):
    schema_errors = {
        "PATCH": NAME_TAKEN,
        "DELETE": {409: "CONFLICT: the built-in Datasets connection stays (delete datasets instead)."},
    }

    @extend_schema(**etag_read_schema(serializers.ConnectionSerializer))
    def get(self, request, pk: str):
        connection = self.get_object()
        return not_modified(request, connection) or _connection_answer(connection)

    @extend_schema(**etag_write_schema(serializers.ConnectionSerializer, request=serializers.ConnectionWriteSerializer))
    def patch(self, request, pk: str):
        connection = self.get_object()
        expected = expected_revisions(request, connection)
        payload = serializers.ConnectionWriteSerializer(
            data=request.data, partial=True, context={"kind": connection.kind}
        )
        payload.is_valid(raise_exception=True)
        data = payload.validated_data
        values = _connection_values(request, data)
        with revision_write(NotFound()):
            connection = _service_errors(
                services.update_connection,
                connection,
                values=values,
                password=data.get("password"),
                expected_revisions=expected,
                **who(request),
            )
            return _connection_answer(connection)

    @extend_schema(**etag_write_schema())
    def delete(self, request, pk: str):
        connection = self.get_object()
        expected = expected_revisions(request, connection)
        with revision_write(NotFound()):
            _service_errors(services.delete_connection, connection, expected_revisions=expected, **who(request))
        return Response(status=status.HTTP_204_NO_CONTENT)


class ConnectionTestView(ProjectConnectionMixin, generics.GenericAPIView):
    """Try the connection; the answer says in plain words which cause failed."""

    @extend_schema(request=None, responses=serializers.CheckSerializer)
    def post(self, request, pk: str):
        return Response(services.test_connection(self.get_object()).as_dict())


class ConnectionSchemaView(ProjectConnectionMixin, generics.GenericAPIView):
    """Tables, columns, types and keys the connection's user can see (read fresh; kept for Ask data)."""

    schema_errors = {
        "GET": {
            400: "VALIDATION_ERROR (a REST connection, or settings a driver cannot send), ADDRESS_BLOCKED "
            "(the host is in a refused range) or ROLE_TOO_POWERFUL (a superuser login).",
            502: "CONNECTION_FAILED: the database did not answer or refused the login.",
        }
    }

    @extend_schema(responses=serializers.DatabaseSchemaSerializer)
    def get(self, request, pk: str):
        connection = self.get_object()
        if connection.kind == "rest":
            raise ApiError(400, "VALIDATION_ERROR", "A REST connection has no database schema.")
        try:
            # Read fresh, and kept for the Ask-data node: opening the schema refreshes what the model sees.
            tables = connection_schema(connection, services.database_target(connection), refresh=True)
        except QueryFailed as failure:
            if failure.code in (sql_errors.ADDRESS_BLOCKED, sql_errors.ROLE_TOO_POWERFUL):
                raise ApiError(400, failure.code, failure.message) from None
            if failure.code == services.INVALID_SETTINGS:
                raise ApiError(400, "VALIDATION_ERROR", failure.message, field=failure.message.split(":")[0]) from None
            raise ApiError(502, "CONNECTION_FAILED", failure.message) from None
        return Response({"connection_id": connection.id, "tables": tables})


def _integration_row(instance, category: str) -> dict:
    return {
        "id": instance.id,
        "name": instance.name,
        "category": category,
        "type": instance.type if category == "credential" else instance.kind,
        "status": instance.status,
        "last_tested_at": instance.last_tested_at,
        "last_test_message": instance.last_test_message,
    }


class IntegrationListView(generics.ListAPIView):
    """What the project has connected: credentials and connections, with their last test."""

    serializer_class = serializers.IntegrationSerializer
    queryset = Credential.objects.none()  # for the schema; the rows merge two tables

    def list(self, request, *args, **kwargs):
        project = request.access.project
        rows = [_integration_row(c, "credential") for c in Credential.objects.filter(project=project)]
        rows += [_integration_row(c, "connection") for c in Connection.objects.filter(project=project)]
        rows.sort(key=lambda row: (row["name"].lower(), row["id"]))
        page = self.paginate_queryset(rows)  # the shared pagination pages plain lists too
        return self.get_paginated_response(serializers.IntegrationSerializer(page, many=True).data)


class IntegrationTestView(APIView):
    """Test one credential or connection by its id."""

    @extend_schema(request=None, responses=serializers.CheckSerializer)
    def post(self, request, pk: str):
        project = request.access.project
        if pk.startswith("conn_"):
            check = services.test_connection(get_object_or_404(Connection, pk=pk, project=project))
        else:
            check = services.test_credential(get_object_or_404(Credential, pk=pk, project=project))
        return Response(check.as_dict())
