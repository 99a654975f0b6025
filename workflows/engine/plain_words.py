"""Plain words: schema and runtime errors as sentences with the field's label.

One layer, used by definition validation (what the editor's problems list shows) and by
step errors at run time. The machine-readable code and path travel beside the sentence;
only the message changes: "Fields needs at least one entry" instead of "{} should be
non-empty", "Amount is missing from the input" instead of "'dict object' has no attribute
'amount'".
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from typing import Any

from jinja2 import TemplateSyntaxError
from jinja2.exceptions import SecurityError
from jinja2.utils import missing

from .expression_limits import Refused, Unusable
from .expression_values import MissingValue

# Words written in capitals wherever a label is built from a key ("url" → "URL").
ACRONYMS = {
    "ai": "AI", "api": "API", "bcc": "BCC", "cc": "CC", "csv": "CSV", "dns": "DNS", "hmac": "HMAC",
    "html": "HTML", "http": "HTTP", "https": "HTTPS", "id": "ID", "ids": "IDs", "ip": "IP",
    "json": "JSON", "jwt": "JWT", "llm": "LLM", "oauth": "OAuth", "smtp": "SMTP", "sql": "SQL",
    "ssl": "SSL", "tls": "TLS", "uri": "URI", "url": "URL", "urls": "URLs", "utc": "UTC",
}  # fmt: skip
_TYPE_WORDS = {
    "string": "text",
    "number": "a number",
    "integer": "a whole number",
    "boolean": "true or false",
    "array": "a list",
    "object": "a group of named fields",
    "null": "empty",
}
_FORMAT_WORDS = {
    "uri": "a valid web address (like https://example.com/path)",
    "email": "a valid email address",
    "date-time": "a date and time like 2026-01-31T09:30:00Z",
    "date": "a date like 2026-01-31",
}
_SLUG_PATTERNS = {"^[A-Za-z0-9_-]+$", "^[A-Za-z0-9][A-Za-z0-9_-]{0,99}$"}


def humanize(key: str) -> str:
    """`timeout_seconds` → "Timeout seconds", `url` → "URL", `http_method` → "HTTP method"."""
    words = [word for word in re.split(r"[_\-\s]+", str(key)) if word]
    if not words:
        return str(key)
    shown = [ACRONYMS.get(word.lower(), word.lower() if i else word) for i, word in enumerate(words)]
    first = shown[0]
    shown[0] = first if first.lower() in ACRONYMS else first[:1].upper() + first[1:]
    return " ".join(shown)


def label_for(key: Any, schema: Mapping[str, Any] | None = None) -> str:
    """A field's label: its schema's `title`, else its key in words."""
    if isinstance(schema, Mapping) and isinstance(schema.get("title"), str):
        return schema["title"]
    return humanize(str(key))


def label_at(root: Mapping[str, Any], path: Iterable[Any]) -> str:
    """The label of the field at `path` inside an object described by `root`."""
    label, schema = "", root
    for part in path:
        child: Any = {}
        if isinstance(part, int):
            label = f"{label} (item {part + 1})" if label else f"Item {part + 1}"
            items = schema.get("items") if isinstance(schema, Mapping) else None
            child = items if isinstance(items, Mapping) else {}
        else:
            properties = schema.get("properties", {}) if isinstance(schema, Mapping) else {}
            if isinstance(properties, Mapping) and part in properties:
                child = properties[part]
                label = label_for(part, child)
            else:
                extra = schema.get("additionalProperties") if isinstance(schema, Mapping) else None
                child = extra if isinstance(extra, Mapping) else {}
                label = f"{label} “{part}”" if label else f"“{part}”"
        schema = child
    return label


def enum_words(value: Any, schema: Mapping[str, Any]) -> str:
    labels = schema.get("x-enum-labels")
    if isinstance(labels, Mapping) and isinstance(value, str) and value in labels:
        return str(labels[value])
    if isinstance(value, bool) or value is None:
        return {True: "true", False: "false", None: "empty"}[value]
    return str(value)


def _either(words: list[str]) -> str:
    if len(words) <= 1:
        return "".join(words)
    return ", ".join(words[:-1]) + " or " + words[-1]


def _both(words: list[str]) -> str:
    if len(words) <= 1:
        return "".join(words)
    return ", ".join(words[:-1]) + " and " + words[-1]


def _type_words(expected: Any) -> str:
    kinds = expected if isinstance(expected, list) else [expected]
    return _either([_TYPE_WORDS.get(str(kind), str(kind)) for kind in kinds])


def _entries(count: int, noun: str = "entry", plural: str = "entries") -> str:
    return f"one {noun}" if count == 1 else f"{count} {plural}"


def _branch_options(branch: Any, object_schema: Mapping[str, Any]) -> list[str]:
    """A branch allowing several types reads as several options ("text", "a number", …)."""
    kinds = branch.get("type") if isinstance(branch, Mapping) else None
    if isinstance(kinds, list) and len(kinds) > 1:
        return [_TYPE_WORDS.get(str(kind), str(kind)).replace("true or false", "true/false") for kind in kinds]
    return [_branch_words(branch, object_schema)]


def _branch_words(branch: Any, object_schema: Mapping[str, Any]) -> str:
    """How one `oneOf`/`anyOf` alternative reads: "Condition", "a number", "an object with Port and When"."""
    if not isinstance(branch, Mapping):
        return "something else"
    properties = object_schema.get("properties", {})
    required = [label_for(name, properties.get(name)) for name in branch.get("required", [])]
    if "type" in branch:
        words = _type_words(branch["type"])
        if branch.get("type") == "object" and required:
            own = branch.get("properties", {})
            return "an object with " + _both([label_for(n, own.get(n)) for n in branch.get("required", [])])
        return words
    if required:
        return _both(required)
    if "enum" in branch:
        return _either([enum_words(v, branch) for v in branch["enum"]])
    return "another form"


def explain_schema_error(error: Any, root: Mapping[str, Any]) -> str:
    """A jsonschema ValidationError as a sentence naming the field by its label."""
    path = list(error.absolute_path)
    subject = label_at(root, path) or "These settings"
    keyword, expected, schema = error.validator, error.validator_value, error.schema
    instance = error.instance
    if keyword == "required":
        missing_names = [name for name in expected if isinstance(instance, Mapping) and name not in instance]
        name = missing_names[0] if missing_names else (expected[0] if expected else "")
        return f"{label_at(root, [*path, name])} is required"
    if keyword == "type":
        return f"{subject} must be {_type_words(expected)}"
    if keyword == "enum":
        return f"{subject} must be one of: {', '.join(enum_words(v, schema) for v in expected)}"
    if keyword == "const":
        return f"{subject} must be {enum_words(expected, schema)}"
    if keyword in ("minItems", "minProperties"):
        return f"{subject} needs at least {_entries(expected)}"
    if keyword in ("maxItems", "maxProperties"):
        return f"{subject} can have at most {_entries(expected)}"
    if keyword == "minLength":
        if expected == 1:
            return f"{subject} can't be empty"
        return f"{subject} must be at least {expected} characters long"
    if keyword == "maxLength":
        return f"{subject} must be at most {expected} characters long"
    bounds = {
        "minimum": "at least",
        "maximum": "at most",
        "exclusiveMinimum": "more than",
        "exclusiveMaximum": "less than",
    }
    if keyword in bounds and isinstance(expected, (int, float)):
        return f"{subject} must be {bounds[keyword]} {expected:g}"
    if keyword == "pattern":
        if expected in _SLUG_PATTERNS:
            return f"{subject} may use only letters, digits, _ and -"
        return f"{subject} is not in the expected form"
    if keyword == "format":
        return f"{subject} must be {_FORMAT_WORDS.get(expected, expected)}"
    if keyword == "additionalProperties":
        known = schema.get("properties", {})
        extra = sorted(k for k in instance if k not in known) if isinstance(instance, Mapping) else []
        names = _both([f"“{k}”" for k in extra]) or "Some fields"
        where = "this node" if not path else subject
        return f"{names} {'is' if len(extra) == 1 else 'are'} not a setting of {where}"
    if keyword in ("oneOf", "anyOf"):
        object_schema = schema if isinstance(schema, Mapping) else {}
        options = [word for branch in expected for word in _branch_options(branch, object_schema)]
        if all(isinstance(b, Mapping) and set(b) == {"required"} for b in expected):
            both = keyword == "oneOf" and "is valid under each of" in error.message
            sentence = "Fill in either " + ", or ".join(options)
            return sentence + (", not both" if both else "")
        return f"{subject} must be {_either(options)}"
    if keyword == "not":
        return f"{subject} is not allowed here"
    return f"{subject}: {error.message}"


# ---- runtime: expression failures -------------------------------------------------------

_KINDS = {
    "str": "text",
    "int": "a number",
    "float": "a number",
    "bool": "true/false",
    "NoneType": "null",
    "list": "a list",
    "tuple": "a list",
    "dict": "an object",
    "Missing": "a missing value",
    "date": "a date",
    "datetime": "a date and time",
}
_PLACES = {
    "input": "the input",
    "trigger": "the trigger data",
    "vars": "the workflow variables",
    "execution": "the execution details",
    "loop": "the loop",
}
_KNOWN_NAMES = "input, trigger, steps, vars, execution, loop"
_SEARCH_LIMIT = 2_000


def kind_of(value: Any) -> str:
    return _KINDS.get(type(value).__name__, f"a {type(value).__name__}")


def _find_place(owner: Any, names: Mapping[str, Any]) -> str:
    """Where `owner` sits among the expression's names: "the input", "input.customer", …"""
    for name, place in _PLACES.items():
        if names.get(name) is owner:
            return place
    steps = names.get("steps")
    if isinstance(steps, Mapping):
        for step_id, record in steps.items():
            if isinstance(record, Mapping) and record.get("output") is owner:
                return f"the output of step “{step_id}”"
    budget = [_SEARCH_LIMIT]

    def search(value: Any, path: str, depth: int) -> str | None:
        if value is owner:
            return path
        budget[0] -= 1
        if depth > 6 or budget[0] <= 0:
            return None
        children = value.items() if isinstance(value, Mapping) else enumerate(value) if isinstance(value, list) else ()
        for key, child in children:
            if isinstance(child, (Mapping, list)):
                found = search(child, f"{path}[{key}]" if isinstance(key, int) else f"{path}.{key}", depth + 1)
                if found:
                    return found
        return None

    for name in ("input", "trigger", "steps", "vars", "loop"):
        found = search(names.get(name), name, 0) if isinstance(names.get(name), (Mapping, list)) else None
        if found:
            return found
    return "the object"


def explain_missing(owner: Any, name: Any, names: Mapping[str, Any]) -> str:
    if owner is missing:
        return f"“{name}” is not a name expressions know (use {_KNOWN_NAMES})"
    if owner is names.get("steps"):
        return f"Step “{name}” has no output here: it has not run before this step, or there is no such step"
    if isinstance(owner, Mapping):
        return f"{humanize(str(name))} is missing from {_find_place(owner, names)}"
    if isinstance(owner, list) and isinstance(name, int):
        return f"The list has no item {name} (it has {len(owner)})"
    if owner is None:
        return f"“{name}” can't be read from null (an empty value)"
    if isinstance(owner, str):
        shown = owner if len(owner) <= 30 else owner[:30] + "…"
        return f"“{name}” can't be read from text (“{shown}”)"
    return f"“{name}” can't be read from {kind_of(owner)}"


_TYPE_ERRORS = [
    (
        re.compile(r"unsupported operand type\(s\) for (\S+): '(\w+)' and '(\w+)'"),
        lambda m: f"Can't use {m[1]} with {_KINDS.get(m[2], m[2])} and {_KINDS.get(m[3], m[3])}",
    ),
    (
        re.compile(r'can only concatenate str \(not "(\w+)"\) to str'),
        lambda m: f"Can't add {_KINDS.get(m[1], m[1])} to text: join text with ~ (\"Total: \" ~ input.amount)",
    ),
    (re.compile(r"'(\w+)' object is not callable"), lambda m: f"{_KINDS.get(m[1], m[1])} is not a function"),
    (re.compile(r"'(\w+)' object is not iterable"), lambda m: f"{_KINDS.get(m[1], m[1])} is not a list"),
]


def _sentence(text: str) -> str:
    return text[:1].upper() + text[1:] if text[:1].islower() and not text.startswith(("n8n",)) else text


def explain_expression_failure(exc: BaseException, names: Mapping[str, Any], source: str = "") -> str:
    """Any failure inside an expression, as a sentence for the builder."""
    if isinstance(exc, MissingValue):
        return explain_missing(exc.owner, exc.name, names)
    if isinstance(exc, Unusable):
        return _sentence(str(exc))
    if isinstance(exc, Refused):
        return f"This expression does too much: {exc}"
    if isinstance(exc, SecurityError):
        attribute = re.search(r"attribute '([^']+)'", str(exc))
        shown = f" ({attribute.group(1)})" if attribute else ""
        return f"This expression reaches for something that is not allowed{shown}"
    if isinstance(exc, TemplateSyntaxError):
        if "$" in source or "unexpected char '$'" in exc.message:
            return (
                "The expression has a syntax error: n8n's $json is written input here "
                "({{ input.x }} for {{ $json.x }}); see the expressions help"
            )
        return f"The expression has a syntax error: {exc.message}"
    if isinstance(exc, ZeroDivisionError):
        return "Division by zero"
    message = str(exc)
    for pattern, words in _TYPE_ERRORS:
        match = pattern.search(message)
        if match:
            return _sentence(words(match))
    return f"The expression failed: {message}" if message else f"The expression failed ({type(exc).__name__})"
