"""`POST /api/v1/graphql`: a DRF view, so authentication, X-Project-Id, roles, plan gating and
rate limits are REST's own classes (settings.REST_FRAMEWORK), run once per request; then the
document is executed by Strawberry and errors are coded by errors.py."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.shortcuts import render
from drf_spectacular.utils import extend_schema
from rest_framework.response import Response
from rest_framework.views import APIView
from strawberry.exceptions import MissingQueryError
from strawberry.schema.exceptions import CannotGetOperationTypeError, InvalidOperationTypeError
from strawberry.types.graphql import OperationType

from accounts.models import Role
from flowbuilder.api.exceptions import ApiError
from graphql_api import errors
from graphql_api.loaders import Loaders
from graphql_api.schema import schema

HTTP_OPERATIONS = (OperationType.QUERY, OperationType.MUTATION)


class GraphQLContext:
    """What resolvers see as `info.context`: the DRF request (with `.access`) and the loaders."""

    def __init__(self, request, operation_named: bool = False) -> None:
        self.request = request
        self.operation_named = operation_named
        self.loaders = Loaders()
        self.phase = "parse"


def graphql_body(data) -> tuple[str, dict | None, str | None]:
    """query, variables and operationName of a JSON body (anything else is a 400)."""
    if not isinstance(data, dict):
        raise ApiError(400, errors.BAD_VARIABLES, "The body must be a JSON object with `query`.")
    query, variables, name = data.get("query"), data.get("variables"), data.get("operationName")
    if not isinstance(query, str) or not query.strip():
        raise ApiError(400, errors.PARSE_FAILED, "Give the GraphQL document as `query` (a string).", field="query")
    if variables is not None and not isinstance(variables, dict):
        raise ApiError(400, errors.BAD_VARIABLES, "`variables` must be an object.", field="variables")
    if name is not None and not isinstance(name, str):
        raise ApiError(400, errors.BAD_VARIABLES, "`operationName` must be a string.", field="operationName")
    return query, variables, name


@extend_schema(exclude=True)  # GraphQL describes itself (introspection); the OpenAPI schema is REST's
class GraphQLView(APIView):
    # Reading is the viewer's right; each mutation asks for the editor role (mutations.editor_request).
    required_role = Role.VIEWER

    def post(self, request):
        query, variables, operation_name = graphql_body(request.data)
        context = GraphQLContext(request, operation_named=operation_name is not None)
        result = execute(query, variables, context, operation_name)
        if result.errors and result.data is None and all(error.path is None for error in result.errors):
            body = [
                {**error.formatted, "extensions": {"code": errors.request_error_code(error, context.phase),
                                                   "status": 400, **(error.extensions or {})}}
                for error in result.errors
            ]  # fmt: skip
            return graphql_response({"errors": body}, 400)
        body = {"data": result.data}
        if result.errors:
            body["errors"] = [errors.field_error(error, self) for error in result.errors]
        return graphql_response(body, errors.http_status(result.data, body.get("errors", [])))

    def handle_exception(self, exc):
        """Refusals before the document runs (401, 403, 429, a bad body) in GraphQL's shape, coded as REST."""
        response = super().handle_exception(exc)
        if getattr(response, "is_enveloped", False) and isinstance(response.data, dict) and "error" in response.data:
            response.data = errors.envelope_as_errors(response)
        return response


def execute(query: str, variables: dict | None, context: GraphQLContext, operation_name: str | None):
    """Run a query or mutation; what cannot be run at all is a 400 (raised, answered by handle_exception)."""
    try:
        return schema.execute_sync(
            query, variables, context, operation_name=operation_name, allowed_operation_types=HTTP_OPERATIONS
        )
    except InvalidOperationTypeError:
        message = "Subscriptions go over the WebSocket at /api/v1/graphql (graphql-transport-ws)."
        raise ApiError(400, errors.VALIDATION_FAILED, message) from None
    except MissingQueryError:
        raise ApiError(400, errors.PARSE_FAILED, "No query.", field="query") from None
    except CannotGetOperationTypeError:
        message = f"No operation {operation_name!r} in the document."
        raise ApiError(400, errors.VALIDATION_FAILED, message, field="operationName") from None


def graphql_response(body: dict, status: int) -> Response:
    response = Response(body, status=status)
    response.is_enveloped = True  # already shaped: the envelope renderer passes it through
    return response


@login_required
def graphiql_page(request):
    """GraphiQL for signed-in people, from our own static files (no CDN); it posts with the session and CSRF."""
    return render(request, "graphql_api/graphiql.html")

