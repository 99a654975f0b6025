"""One mapping from what went wrong to `errors[].extensions.code` and the HTTP status.

Errors raised in resolvers are the REST API's own (ApiError, DRF's exceptions, Http404): each
goes through `envelope_exception_handler`, the handler every REST view uses, and the code,
message, field and details of its envelope become the GraphQL error's. So a GraphQL error
says exactly what the same mistake says over REST (api.md's table), and an unexpected
exception is logged there and shown as INTERNAL_ERROR, never with a trace.

Errors before execution carry codes of their own: GRAPHQL_PARSE_FAILED (not a GraphQL
document), GRAPHQL_VALIDATION_FAILED (not valid against the schema), QUERY_TOO_COMPLEX (depth,
tokens, aliases or cost over the limits) and VALIDATION_ERROR (variables that do not fit their
types). These are the only 400s of a parsed request, with INVALID_INPUT (see `http_status`).
"""

from __future__ import annotations

from typing import Any

from graphql import GraphQLError

from flowbuilder.api.exceptions import envelope_exception_handler

PARSE_FAILED = "GRAPHQL_PARSE_FAILED"
VALIDATION_FAILED = "GRAPHQL_VALIDATION_FAILED"
TOO_COMPLEX = "QUERY_TOO_COMPLEX"
BAD_VARIABLES = "VALIDATION_ERROR"

# Strawberry's limiters word their refusals; these are the only messages told apart by text.
LIMIT_MESSAGES = ("exceeds maximum operation depth", "Document contains more than", "aliases found")


def request_error_code(error: GraphQLError, phase: str) -> str:
    """The code of an error raised before any resolver ran, by the phase that raised it."""
    if error.extensions and error.extensions.get("code"):
        return error.extensions["code"]
    if any(text in error.message for text in LIMIT_MESSAGES):
        return TOO_COMPLEX
    return {"parse": PARSE_FAILED, "validate": VALIDATION_FAILED}.get(phase, BAD_VARIABLES)


def field_error(error: GraphQLError, view) -> dict[str, Any]:
    """A resolver's error as GraphQL shows it, coded by the REST exception handler."""
    formatted = dict(error.formatted)
    original = error.original_error
    if original is None:  # graphql-core's own (a null in a non-null field): a bug of ours
        original = RuntimeError(error.message)
    try:  # raised again so the handler's log of an unexpected error carries the resolver's traceback
        raise original
    except Exception as exc:  # noqa: BLE001 - every exception is answered, as in REST views
        response = envelope_exception_handler(exc, {"view": view})
    envelope = response.data["error"]
    extensions = {"code": envelope["code"], "status": response.status_code}
    for key in ("field", "details"):
        if envelope.get(key) is not None:
            extensions[key] = envelope[key]
    formatted.update(message=envelope["message"], extensions=extensions)
    return formatted


def envelope_as_errors(response) -> dict[str, Any]:
    """A REST error answer (authentication, permission, plan, rate limit) as a GraphQL body."""
    envelope = response.data["error"]
    extensions = {"code": envelope["code"], "status": response.status_code}
    for key in ("field", "details"):
        if envelope.get(key) is not None:
            extensions[key] = envelope[key]
    return {"errors": [{"message": envelope["message"], "extensions": extensions}]}


def http_status(data: dict[str, Any] | None, errors: list[dict[str, Any]]) -> int:
    """200 whenever any root field has data (partial results keep `data` with `errors[]`).

    With nothing to show, the answer takes the status of its first error, as REST would for
    that call: 404 for an unknown workflow, 403 for a viewer's mutation, 400 for INVALID_INPUT
    (variables that do not match the flow's input schema), 409 for a wrong state.
    """
    if not errors:
        return 200
    if data and any(value is not None for value in data.values()):
        return 200
    return int(errors[0].get("extensions", {}).get("status", 400))
