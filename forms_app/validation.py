"""The one submission validator, shared by the public page and the API.

Both hand it a plain mapping of field key to value: JSON values from the API, strings
from the page's POST. Each type accepts both (a number may come as 12 or "12", a checkbox
as true or "on"), so the same input gets the same answer and the same error wherever it
comes from.
"""

from __future__ import annotations

import datetime as dt
import math
import re
from collections.abc import Callable, Mapping, Sequence
from typing import Any, Protocol

from django.core.exceptions import ValidationError as DjangoValidationError
from django.core.validators import validate_email

DEFAULT_MAX_LENGTH = {"text": 1_000, "textarea": 10_000, "email": 254}
TRUE_STRINGS = frozenset({"true", "on", "1", "yes"})
FALSE_STRINGS = frozenset({"false", "off", "0", "no", ""})
ISO_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$")
REQUIRED_MESSAGE = "This field is required."


class FieldRules(Protocol):
    """What the validator reads from a field (a FormField row fits)."""

    key: str
    type: str
    required: bool
    options: list
    min_value: float | None
    max_value: float | None
    max_length: int | None


class SubmissionInvalid(Exception):
    """The submission breaks the form's rules; `errors` maps each field key to one message."""

    def __init__(self, errors: dict[str, str]) -> None:
        super().__init__("; ".join(f"{key}: {message}" for key, message in errors.items()))
        self.errors = errors


class _FieldError(Exception):
    pass


def validate_submission(fields: Sequence[FieldRules], data: Mapping[str, Any]) -> dict[str, Any]:
    """The cleaned values of every field, in form order, or SubmissionInvalid with all errors."""
    if not isinstance(data, Mapping):
        raise SubmissionInvalid({"data": "Send an object of field values."})
    errors: dict[str, str] = {}
    cleaned: dict[str, Any] = {}
    known = {field.key for field in fields}
    for field in fields:
        try:
            cleaned[field.key] = _clean_field(field, data.get(field.key))
        except _FieldError as error:
            errors[field.key] = str(error)
    for key in data:
        if key not in known:
            errors[str(key)] = "This form has no such field."
    if errors:
        raise SubmissionInvalid(errors)
    return cleaned


def _is_empty(value: Any) -> bool:
    return value is None or (isinstance(value, str) and not value.strip())


def _clean_field(field: FieldRules, value: Any) -> Any:
    if field.type == "checkbox":
        checked = _clean_checkbox(value)
        if field.required and not checked:
            raise _FieldError("This box must be checked.")
        return checked
    if _is_empty(value):
        if field.required:
            raise _FieldError(REQUIRED_MESSAGE)
        return None
    return CLEANERS[field.type](field, value)


def _clean_text(field: FieldRules, value: Any) -> str:
    if not isinstance(value, str):
        raise _FieldError("Enter text.")
    value = value.strip()
    limit = field.max_length or DEFAULT_MAX_LENGTH.get(field.type, DEFAULT_MAX_LENGTH["text"])
    if len(value) > limit:
        raise _FieldError(f"Use at most {limit} characters (this has {len(value)}).")
    return value


def _clean_email(field: FieldRules, value: Any) -> str:
    value = _clean_text(field, value)
    try:
        validate_email(value)
    except DjangoValidationError:
        raise _FieldError("Enter a valid email address.") from None
    return value


def _clean_number(field: FieldRules, value: Any) -> int | float:
    if isinstance(value, bool) or not isinstance(value, int | float | str):
        raise _FieldError("Enter a number.")
    if isinstance(value, str):
        try:
            value = float(value.strip())
        except ValueError:
            raise _FieldError("Enter a number.") from None
    if not math.isfinite(value):
        raise _FieldError("Enter a finite number.")
    if field.min_value is not None and value < field.min_value:
        raise _FieldError(f"Enter a number of at least {_plain(field.min_value)}.")
    if field.max_value is not None and value > field.max_value:
        raise _FieldError(f"Enter a number of at most {_plain(field.max_value)}.")
    return int(value) if float(value).is_integer() else float(value)


def _clean_select(field: FieldRules, value: Any) -> str:
    if not isinstance(value, str) or value not in field.options:
        raise _FieldError(f"Choose one of: {', '.join(map(str, field.options))}.")
    return value


def _clean_checkbox(value: Any) -> bool:
    if value is None or isinstance(value, bool):
        return bool(value)
    if isinstance(value, str) and value.strip().lower() in TRUE_STRINGS:
        return True
    if isinstance(value, str) and value.strip().lower() in FALSE_STRINGS:
        return False
    raise _FieldError("Send true or false.")


def _clean_date(field: FieldRules, value: Any) -> str:
    if not isinstance(value, str) or not ISO_DATE.match(value.strip()):
        raise _FieldError("Enter a date like 2026-01-31.")
    try:
        return dt.date.fromisoformat(value.strip()).isoformat()
    except ValueError:
        raise _FieldError("Enter a real date like 2026-01-31.") from None


def _plain(number: float) -> str:
    return str(int(number)) if float(number).is_integer() else str(number)


CLEANERS: dict[str, Callable[[FieldRules, Any], Any]] = {
    "text": _clean_text,
    "textarea": _clean_text,
    "email": _clean_email,
    "number": _clean_number,
    "select": _clean_select,
    "date": _clean_date,
}
