"""One exception class per API error code, all carrying status, code, message and request id.

`APIError.from_response` picks the class by the envelope's `error.code`, then by HTTP status
for a code this SDK does not know yet (the schema says: treat an unknown code like any other
error of its status), so `except NotFound` keeps working when the server adds codes.
"""

from __future__ import annotations

from typing import Any, ClassVar

import httpx


class FlowbuilderError(Exception):
    """Base of everything this SDK raises."""


class MissingAPIKeyError(FlowbuilderError):
    """No API key was given to the client and FLOWBUILDER_API_KEY is not set."""


class APIConnectionError(FlowbuilderError):
    """The server could not be reached (after the retries), or the connection broke."""


class APITimeoutError(APIConnectionError):
    """The server did not answer within the client's timeout."""


class WaitTimeoutError(FlowbuilderError):
    """`execute_and_wait` gave up before the run ended; the run goes on (see `execution_id`)."""

    def __init__(self, message: str, *, execution_id: str, status: str | None) -> None:
        super().__init__(message)
        self.execution_id = execution_id
        self.status = status


class WebhookVerificationError(FlowbuilderError):
    """A webhook delivery's signature or timestamp did not check out."""


class APIError(FlowbuilderError):
    """An error answer of the API (`{"success": false, "error": {...}}`)."""

    code_names: ClassVar[tuple[str, ...]] = ()
    default_status: ClassVar[int | None] = None

    def __init__(
        self,
        message: str,
        *,
        status: int,
        code: str,
        details: Any = None,
        field: str | None = None,
        request_id: str | None = None,
        headers: httpx.Headers | None = None,
    ) -> None:
        super().__init__(message)
        self.message = message
        self.status = status
        self.code = code
        self.details = details
        self.field = field
        self.request_id = request_id
        self.headers = headers or httpx.Headers()

    def __str__(self) -> str:
        where = f" ({self.field})" if self.field else ""
        return f"{self.status} {self.code}{where}: {self.message}"

    @classmethod
    def from_response(cls, response: httpx.Response) -> APIError:
        body: Any
        try:
            body = response.json()
        except ValueError:
            body = None
        error: dict[str, Any] = {}
        if isinstance(body, dict) and isinstance(body.get("error"), dict):
            error = body["error"]
        code = str(error.get("code") or STATUS_CODES.get(response.status_code, "HTTP_ERROR"))
        message = str(error.get("message") or response.reason_phrase or "The API refused the request.")
        error_class = BY_CODE.get(code) or BY_STATUS.get(response.status_code, APIError)
        return error_class(
            message,
            status=response.status_code,
            code=code,
            details=error.get("details"),
            field=error.get("field"),
            request_id=response.headers.get("X-Request-Id"),
            headers=response.headers,
        )


class ValidationError(APIError):
    """400: the payload or a parameter is wrong; `field` names it, `details` says more."""

    code_names = ("VALIDATION_ERROR",)
    default_status = 400


class MissingRequiredField(ValidationError):
    code_names = ("MISSING_REQUIRED_FIELD",)


class InvalidWorkflowConfig(ValidationError):
    code_names = ("INVALID_WORKFLOW_CONFIG",)


class InvalidInput(ValidationError):
    """400: `input` does not fit the trigger's input schema; `details["problems"]` lists each problem."""

    code_names = ("INVALID_INPUT",)


class AddressBlocked(ValidationError):
    """400: an outbound address (webhook URL, connection host) is refused by the network guard."""

    code_names = ("ADDRESS_BLOCKED",)


class InvalidNodeConfig(ValidationError):
    """422: a node's config fails its JSON Schema."""

    code_names = ("INVALID_NODE_CONFIG",)
    default_status = 422


class AuthenticationError(APIError):
    """401: no key, a wrong key, or a revoked or expired one (the message says which)."""

    code_names = ("UNAUTHORIZED",)
    default_status = 401


class PermissionDenied(APIError):
    """403: the key's role or project does not allow this."""

    code_names = ("FORBIDDEN",)
    default_status = 403


class PlanUpgradeRequired(PermissionDenied):
    """403: API access (or this feature) needs a higher plan."""

    code_names = ("PLAN_UPGRADE_REQUIRED",)


class NotFound(APIError):
    code_names: ClassVar[tuple[str, ...]] = ("NOT_FOUND", "RESOURCE_NOT_FOUND")
    default_status = 404


class WorkflowNotFound(NotFound):
    code_names = ("WORKFLOW_NOT_FOUND",)


class MethodNotAllowed(APIError):
    code_names = ("METHOD_NOT_ALLOWED",)
    default_status = 405


class NotAcceptable(APIError):
    code_names = ("NOT_ACCEPTABLE",)
    default_status = 406


class Conflict(APIError):
    """409: a duplicate, or the resource is in the wrong state (or an Idempotency-Key reused with another body)."""

    code_names = ("CONFLICT",)
    default_status = 409


class WorkflowAlreadyExists(Conflict):
    code_names = ("WORKFLOW_ALREADY_EXISTS",)


class PreconditionFailed(APIError):
    """412: `If-Match` named an old revision; `details["current_etag"]` is the current one."""

    code_names = ("PRECONDITION_FAILED",)
    default_status = 412


class PayloadTooLarge(APIError):
    code_names = ("PAYLOAD_TOO_LARGE",)
    default_status = 413


class UnsupportedMediaType(APIError):
    code_names = ("UNSUPPORTED_MEDIA_TYPE",)
    default_status = 415


class RateLimited(APIError):
    """429: the organization's request budget is spent; `retry_after` seconds until it refills."""

    code_names = ("RATE_LIMITED",)
    default_status = 429

    @property
    def retry_after(self) -> float | None:
        return parse_retry_after(self.headers.get("Retry-After"))


class InternalError(APIError):
    code_names = ("INTERNAL_ERROR",)
    default_status = 500


class WorkflowExecutionFailed(InternalError):
    code_names = ("WORKFLOW_EXECUTION_FAILED",)


class ConnectionFailed(APIError):
    """502: a database connection the request needed could not be used (not any 502: a proxy's is an APIError)."""

    code_names = ("CONNECTION_FAILED",)


class ServiceUnavailable(APIError):
    code_names = ("SERVICE_UNAVAILABLE",)
    default_status = 503


def parse_retry_after(value: str | None) -> float | None:
    """Retry-After in seconds (the API sends whole seconds; an HTTP date is read too)."""
    if not value:
        return None
    try:
        return max(0.0, float(value))
    except ValueError:
        pass
    from datetime import datetime, timezone
    from email.utils import parsedate_to_datetime

    try:
        moment = parsedate_to_datetime(value)
    except (TypeError, ValueError):
        return None
    return max(0.0, (moment - datetime.now(timezone.utc)).total_seconds())


def _subclasses(root: type[APIError]) -> list[type[APIError]]:
    found = []
    for child in root.__subclasses__():
        found += [child, *_subclasses(child)]
    return found


BY_CODE: dict[str, type[APIError]] = {code: cls for cls in _subclasses(APIError) for code in cls.code_names}
BY_STATUS: dict[int, type[APIError]] = {
    cls.default_status: cls for cls in reversed(_subclasses(APIError)) if cls.default_status and cls.code_names
}
STATUS_CODES = {status: cls.code_names[0] for status, cls in BY_STATUS.items()}
