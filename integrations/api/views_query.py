"""`POST /connections/{id}/query`: one read-only statement through the same path as db.query."""

from __future__ import annotations

import time
from dataclasses import replace

from drf_spectacular.utils import extend_schema
from rest_framework import generics, serializers
from rest_framework.response import Response

from flowbuilder.api.exceptions import ApiError
from integrations import services, sql
from integrations.api.views import ProjectConnectionMixin
from integrations.api.views_ask import _api_error
from integrations.sql_rows import ROWS_AS
from workflows.engine.values import NotJson, to_json_value


class ConnectionQuerySerializer(serializers.Serializer):
    sql = serializers.CharField(max_length=100_000, help_text="One read statement (SELECT, WITH … SELECT).")
    params = serializers.JSONField(
        required=False, help_text="Values for %s (a list) or %(name)s (an object) placeholders."
    )
    row_limit = serializers.IntegerField(
        min_value=1, max_value=100_000, required=False, help_text="At most the connection's row limit."
    )
    rows_as = serializers.ChoiceField(choices=list(ROWS_AS), required=False, default="objects")

    def validate_params(self, value):
        if value is not None and not isinstance(value, (list, dict)):
            raise serializers.ValidationError("params is a list (for %s) or an object (for %(name)s).")
        return value


class ConnectionQueryAnswerSerializer(serializers.Serializer):
    columns = serializers.ListField(child=serializers.DictField(), help_text="[{name, type}] in order.")
    rows = serializers.ListField(child=serializers.JSONField())
    row_count = serializers.IntegerField()
    truncated = serializers.BooleanField(help_text="Cut at the row limit or the byte limit.")
    elapsed_ms = serializers.IntegerField(help_text="Time the query took, in milliseconds.")


class ConnectionQueryView(ProjectConnectionMixin, generics.GenericAPIView):
    """Run one read-only statement on a database connection (or the project's Datasets) with the
    connection's timeout and row limit: the same guard and path as the db.query node."""

    schema_errors = {
        "POST": {
            400: "VALIDATION_ERROR (bad body, a REST connection), ADDRESS_BLOCKED or ROLE_TOO_POWERFUL.",
            422: "QUERY_NOT_READ_ONLY (refused), SQL_ERROR, TIMEOUT, NO_ROWS, QUERY_TOO_LARGE or OUTPUT_NOT_JSON.",
            502: "CONNECTION_FAILED: the database did not answer or refused the login.",
        }
    }

    @extend_schema(request=ConnectionQuerySerializer, responses=ConnectionQueryAnswerSerializer)
    def post(self, request, pk: str):
        connection = self.get_object()
        payload = ConnectionQuerySerializer(data=request.data)
        payload.is_valid(raise_exception=True)
        data = payload.validated_data
        if connection.kind == "rest":
            raise ApiError(400, "VALIDATION_ERROR", "A REST connection has no database to query.")
        started = time.monotonic()
        try:
            target = services.database_target(connection)
            if data.get("row_limit"):
                target = replace(target, row_limit=min(target.row_limit, data["row_limit"]))
            result = sql.run_read_query(target, data["sql"], data.get("params"))
        except (sql.QueryFailed, sql.QueryRefused) as failure:
            raise _api_error(failure) from None
        elapsed = round((time.monotonic() - started) * 1000)
        try:
            answer = to_json_value({**result.as_dict(data["rows_as"]), "elapsed_ms": elapsed}, "result")
        except NotJson as exc:
            raise ApiError(422, "OUTPUT_NOT_JSON", str(exc)) from None
        return Response(answer)
