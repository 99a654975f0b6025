"""The AutoSchema of the API: each operation's error responses (see flowbuilder/api/schema.py).

A module of its own: drf_spectacular.openapi reads DRF's settings on import, and
flowbuilder/api/schema.py is imported while those settings are being read.
"""

from __future__ import annotations

from drf_spectacular.openapi import AutoSchema

# The errors every operation can give, and when (see FlowbuilderAutoSchema.error_statuses).
BAD_REQUEST = "VALIDATION_ERROR or MISSING_REQUIRED_FIELD: a parameter or the body is invalid; `field` names it."
UNAUTHORIZED = "UNAUTHORIZED: no, malformed, unknown, revoked or expired API key."
FORBIDDEN = "FORBIDDEN (role or project) or PLAN_UPGRADE_REQUIRED (the plan has no API access)."
NOT_FOUND = "NOT_FOUND (WORKFLOW_NOT_FOUND for workflows): no such resource in this project."
TOO_LARGE = "PAYLOAD_TOO_LARGE: the body is over 2.5 MB."
UNSUPPORTED = "UNSUPPORTED_MEDIA_TYPE: send `Content-Type: application/json`."
RATE_LIMITED = "RATE_LIMITED: the organization's request budget is spent; see Retry-After."
BODY_METHODS = {"POST", "PUT", "PATCH"}


def error_response(description: str) -> dict:
    return {
        "description": description,
        "content": {"application/json": {"schema": {"$ref": "#/components/schemas/Error"}}},
    }


class FlowbuilderAutoSchema(AutoSchema):
    """drf-spectacular's AutoSchema, plus the error responses of each operation.

    A view declares the errors only it can give as `schema_errors = {"POST": {409: "…"}}`
    (a method, or "*" for all of them); a description there replaces the generic one.
    """

    def get_operation(self, path, path_regex, path_prefix, method, registry):
        operation = super().get_operation(path, path_regex, path_prefix, method, registry)
        if operation is None:
            return None
        responses = operation.setdefault("responses", {})
        for status_code, description in self.error_statuses(operation).items():
            responses[str(status_code)] = error_response(description)
        # Other content types a success can come in, e.g. {"GET": {"text/csv": "…"}}.
        other_content = getattr(self.view, "schema_other_content", {}).get(self.method.upper(), {})
        for media_type, description in other_content.items():
            success = next(code for code in sorted(responses) if code.startswith("2"))
            responses[success].setdefault("content", {})[media_type] = {
                "schema": {"type": "string", "description": description}
            }
        return operation

    def error_statuses(self, operation: dict) -> dict[int, str]:
        parameters = operation.get("parameters", [])
        has_body = "requestBody" in operation
        statuses: dict[int, str] = {}
        if has_body or any(parameter["in"] in ("query", "header") for parameter in parameters):
            statuses[400] = BAD_REQUEST
        statuses[401] = UNAUTHORIZED
        statuses[403] = FORBIDDEN
        if any(parameter["in"] == "path" for parameter in parameters):
            statuses[404] = NOT_FOUND
        if has_body:
            statuses[413] = TOO_LARGE
            statuses[415] = UNSUPPORTED
        statuses[429] = RATE_LIMITED
        declared = getattr(self.view, "schema_errors", {})
        statuses.update(declared.get("*", {}))
        statuses.update(declared.get(self.method.upper(), {}))
        return dict(sorted(statuses.items()))

    def _get_request_body(self, direction="request"):
        # No request body is documented for methods that take none (DELETE, GET).
        if self.method.upper() not in BODY_METHODS:
            return None
        return super()._get_request_body(direction)
