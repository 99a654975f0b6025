"""`POST /connections/{id}/query`: one read-only statement from a person or a program (the Data
page's console, the SDKs).

The same path as the `db.query` node and the dashboard tiles (`services.database_target` then
`sql.run_read_query`), for database connections and the project's built-in Datasets connection
alike: the statement guard, a read-only session and transaction, the connection's statement
timeout, row limit and result-size limit. Nothing new is trusted here; this view only times
the call and shapes the answer.
"""

from __future__ import annotations

import time
from dataclasses import replace

from drf_spectacular.utils import extend_schema
from rest_framework import generics
from rest_framework.response import Response

from flowbuilder.api.exceptions import ApiError
from integrations import services, sql
from integrations.api import serializers
from integrations.api.views import ProjectConnectionMixin
from integrations.api.views_ask import database_api_error
from workflows.engine.values import NotJson, to_json_value


class ConnectionQueryView(ProjectConnectionMixin, generics.GenericAPIView):
    """Run one read-only statement on a database connection (or the project's Datasets) and answer
    its rows, row count and time taken.

    Bounded like the `db.query` node: the connection's statement timeout, its row limit (rows
    past it are cut and `truncated` is true) and the result-size limit."""

    schema_errors = {
        "POST": {
            400: "VALIDATION_ERROR (bad body, a REST connection, settings a driver cannot send), ADDRESS_BLOCKED "
            "or ROLE_TOO_POWERFUL.",
            422: "QUERY_NOT_READ_ONLY (not one read statement; nothing was sent), SQL_ERROR (the database refused "
            "it: the message says why), TIMEOUT, QUERY_TOO_LARGE or OUTPUT_NOT_JSON (a value with no JSON form).",
            502: "CONNECTION_FAILED: the database did not answer or refused the login.",
        }
    }

    @extend_schema(request=serializers.ConnectionQuerySerializer, responses=serializers.ConnectionQueryAnswerSerializer)
    def post(self, request, pk: str):
        connection = self.get_object()
        payload = serializers.ConnectionQuerySerializer(data=request.data)
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
        except (sql.QueryRefused, sql.QueryFailed) as failure:
            raise database_api_error(failure) from None
        elapsed_ms = round((time.monotonic() - started) * 1000, 1)
        try:
            answer = to_json_value(result.as_dict(rows_as=data["rows_as"]), "result")
        except NotJson as exc:  # a database type with no JSON form (D3), e.g. a range
            raise ApiError(422, "OUTPUT_NOT_JSON", str(exc)) from None
        return Response({"connection_id": connection.id, **answer, "elapsed_ms": elapsed_ms})
