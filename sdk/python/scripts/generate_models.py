"""Write flowbuilder_sdk/models.py from the API's OpenAPI schema.

    python sdk/python/scripts/generate_models.py SCHEMA.json OUTPUT.py

Every component schema becomes a frozen dataclass (objects), a `Literal` alias (enums) or a
`Union` alias (oneOf); `OPERATIONS` maps each operationId to its method, path and the type of
`data` in each success answer, unwrapping the envelope. The output depends only on the schema,
so `tests/sdk/test_models_drift.py` regenerates it from the live schema and diffs.
Standard library only; the output runs on Python 3.9 (annotations are never evaluated; the
module-level aliases, which are, use typing.Literal and typing.Union).
"""

from __future__ import annotations

import json
import keyword
import re
import sys
from pathlib import Path

HEADER = '''"""Models and operations of the Flowbuilder API, generated from /api/v1/schema/. Do not edit.

Regenerate with `make sdk-generate` (sdk/python/scripts/generate_models.py).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, ClassVar, Literal, Union

from flowbuilder_sdk._model import Model, Operation

'''
METHODS = ("get", "post", "put", "patch", "delete")
SCALARS = {"string": "str", "integer": "int", "number": "float", "boolean": "bool"}


def ref_name(schema: dict) -> str | None:
    ref = schema.get("$ref")
    if ref is None and len(schema.get("allOf", [])) == 1:
        ref = schema["allOf"][0].get("$ref")
    return ref.rsplit("/", 1)[-1] if ref else None


def is_envelope(schema: dict) -> bool:
    return {"data", "success"} <= set(schema.get("properties", {}))


class Generator:
    def __init__(self, schema: dict) -> None:
        self.components = schema["components"]["schemas"]
        self.paths = schema["paths"]
        self.classes: dict[str, dict] = {}  # name -> object schema (components and named inline ones)

    def annotation(self, schema: dict) -> str:
        """The Python type of a schema; objects named only by a $ref become classes."""
        name = ref_name(schema)
        if name:
            return name
        if "enum" in schema:
            return "Literal[" + ", ".join(repr(value) for value in schema["enum"] if value is not None) + "]"
        kind = schema.get("type")
        if kind in SCALARS:
            return SCALARS[kind]
        if kind == "array":
            return f"list[{self.annotation(schema.get('items', {}))}]"
        if kind == "object":
            return "dict[str, Any]"
        return "Any"

    def nested(self, schema: dict) -> str | None:
        """How a field's value is parsed: 'Name' (a model), '[Name]' (a list of them), else None."""
        name = ref_name(schema)
        if name and (name in self.classes or "oneOf" in self.components.get(name, {})):
            return name
        if schema.get("type") == "array":
            inner = self.nested(schema.get("items", {}))
            return f"[{inner}]" if inner and not inner.startswith("[") else None
        return None

    def write_class(self, name: str, schema: dict) -> str:
        properties = schema.get("properties", {})
        required = set(schema.get("required", []))
        lines = ["@dataclass(frozen=True)", f"class {name}(Model):"]
        description = (schema.get("description") or "").strip().replace('"""', "'''").replace("\\", "\\\\")
        if description:
            lines.append(f'    """{description}"""\n')
        names, nested = {}, {}
        mandatory = [p for p in properties if p in required and not properties[p].get("nullable")]
        for prop in mandatory + [p for p in properties if p not in mandatory]:
            attribute = prop + "_" if keyword.iskeyword(prop) else prop
            names[attribute] = prop
            annotation = self.annotation(properties[prop])
            if prop in mandatory:
                lines.append(f"    {attribute}: {annotation}")
            else:
                lines.append(f"    {attribute}: {annotation} | None = None")
            if self.nested(properties[prop]):
                nested[attribute] = self.nested(properties[prop])
        lines.append("    extra: dict[str, Any] = field(default_factory=dict, repr=False)")
        lines.append(f"    __wire_names__: ClassVar[dict[str, str]] = {names!r}")
        lines.append(f"    __nested__: ClassVar[dict[str, str]] = {nested!r}")
        return "\n".join(lines) + "\n"

    def data_type(self, operation_id: str, body: dict) -> str | None:
        """The parse spec of `data` in one success answer."""
        name = ref_name(body)
        envelope = self.components[name] if name else body
        if not is_envelope(envelope):
            return None
        data = envelope["properties"]["data"]
        if data.get("type") == "array" and data.get("items", {}).get("type") == "object":
            inline = camel(operation_id) + "Item"
            self.classes[inline] = data["items"]
            return f"[{inline}]"
        return self.nested(data) or None

    def operations(self) -> list[str]:
        lines = []
        for path, item in self.paths.items():
            for method in METHODS:
                operation = item.get(method)
                if operation is None:
                    continue
                results = {}
                for status, answer in operation["responses"].items():
                    body = answer.get("content", {}).get("application/json", {}).get("schema")
                    if status.startswith("2") and body is not None:
                        results[status] = self.data_type(operation["operationId"], body)
                entry = f"Operation({method.upper()!r}, {path!r}, {results!r})"
                lines.append(f"    {operation['operationId']!r}: {entry},")
        return sorted(lines)

    def render(self) -> str:
        aliases, unions_text = [], []
        for name, schema in self.components.items():
            if name.startswith("Paginated") or is_envelope(schema) or name == "Error":
                continue
            if schema.get("type") == "object" or "properties" in schema:
                self.classes[name] = schema
            elif "oneOf" in schema:
                members = ", ".join(ref_name(option) or "Any" for option in schema["oneOf"])
                unions_text.append(f"{name} = Union[{members}]\n")
            else:
                aliases.append(f"{name} = {self.annotation(schema)}\n")
        operations = self.operations()  # names inline classes first
        unions = {
            name: [ref_name(option) for option in schema["oneOf"]]
            for name, schema in self.components.items()
            if "oneOf" in schema
        }
        parts = [HEADER, *sorted(aliases), "\n"]
        parts += [self.write_class(name, schema) + "\n\n" for name, schema in sorted(self.classes.items())]
        parts += [*sorted(unions_text), "\n"]
        parts.append(f"UNIONS: dict[str, list[str]] = {json.dumps(unions, sort_keys=True)}\n\n")
        parts.append("OPERATIONS: dict[str, Operation] = {\n" + "\n".join(operations) + "\n}\n")
        return "".join(parts)


def camel(operation_id: str) -> str:
    return "".join(part.capitalize() for part in re.split(r"[_\W]+", operation_id) if part)


def generate(schema: dict) -> str:
    return Generator(schema).render()


def main(argv: list[str]) -> int:
    if len(argv) != 3:
        print(__doc__, file=sys.stderr)
        return 2
    schema = json.loads(Path(argv[1]).read_text())
    Path(argv[2]).write_text(generate(schema))
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv))
