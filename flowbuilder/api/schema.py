"""OpenAPI: the envelope around every answer, every error an operation can give, and links.

One mechanism for the whole API (D12):
- `FlowbuilderAutoSchema` (flowbuilder/api/autoschema.py) adds the error responses each
  operation can return, derived from what the operation has (a body → 400/413/415, query
  parameters → 400, an id in the path → 404, always 401/403/429), plus what a view declares
  in `schema_errors` (409 conflicts, 422 node configs, 502 for a database that does not answer).
- `wrap_in_envelope` (a postprocessing hook) wraps 2xx bodies in `{success, data}`.
- `add_links` (a postprocessing hook) links each create to the get/update/delete of what it
  created and every action on it, and each execute to the execution it started, so clients
  and stateful testers can walk the API.
"""

from __future__ import annotations

import re

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
                "code": {
                    "type": "string",
                    "example": "VALIDATION_ERROR",
                    "description": "Stable, machine-readable; each response lists the codes it uses. "
                    "Treat an unknown code like any other error of its HTTP status.",
                },
                "message": {"type": "string"},
                "details": {"description": "More about the error (field errors, problems with paths)."},
                "field": {"type": "string", "example": "nodes[0].config.url"},
            },
        },
    },
}
PAGE_META_SCHEMA = {
    "type": "object",
    "required": ["limit"],
    "properties": {
        "page": {"type": "integer", "minimum": 1},
        "limit": {"type": "integer", "minimum": 1},
        "offset": {"type": "integer", "minimum": 0},
        "total": {"type": "integer", "minimum": 0},
        "pages": {"type": "integer", "minimum": 0},
        "next_cursor": {"type": "string", "nullable": True, "description": "Execution lists only."},
        "has_more": {"type": "boolean", "description": "Execution lists only."},
    },
    "description": "page, offset, total and pages are there unless the list was read with a cursor.",
}

def _component(schema: dict, components: dict) -> dict:
    ref = schema.get("$ref", "")
    if ref.startswith("#/components/schemas/"):
        return components.get(ref.rsplit("/", 1)[-1], {})
    return schema


def _wrap(schema: dict, components: dict) -> dict:
    if "success" in _component(schema, components).get("properties", {}):
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
    for path_item in result.get("paths", {}).values():
        for operation in path_item.values():
            if not isinstance(operation, dict) or "responses" not in operation:
                continue
            for status_code, response in operation["responses"].items():
                content = response.get("content", {}).get("application/json")
                if content and status_code.startswith("2") and "schema" in content:
                    content["schema"] = _wrap(content["schema"], components)
    return result


PATH_PARAMETER = re.compile(r"{([^}]+)}")


def _operations(paths: dict):
    for path, path_item in paths.items():
        for method, operation in path_item.items():
            if isinstance(operation, dict) and "operationId" in operation:
                yield path, method, operation


def _link_name(method: str, path: str) -> str:
    words = re.sub(r"[{}]", "", path.removeprefix("/api/v1/")).replace("-", "_").split("/")
    return "".join(word.title().replace("_", "") for word in [method, *words])


def _links_to(paths: dict, item_path: str, parameter: str, value: str, *, extra: dict | None = None) -> dict:
    """Links to every operation on `item_path` and below whose path parameters are known."""
    known = {parameter, *(extra or {})}
    links = {}
    for path, method, operation in _operations(paths):
        if not (path == item_path or path.startswith(item_path + "/")):
            continue
        if set(PATH_PARAMETER.findall(path)) != known:
            continue
        links[_link_name(method, path)] = {
            "operationId": operation["operationId"],
            "parameters": {parameter: value, **(extra or {})},
        }
    return links


def _is_item_of(collection: str, candidate: str) -> bool:
    return re.fullmatch(re.escape(collection) + r"/\{[^}/]+\}", candidate) is not None


def add_links(result, generator, request, public):
    """create → get/update/delete/actions of what it created; execute → the execution."""
    paths = result.get("paths", {})
    for path, method, operation in list(_operations(paths)):
        responses = operation.get("responses", {})
        if method == "post" and "201" in responses:
            # `/workflows` → `/workflows/{id}`; an action like `/workflows/import` → its siblings.
            item_paths = [candidate for candidate in paths if _is_item_of(path, candidate)]
            if not item_paths and not path.endswith("}"):
                parent = path.rsplit("/", 1)[0]
                item_paths = [candidate for candidate in paths if _is_item_of(parent, candidate)]
            for item_path in item_paths:
                [parameter] = PATH_PARAMETER.findall(item_path.rsplit("/", 1)[1])
                outer = {name: f"$request.path.{name}" for name in PATH_PARAMETER.findall(path)}
                links = _links_to(paths, item_path, parameter, "$response.body#/data/id", extra=outer)
                if links:
                    responses["201"].setdefault("links", {}).update(links)
        if method == "post" and path.endswith("/execute"):
            started = (("202", "$response.body#/data/execution_id"), ("200", "$response.body#/data/id"))
            for status_code, value in started:
                if status_code in responses:
                    links = _links_to(paths, "/api/v1/executions/{execution_id}", "execution_id", value)
                    nested = path.removesuffix("/execute") + "/executions/{execution_id}"
                    links |= _links_to(paths, nested, "execution_id", value,
                                       extra={"workflow_id": "$request.path.workflow_id"})  # fmt: skip
                    responses[status_code].setdefault("links", {}).update(links)
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
