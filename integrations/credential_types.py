"""The fields of each credential type, as one JSON Schema per type.

The schemas live in the engine's registry (`workflows.engine.credential_types`), which node
types also use to name the credentials they accept. The API validates with these schemas,
`GET /api/v1/credential-types` serves them and the pages render their forms from them.
Fields marked `"writeOnly": true` are the secret part: they are sealed in the vault and
never shown again; every other field is plain metadata.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from jsonschema import Draft202012Validator

from workflows.engine.credential_types import CREDENTIAL_TYPES, HTTP_AUTH_TYPES, TYPE_NAMES

__all__ = ["CREDENTIAL_TYPES", "HTTP_AUTH_TYPES", "TYPE_NAMES"]


def secret_field_names(type_name: str) -> set[str]:
    properties = CREDENTIAL_TYPES[type_name]["properties"]
    return {name for name, schema in properties.items() if schema.get("writeOnly")}


def split_fields(type_name: str, fields: Mapping[str, Any]) -> tuple[dict[str, Any], dict[str, Any]]:
    """(metadata, secret): the writeOnly fields go to the vault, the rest stays readable."""
    secret_names = secret_field_names(type_name)
    metadata = {name: value for name, value in fields.items() if name not in secret_names}
    secret = {name: value for name, value in fields.items() if name in secret_names}
    return metadata, secret


def with_defaults(type_name: str, fields: Mapping[str, Any]) -> dict[str, Any]:
    properties = CREDENTIAL_TYPES[type_name]["properties"]
    defaults = {name: schema["default"] for name, schema in properties.items() if "default" in schema}
    return {**defaults, **fields}


def field_problems(type_name: str, fields: Mapping[str, Any]) -> list[tuple[str, str]]:
    """(field, message) pairs; messages name the field and the rule, never the value."""
    validator = Draft202012Validator(CREDENTIAL_TYPES[type_name])
    problems = []
    for error in sorted(validator.iter_errors(dict(fields)), key=lambda e: list(e.absolute_path)):
        field = ".".join(str(part) for part in error.absolute_path)
        if error.validator == "required" and "'" in error.message:
            field = error.message.split("'")[1]  # the missing field is the one to point at
        problems.append((field, _describe(error, field)))
    return problems


def _describe(error, field: str) -> str:
    # jsonschema's own messages quote the offending value, which may be a secret.
    if error.validator == "required":
        missing = error.message.split("'")[1] if "'" in error.message else "a field"
        return f"{missing} is required."
    if error.validator == "additionalProperties":
        return "unknown field(s) for this credential type: " + error.message.split("(")[-1].rstrip(")")
    # Only the failed rule's message is built: validator_value is a list for enum, a number for
    # minimum (a table of f-strings formatted all of them and broke on the wrong kind: a 500).
    value = error.validator_value
    rules = {
        "type": lambda: f"must be of type {value}",
        "enum": lambda: f"must be one of {', '.join(map(str, value))}",
        "minLength": lambda: "must not be empty" if value == 1 else f"must be at least {value} characters long",
        "minimum": lambda: f"must be at least {value}",
        "maximum": lambda: f"must be at most {value}",
    }
    rule = rules[error.validator]() if error.validator in rules else f"fails the {error.validator} rule"
    return f"{field or 'fields'} {rule}."


def describe_types() -> list[dict[str, Any]]:
    """What GET /api/v1/credential-types serves."""
    return [
        {
            "type": name,
            "title": schema["title"],
            "description": schema["description"],
            "secret_fields": sorted(secret_field_names(name)),
            "schema": schema,
        }
        for name, schema in CREDENTIAL_TYPES.items()
    ]
