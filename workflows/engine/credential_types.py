"""The credential types: one registry for the credentials people save and the nodes that use them.

Each type is a JSON Schema of its fields (`"writeOnly": true` marks the secret part). The
integrations app validates and stores credentials with these schemas and serves them at
`GET /api/v1/credential-types`; node types name the types a credential field accepts with
`credential_field(...)`, which the registry checks when a node type is registered, so a
node can never ask for a type no credential has (issue 16: the HTTP node asked for
`http_auth`, which no credential was, and its picker stayed empty).
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from typing import Any

# The schema keyword a credential field carries: the credential types it accepts.
CREDENTIAL_TYPES_KEY = "x-credential-types"


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

# The types that can authenticate an HTTP request (headers or query parameters).
HTTP_AUTH_TYPES: tuple[str, ...] = ("bearer", "basic", "api_key", "oauth2_token")


def credential_field(*types: str, **extra: Any) -> dict[str, Any]:
    """A config property holding a credential id (`cred_…`) of one of `types`."""
    unknown = [name for name in types if name not in CREDENTIAL_TYPES]
    if not types or unknown:
        raise ValueError(f"unknown credential type(s) {unknown or '(none given)'}; known: {', '.join(TYPE_NAMES)}")
    return {"type": "string", **extra, CREDENTIAL_TYPES_KEY: list(types)}


def credential_fields(schema: Mapping[str, Any], path: str = "") -> Iterator[tuple[str, list[str]]]:
    """(field path, accepted types) of every credential field in a config schema."""
    if not isinstance(schema, Mapping):
        return
    if CREDENTIAL_TYPES_KEY in schema:
        yield path, list(schema[CREDENTIAL_TYPES_KEY])
    for name, sub in (schema.get("properties") or {}).items():
        yield from credential_fields(sub, f"{path}.{name}" if path else name)
    if isinstance(schema.get("items"), Mapping):
        yield from credential_fields(schema["items"], f"{path}[]")
