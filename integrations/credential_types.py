"""The fields of each credential type, as one JSON Schema per type.

The API validates with these schemas, `GET /api/v1/credential-types` serves them and the
pages render their forms from them. Fields marked `"writeOnly": true` are the secret part:
they are sealed in the vault and never shown again; every other field is plain metadata.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from jsonschema import Draft202012Validator


def _secret(title: str, **extra: Any) -> dict[str, Any]:
    return {"type": "string", "minLength": 1, "title": title, "writeOnly": True, **extra}


CREDENTIAL_TYPES: dict[str, dict[str, Any]] = {
    "api_key": {
        "title": "API key",
        "description": "A key sent in a header or a query parameter.",
        "type": "object",
        "properties": {
            "key": _secret("Key"),
            "placement": {"enum": ["header", "query"], "default": "header", "title": "Send it in"},
            "name": {
                "type": "string",
                "minLength": 1,
                "default": "X-API-Key",
                "title": "Header or query parameter name",
            },
        },
        "required": ["key", "name"],
        "additionalProperties": False,
    },
    "bearer": {
        "title": "Bearer token",
        "description": "Sent as `Authorization: Bearer <token>`.",
        "type": "object",
        "properties": {"token": _secret("Token")},
        "required": ["token"],
        "additionalProperties": False,
    },
    "basic": {
        "title": "Basic auth",
        "description": "User name and password sent as HTTP Basic authentication.",
        "type": "object",
        "properties": {
            "username": {"type": "string", "minLength": 1, "title": "User name"},
            "password": _secret("Password"),
        },
        "required": ["username", "password"],
        "additionalProperties": False,
    },
    "oauth2_token": {
        "title": "OAuth 2 token",
        "description": "An access token obtained elsewhere, sent as `Authorization: <type> <token>`.",
        "type": "object",
        "properties": {
            "access_token": _secret("Access token"),
            "refresh_token": _secret("Refresh token"),
            "token_type": {"type": "string", "default": "Bearer", "title": "Token type"},
            "scope": {"type": "string", "title": "Scope"},
            "expires_at": {"type": "string", "format": "date-time", "title": "Expires at"},
        },
        "required": ["access_token"],
        "additionalProperties": False,
    },
    "smtp": {
        "title": "SMTP server",
        "description": "An outgoing mail server for `email.send`.",
        "type": "object",
        "properties": {
            "host": {"type": "string", "minLength": 1, "title": "Host"},
            "port": {"type": "integer", "minimum": 1, "maximum": 65535, "default": 587, "title": "Port"},
            "username": {"type": "string", "title": "User name"},
            "password": _secret("Password"),
            "starttls": {"type": "boolean", "default": True, "title": "Use STARTTLS"},
            "from_email": {"type": "string", "minLength": 3, "title": "From address"},
        },
        "required": ["host", "from_email"],
        "additionalProperties": False,
    },
    "database": {
        "title": "Database login",
        "description": "A database user for connections; give it SELECT rights only.",
        "type": "object",
        "properties": {
            "username": {"type": "string", "minLength": 1, "title": "User name"},
            "password": _secret("Password"),
        },
        "required": ["username"],
        "additionalProperties": False,
    },
    "llm": {
        "title": "AI model provider",
        "description": "Anthropic or any OpenAI-compatible endpoint, for `ai.chat`.",
        "type": "object",
        "properties": {
            "provider": {"enum": ["anthropic", "openai_compatible"], "title": "Provider"},
            "base_url": {"type": "string", "minLength": 1, "title": "Base URL", "format": "uri"},
            "api_key": _secret("API key"),
            "default_model": {"type": "string", "title": "Default model"},
        },
        "required": ["provider", "base_url", "api_key"],
        "additionalProperties": False,
    },
    "hmac_secret": {
        "title": "Signing secret",
        "description": "A shared secret that signs webhook bodies (HMAC-SHA256).",
        "type": "object",
        "properties": {"secret": _secret("Secret")},
        "required": ["secret"],
        "additionalProperties": False,
    },
}

TYPE_NAMES = list(CREDENTIAL_TYPES)


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
    rule = {
        "type": f"must be of type {error.validator_value}",
        "enum": f"must be one of {', '.join(map(str, error.validator_value))}",
        "minLength": "must not be empty",
        "minimum": f"must be at least {error.validator_value}",
        "maximum": f"must be at most {error.validator_value}",
    }.get(error.validator, f"fails the {error.validator} rule")
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
