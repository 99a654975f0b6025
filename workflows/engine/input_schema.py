"""A trigger's optional `input_schema`: the JSON Schema its payload must match.

Checked as a schema when the definition is validated (the meta-schema of draft 2020-12,
local `$ref`s only, a size cap), and applied to the payload before a run is stored:
`POST /workflows/{id}/execute` checks `input`, an inbound hook the request body.
Pure Python (no Django): the API maps `InputProblem`s to 400 INVALID_INPUT.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any

import referencing
import referencing.exceptions
from jsonschema import Draft202012Validator
from jsonschema.exceptions import SchemaError, ValidationError

MAX_SCHEMA_BYTES = 64 * 1024
MAX_PROBLEMS = 20
MAX_MESSAGE_CHARS = 300

INPUT_SCHEMA_PROPERTY: dict[str, Any] = {
    "type": "object",
    "description": "Optional JSON Schema (draft 2020-12) the payload must match: `input` of "
    "POST /workflows/{id}/execute, the body of an inbound hook. A payload that does not match "
    "is refused with 400 INVALID_INPUT naming the failing value (e.g. input.amount); no run starts.",
    "examples": [{"type": "object", "required": ["amount"], "properties": {"amount": {"type": "number"}}}],
}

# No `$ref` leaves the schema: an empty registry never fetches anything (jsonschema's
# default would fetch remote URLs, a server-side request forgery).
_NO_REMOTE = referencing.Registry()


@dataclass(frozen=True)
class InputProblem:
    path: str
    message: str

    def to_dict(self) -> dict[str, str]:
        return {"path": self.path, "message": self.message}


def input_schema_of(definition: Mapping[str, Any] | None, trigger_node_id: str) -> Mapping[str, Any] | None:
    """The `input_schema` declared by a trigger node of a definition, or None."""
    for node in (definition or {}).get("nodes") or []:
        if isinstance(node, Mapping) and node.get("id") == trigger_node_id:
            schema = (node.get("config") or {}).get("input_schema")
            return schema if isinstance(schema, Mapping) else None
    return None


def schema_problems(schema: Any) -> list[tuple[str, str]]:
    """What is wrong with a schema as an input schema: (path under input_schema, message)."""
    if not isinstance(schema, Mapping):
        return [("", "must be a JSON Schema object")]
    try:
        size = len(json.dumps(schema))
    except (TypeError, ValueError):
        return [("", "must be JSON")]
    if size > MAX_SCHEMA_BYTES:
        return [("", f"is {size} bytes of JSON; the limit is {MAX_SCHEMA_BYTES}")]
    try:
        Draft202012Validator.check_schema(schema)
    except SchemaError as error:
        return [(_path(error.absolute_path), f"not a valid JSON Schema: {error.message}"[:MAX_MESSAGE_CHARS])]
    return [(path, message) for path, message in _reference_problems(schema, schema, ())]


def _reference_problems(root: Any, value: Any, at: tuple) -> Iterable[tuple[str, str]]:
    if isinstance(value, Mapping):
        for key, item in value.items():
            if key in ("$ref", "$dynamicRef") and isinstance(item, str):
                if not item.startswith("#"):
                    yield _path((*at, key)), f"{item!r}: only references inside this schema (#/…) are allowed"
                elif not _resolves(root, item):
                    yield _path((*at, key)), f"{item!r} points at nothing in this schema"
            else:
                yield from _reference_problems(root, item, (*at, key))
    elif isinstance(value, list):
        for index, item in enumerate(value):
            yield from _reference_problems(root, item, (*at, index))


def _resolves(root: Any, reference: str) -> bool:
    fragment = reference[1:]
    if not fragment.startswith("/") and fragment:
        return _has_anchor(root, fragment)
    node = root
    for token in fragment.split("/")[1:]:
        token = token.replace("~1", "/").replace("~0", "~")
        if isinstance(node, Mapping) and token in node:
            node = node[token]
        elif isinstance(node, list) and token.isdigit() and int(token) < len(node):
            node = node[int(token)]
        else:
            return False
    return True


def _has_anchor(value: Any, name: str) -> bool:
    if isinstance(value, Mapping):
        if value.get("$anchor") == name or value.get("$dynamicAnchor") == name:
            return True
        return any(_has_anchor(item, name) for item in value.values())
    if isinstance(value, list):
        return any(_has_anchor(item, name) for item in value)
    return False


def input_problems(schema: Mapping[str, Any], payload: Any, prefix: str) -> list[InputProblem]:
    """Where `payload` fails `schema`, each with its path (`input.amount`); empty when it matches."""
    validator = Draft202012Validator(
        schema, registry=_NO_REMOTE, format_checker=Draft202012Validator.FORMAT_CHECKER
    )
    try:
        errors = sorted(validator.iter_errors(payload), key=lambda error: list(map(str, error.absolute_path)))
    except (referencing.exceptions.Unresolvable, SchemaError, re.error) as error:
        # Validation refuses such schemas; one stored before that still must not crash a request.
        return [InputProblem(prefix, f"the workflow's input schema cannot be applied: {error}"[:MAX_MESSAGE_CHARS])]
    return [_problem(error, prefix) for error in errors[:MAX_PROBLEMS]]


def _problem(error: ValidationError, prefix: str) -> InputProblem:
    parts = list(error.absolute_path)
    if error.validator == "required":
        missing = re.match(r"'([^']+)' is a required property", error.message)
        if missing:
            parts.append(missing.group(1))
    return InputProblem(prefix + _path(parts), error.message[:MAX_MESSAGE_CHARS])


def _path(parts: Iterable[Any]) -> str:
    return "".join(f"[{part}]" if isinstance(part, int) else f".{part}" for part in parts)
