"""What each kind of function is made of, as JSON Schema: the one description of a spec.

The API validates with it, `GET /api/v1/functions` serves specs shaped by it, and the
editor page builds its forms from the same fields.
"""

from __future__ import annotations

import re
from typing import Any

import jsonschema

NAME_PATTERN = r"^[A-Za-z_][A-Za-z0-9_]*(\.[A-Za-z_][A-Za-z0-9_]*)*$"
NAME_RE = re.compile(NAME_PATTERN)
MAX_SOURCE_CHARS = 100_000
CREDENTIAL_KEY_PATTERN = "^[A-Za-z_][A-Za-z0-9_]{0,63}$"  # ctx.credentials[key]

_CREDENTIAL_ID = {"type": "string", "pattern": "^cred_[A-Za-z0-9]+$"}
_HOSTS = {
    "type": "array",
    "maxItems": 50,
    "items": {"type": "string", "minLength": 1, "maxLength": 253, "pattern": r"^(\*\.)?[A-Za-z0-9.-]+(:\d+)?$"},
    "description": "Hosts the function may call (`api.example.com`, `*.example.com`), through the network guard.",
}

SPEC_SCHEMAS: dict[str, dict[str, Any]] = {
    "code": {
        "type": "object",
        "properties": {
            "language": {"enum": ["python"]},
            "source": {"type": "string", "minLength": 1, "maxLength": MAX_SOURCE_CHARS},
            "hosts": _HOSTS,
            "credentials": {
                "type": "object",
                "description": "Credentials the code receives as ctx.credentials[name] (name → credential id).",
                "propertyNames": {"pattern": CREDENTIAL_KEY_PATTERN},
                "additionalProperties": {"anyOf": [_CREDENTIAL_ID, {"type": "null"}]},
                "maxProperties": 20,
            },
            "timeout_seconds": {"type": "number", "minimum": 0.1, "maximum": 60},
        },
        "required": ["language", "source"],
        "additionalProperties": False,
    },
    "ai": {
        "type": "object",
        "properties": {
            "prompt": {"type": "string", "minLength": 1, "maxLength": 50_000,
                       "description": "A template: {{ input.company }} reads the call's input."},
            "system": {"type": "string", "maxLength": 50_000},
            "input_schema": {"type": "object"},
            "output_schema": {"type": "object"},
            "model": {"type": "string", "maxLength": 200},
            "credential": _CREDENTIAL_ID,
            "max_tokens": {"type": "integer", "minimum": 1, "maximum": 64_000},
        },
        "required": ["prompt", "credential"],
        "additionalProperties": False,
    },
    "http": {
        "type": "object",
        "properties": {
            "method": {"enum": ["GET", "POST", "PUT", "PATCH", "DELETE", "HEAD"]},
            "url": {"type": "string", "minLength": 1, "maxLength": 4000,
                    "description": "A template: https://api.example.com/users/{{ input.id }}"},
            "headers": {"type": "object", "additionalProperties": {"type": "string"}, "maxProperties": 50},
            "query": {"type": "object", "additionalProperties": {"type": "string"}, "maxProperties": 50},
            "body": {"description": "JSON body; strings in it are templates."},
            "credential": _CREDENTIAL_ID,
            "response": {
                "type": "object",
                "description": "Output fields as templates over `response` ({status, headers, json, text}); "
                "default: the JSON body (or the text).",
                "additionalProperties": {"type": "string"},
                "maxProperties": 100,
            },
            "timeout_seconds": {"type": "number", "minimum": 0.1, "maximum": 120},
        },
        "required": ["method", "url"],
        "additionalProperties": False,
    },
}  # fmt: skip


class SpecError(ValueError):
    def __init__(self, message: str, field: str) -> None:
        super().__init__(message)
        self.message = message
        self.field = field


def check_spec(kind: str, spec: Any) -> None:
    """Raise SpecError naming the first bad field (`spec.source`, `spec.output_schema`)."""
    schema = SPEC_SCHEMAS.get(kind)
    if schema is None:
        raise SpecError(f"kind must be one of {', '.join(SPEC_SCHEMAS)}.", "kind")
    validator = jsonschema.Draft202012Validator(schema)
    error = jsonschema.exceptions.best_match(validator.iter_errors(spec))
    if error is not None:
        path = ".".join(str(part) for part in error.absolute_path)
        raise SpecError(error.message[:300], f"spec.{path}" if path else "spec")
    for key in ("input_schema", "output_schema"):
        if key in spec:
            try:
                jsonschema.Draft202012Validator.check_schema(spec[key])
            except jsonschema.SchemaError as bad:
                raise SpecError(f"not a valid JSON Schema: {bad.message[:300]}", f"spec.{key}") from None
    if kind == "code":
        _check_python(spec["source"])


def _check_python(source: str) -> None:
    """Syntax only, in this process: compiling never runs the code."""
    try:
        compile(source, "<function>", "exec", dont_inherit=True)
    except SyntaxError as error:
        raise SpecError(f"line {error.lineno}: {error.msg}", "spec.source") from None
    except (ValueError, MemoryError, RecursionError) as error:
        raise SpecError(f"the source cannot be compiled: {error}", "spec.source") from None


def check_name(name: Any) -> None:
    if not isinstance(name, str) or not NAME_RE.match(name) or len(name) > 100:
        raise SpecError(
            "A function name is letters, digits and _ (dots between parts, e.g. slack.postMessage), "
            "not starting with a digit, at most 100 characters.",
            "name",
        )


def credential_ids(kind: str, spec: dict[str, Any]) -> list[str]:
    if kind == "code":
        return [value for value in (spec.get("credentials") or {}).values() if value]
    return [spec["credential"]] if spec.get("credential") else []
