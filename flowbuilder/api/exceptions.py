"""Every error under /api/ in one envelope, whatever raised it."""

from __future__ import annotations

import logging

from django.core.exceptions import PermissionDenied as DjangoPermissionDenied
from django.core.exceptions import RequestDataTooBig
from django.db import DatabaseError, DataError, IntegrityError, ProgrammingError
from django.http import Http404, JsonResponse
from rest_framework import exceptions, status
from rest_framework.response import Response

from flowbuilder.api.envelope import error_body

logger = logging.getLogger(__name__)


class ApiError(exceptions.APIException):
    """An API error with our own code: `raise ApiError(409, "CONFLICT", "…")`."""

    def __init__(self, status_code: int, code: str, message: str, *, details=None, field=None):
        super().__init__(detail=message, code=code)
        self.status_code = status_code
        self.error_code = code
        self.message = message
        self.details = details
        self.field = field


class PlanUpgradeRequired(exceptions.PermissionDenied):
    default_code = "PLAN_UPGRADE_REQUIRED"


CODES_BY_STATUS = {
    400: "VALIDATION_ERROR",
    401: "UNAUTHORIZED",
    403: "FORBIDDEN",
    404: "NOT_FOUND",
    405: "METHOD_NOT_ALLOWED",
    406: "NOT_ACCEPTABLE",
    409: "CONFLICT",
    413: "PAYLOAD_TOO_LARGE",
    415: "UNSUPPORTED_MEDIA_TYPE",
    429: "RATE_LIMITED",
    500: "INTERNAL_ERROR",
}


def _first_field_error(detail, prefix: str = "") -> tuple[str | None, str | None, str | None]:
    """The path, message and code of the first field error in a DRF error tree."""
    if isinstance(detail, dict):
        for key, value in detail.items():
            path = f"{prefix}.{key}" if prefix else str(key)
            if key == "non_field_errors":
                path = prefix or None
            found = _first_field_error(value, path or "")
            if found[1]:
                return (found[0] or None), found[1], found[2]
    elif isinstance(detail, list):
        for index, value in enumerate(detail):
            path = f"{prefix}[{index}]" if isinstance(value, dict) else prefix
            found = _first_field_error(value, path)
            if found[1]:
                return found
    elif detail is not None:
        return (prefix or None), str(detail), getattr(detail, "code", None)
    return None, None, None


def _validation_body(exc: exceptions.ValidationError) -> dict:
    field, message, code = _first_field_error(exc.detail)
    error_code = "MISSING_REQUIRED_FIELD" if code == "required" else "VALIDATION_ERROR"
    if field and message:
        message = f"{field}: {message}"
    return error_body(error_code, message or "Invalid input.", details=exc.detail, field=field)


def envelope_exception_handler(exc, context):
    if isinstance(exc, Http404):
        exc = exceptions.NotFound()
    elif isinstance(exc, DjangoPermissionDenied):
        exc = exceptions.PermissionDenied()
    elif isinstance(exc, RequestDataTooBig):  # `request.body` read past DATA_UPLOAD_MAX_MEMORY_SIZE
        exc = ApiError(413, "PAYLOAD_TOO_LARGE", "The body is over the size limit.")

    if isinstance(exc, ApiError):
        body = error_body(exc.error_code, exc.message, details=exc.details, field=exc.field)
    elif isinstance(exc, exceptions.ValidationError):
        body = _validation_body(exc)
    elif isinstance(exc, exceptions.APIException):
        code = CODES_BY_STATUS.get(exc.status_code, "ERROR")
        if isinstance(exc, PlanUpgradeRequired):
            code = "PLAN_UPGRADE_REQUIRED"
        body = error_body(code, _message(exc.detail))
    elif isinstance(exc, DatabaseError) and not isinstance(exc, (IntegrityError, DataError, ProgrammingError)):
        # The database is down or out of connections: a passing condition, not a bug.
        logger.error("database unavailable in %s: %s", context.get("view").__class__.__name__, type(exc).__name__)
        response = Response(
            error_body("SERVICE_UNAVAILABLE", "The database is busy or unreachable; try again shortly."),
            status=status.HTTP_503_SERVICE_UNAVAILABLE,
        )
        response["Retry-After"] = "5"
        response.is_enveloped = True
        return response
    else:
        logger.exception("Unhandled error in %s", context.get("view").__class__.__name__)
        response = Response(
            error_body("INTERNAL_ERROR", internal_error_message(context.get("request"))),
            status=status.HTTP_500_INTERNAL_SERVER_ERROR,
        )
        response.is_enveloped = True
        return response

    response = Response(body, status=exc.status_code)
    response.is_enveloped = True
    if isinstance(exc, exceptions.Throttled) and exc.wait is not None:
        response["Retry-After"] = str(max(1, int(exc.wait + 0.999)))
    if getattr(exc, "auth_header", None):
        response["WWW-Authenticate"] = exc.auth_header
    return response


def _message(detail) -> str:
    if isinstance(detail, (list, tuple)) and detail:
        return str(detail[0])
    if isinstance(detail, dict) and detail:
        return str(next(iter(detail.values())))
    return str(detail)


# Django-level handlers: errors raised outside DRF views (no URL matched, a crash in middleware).
def _json_error(request, status_code: int, code: str, message: str):
    return JsonResponse(error_body(code, message), status=status_code)


def internal_error_message(request) -> str:
    """The 500's message, naming the request id the server's log line carries."""
    request_id = getattr(request, "request_id", None)
    reference = f" (request {request_id})" if request_id else ""
    return f"Something went wrong on our side; it has been logged{reference}."


def is_api_request(request) -> bool:
    return request.path.startswith("/api/")


def handler404(request, exception=None):
    if is_api_request(request):
        return _json_error(request, 404, "NOT_FOUND", f"No resource at {request.path}.")
    from django.views.defaults import page_not_found

    return page_not_found(request, exception)


def handler500(request):
    if is_api_request(request):
        return _json_error(
            request, 500, "INTERNAL_ERROR", internal_error_message(request)
        )
    from django.views.defaults import server_error

    return server_error(request)


def handler403(request, exception=None):
    if is_api_request(request):
        return _json_error(request, 403, "FORBIDDEN", "You do not have permission to do this.")
    from django.views.defaults import permission_denied

    return permission_denied(request, exception)


def handler400(request, exception=None):
    if is_api_request(request):
        return _json_error(request, 400, "VALIDATION_ERROR", "Bad request.")
    from django.views.defaults import bad_request

    return bad_request(request, exception)
