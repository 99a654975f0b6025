"""OpenAPI: describe the envelope around every answer, and the error shape."""

from __future__ import annotations

from drf_spectacular.extensions import OpenApiAuthenticationExtension

ERROR_SCHEMA = {
    "type": "object",
    "required": ["success", "error"],
    "properties": {
        "success": {"type": "boolean", "enum": [False]},
        "error": {
            "type": "object",
            "required": ["code", "message"],
            "properties": {
                "code": {"type": "string", "example": "VALIDATION_ERROR"},
                "message": {"type": "string"},
                "details": {"type": "object", "additionalProperties": True},
                "field": {"type": "string", "example": "nodes[0].config.url"},
            },
        },
    },
}
PAGE_META_SCHEMA = {
    "type": "object",
    "required": ["page", "limit", "total", "pages"],
    "properties": {
        "page": {"type": "integer"},
        "limit": {"type": "integer"},
        "offset": {"type": "integer"},
        "total": {"type": "integer"},
        "pages": {"type": "integer"},
        "next_cursor": {"type": "string", "nullable": True},
        "has_more": {"type": "boolean"},
    },
}
ERROR_RESPONSES = {
    "400": "Invalid input.",
    "401": "No, malformed, unknown, revoked or expired API key.",
    "403": "Role, project or plan does not allow it.",
    "404": "No such resource in this project.",
    "429": "Rate limit exceeded; see Retry-After.",
}


def _is_envelope(schema: dict, components: dict) -> bool:
    ref = schema.get("$ref", "")
    if ref.startswith("#/components/schemas/"):
        schema = components.get(ref.rsplit("/", 1)[-1], {})
    return "success" in schema.get("properties", {})


def _wrap(schema: dict, components: dict) -> dict:
    if _is_envelope(schema, components):
        return schema  # already an envelope (paginated lists)
    return {
        "type": "object",
        "required": ["success", "data"],
        "properties": {"success": {"type": "boolean", "enum": [True]}, "data": schema},
    }


def wrap_in_envelope(result, generator, request, public):
    components = result.setdefault("components", {}).setdefault("schemas", {})
    components["Error"] = ERROR_SCHEMA
    components["PageMeta"] = PAGE_META_SCHEMA
    error_ref = {"application/json": {"schema": {"$ref": "#/components/schemas/Error"}}}
    for path_item in result.get("paths", {}).values():
        for operation in path_item.values():
            if not isinstance(operation, dict) or "responses" not in operation:
                continue
            for status_code, response in operation["responses"].items():
                content = response.get("content", {}).get("application/json")
                if content and status_code.startswith("2") and "schema" in content:
                    content["schema"] = _wrap(content["schema"], components)
            for status_code, description in ERROR_RESPONSES.items():
                operation["responses"].setdefault(
                    status_code, {"description": description, "content": error_ref}
                )
    return result


class ApiKeyAuthenticationScheme(OpenApiAuthenticationExtension):
    target_class = "flowbuilder.api.authentication.ApiKeyAuthentication"
    name = "ApiKeyAuth"

    def get_security_definition(self, auto_schema):
        return {"type": "http", "scheme": "bearer", "description": "An API key: `Bearer wf_live_…`."}


class SessionAuthenticationScheme(OpenApiAuthenticationExtension):
    target_class = "flowbuilder.api.authentication.CsrfSessionAuthentication"
    name = "SessionAuth"

    def get_security_definition(self, auto_schema):
        return {"type": "apiKey", "in": "cookie", "name": "sessionid"}
