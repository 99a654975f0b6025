"""OpenAPI for credentials and connections: one request body per type or kind (D12).

`POST /credentials` takes `{name, type, metadata, secret}` where what `metadata` and `secret`
must hold depends on `type`. The server validates them with the type's JSON Schema
(integrations/credential_types.py); this postprocessing hook states the same schemas in the
OpenAPI document as a `oneOf` with a `type` discriminator, so generated clients and
schemathesis know, e.g., that an `api_key` credential needs `secret.key`.

`POST /connections` likewise: a PostgreSQL or MySQL connection needs `host`, `database` and a
`username` or `credential_id`, a MySQL password is Latin-1 text, a REST connection needs
`base_url` (the rules of integrations/services.py `_check_connection_fields`).
"""

from __future__ import annotations

from typing import Any

from integrations.credential_types import CREDENTIAL_TYPES, secret_field_names

COMPONENT = "CredentialCreateRequest"
# Keywords of the type schemas that the server does not check (jsonschema without a format
# checker) or that are only for forms; the OpenAPI copy leaves them out so it claims no more.
_NOT_CHECKED = {"format", "title"}


def _part(type_schema: dict[str, Any], names: set[str], description: str) -> dict[str, Any]:
    properties = type_schema["properties"]
    part = {
        "type": "object",
        "description": description,
        "properties": {
            name: {key: value for key, value in properties[name].items() if key not in _NOT_CHECKED}
            for name in sorted(names)
        },
        "additionalProperties": False,
    }
    # A field with a default is filled in by the server, so it may be left out; `null` means
    # "not given" (services drop null fields), so every field that may be left out may be null.
    required = [name for name in type_schema.get("required", []) if name in names and "default" not in properties[name]]
    for name, schema in part["properties"].items():
        if name not in required:
            schema["nullable"] = True
            if "enum" in schema and "type" not in schema:  # `nullable` needs a `type`; an enum says it itself
                schema["enum"] = [*schema["enum"], None]
    if required:
        part["required"] = required
    return part


def _component_name(type_name: str) -> str:
    return "".join(word.title() for word in type_name.split("_")) + "CredentialRequest"


def _variant(type_name: str, type_schema: dict[str, Any], name_schema: dict[str, Any]) -> dict[str, Any]:
    secret_names = secret_field_names(type_name)
    metadata = _part(type_schema, set(type_schema["properties"]) - secret_names, "The non-secret fields.")
    secret = _part(type_schema, secret_names, "The secret fields; sealed in the vault, never returned.")
    secret["writeOnly"] = True
    parts = {"metadata": metadata, "secret": secret}
    required = ["name", "type", *(part for part, body in parts.items() if "required" in body)]
    return {
        "type": "object",
        "description": f"{type_schema['title']}: {type_schema['description']}",
        "properties": {
            "name": name_schema,
            "type": {"type": "string", "enum": [type_name]},
            "metadata": metadata,
            "secret": secret,
        },  # fmt: skip
        "required": required,
    }


def credential_bodies(result, generator, request, public):
    components = result.get("components", {}).get("schemas", {})
    original = components.get(COMPONENT)
    if original is None:
        return result
    name_schema = original["properties"]["name"]
    mapping = {}
    for type_name, type_schema in CREDENTIAL_TYPES.items():
        component = _component_name(type_name)
        components[component] = _variant(type_name, type_schema, name_schema)
        mapping[type_name] = f"#/components/schemas/{component}"
    components[COMPONENT] = {
        "oneOf": [{"$ref": ref} for ref in mapping.values()],
        "discriminator": {"propertyName": "type", "mapping": mapping},
        "description": "A credential: `metadata` and `secret` hold the fields of its `type` "
        "(GET /credential-types lists them).",
    }
    return result


CONNECTION = "ConnectionWriteRequest"
LATIN_1 = "^[\\u0000-\\u00ff]*$"


def _connection_variant(kind: str, original: dict[str, Any]) -> dict[str, Any]:
    properties = {**original["properties"], "kind": {"type": "string", "enum": [kind]}}
    if kind == "rest":
        properties["base_url"] = {**properties["base_url"], "minLength": 1}
        return {"type": "object", "description": "A REST API.", "properties": properties,
                "required": ["name", "kind", "base_url"]}  # fmt: skip
    for name in ("host", "database"):
        properties[name] = {**properties[name], "minLength": 1, "pattern": "\\S"}
    if kind == "mysql":
        properties["password"] = {**properties["password"], "pattern": LATIN_1,
                                  "description": "Latin-1 text: what the MySQL client can send."}  # fmt: skip
    return {
        "type": "object",
        "description": f"A {kind} database: a username (and password) or a `database` credential.",
        "properties": properties,
        "required": ["name", "kind", "host", "database"],
        "anyOf": [
            {"required": ["username"], "properties": {"username": {"type": "string", "pattern": "\\S"}}},
            {"required": ["credential_id"], "properties": {"credential_id": {"type": "string", "pattern": "\\S"}}},
        ],
    }


def connection_bodies(result, generator, request, public):
    components = result.get("components", {}).get("schemas", {})
    original = components.get(CONNECTION)
    if original is None:
        return result
    mapping = {}
    for kind in ("postgresql", "mysql", "rest"):
        component = kind.title() + "ConnectionRequest"
        components[component] = _connection_variant(kind, original)
        mapping[kind] = f"#/components/schemas/{component}"
    components[CONNECTION] = {
        "oneOf": [{"$ref": ref} for ref in mapping.values()],
        "discriminator": {"propertyName": "kind", "mapping": mapping},
        "description": "A connection; what it needs depends on its `kind`. `credential_id` must name a "
        "credential of this project (a `database` one for SQL kinds, an HTTP one for REST): 400 naming "
        "credential_id otherwise.",
    }
    return result
