"""The one submission validator: each type's good and bad values, required, unknown fields."""

from __future__ import annotations

from dataclasses import dataclass, field

import pytest

from forms_app.validation import SubmissionInvalid, validate_submission


@dataclass
class Spec:
    key: str
    type: str
    required: bool = False
    options: list = field(default_factory=list)
    min_value: float | None = None
    max_value: float | None = None
    max_length: int | None = None


def clean(spec: Spec, value):
    return validate_submission([spec], {spec.key: value})[spec.key]


def error_of(spec: Spec, value) -> str:
    with pytest.raises(SubmissionInvalid) as raised:
        validate_submission([spec], {spec.key: value})
    return raised.value.errors[spec.key]


@pytest.mark.parametrize(
    "spec, given, cleaned",
    [
        (Spec("name", "text"), "  Ada  ", "Ada"),
        (Spec("bio", "textarea", max_length=5), "abcde", "abcde"),
        (Spec("email", "email"), "ada@example.com", "ada@example.com"),
        (Spec("seats", "number"), 3, 3),
        (Spec("seats", "number"), "3", 3),
        (Spec("price", "number", min_value=0, max_value=10), "2.5", 2.5),
        (Spec("price", "number", min_value=0, max_value=10), 10, 10),
        (Spec("plan", "select", options=["Starter", "Pro"]), "Pro", "Pro"),
        (Spec("terms", "checkbox"), True, True),
        (Spec("terms", "checkbox"), "on", True),
        (Spec("terms", "checkbox"), None, False),
        (Spec("terms", "checkbox"), "false", False),
        (Spec("start", "date"), "2026-02-28", "2026-02-28"),
        (Spec("start", "date"), None, None),
        (Spec("name", "text"), "", None),
    ],
)
def test_good_values_are_cleaned(spec, given, cleaned):
    assert clean(spec, given) == cleaned


@pytest.mark.parametrize(
    "spec, given, message",
    [
        (Spec("name", "text"), 12, "Enter text."),
        (Spec("name", "text", max_length=3), "Adam", "Use at most 3 characters (this has 4)."),
        (Spec("bio", "textarea"), "x" * 10_001, "Use at most 10000 characters (this has 10001)."),
        (Spec("email", "email"), "ada@", "Enter a valid email address."),
        (Spec("email", "email"), ["ada@example.com"], "Enter text."),
        (Spec("seats", "number"), "three", "Enter a number."),
        (Spec("seats", "number"), True, "Enter a number."),
        (Spec("seats", "number"), "nan", "Enter a finite number."),
        (Spec("seats", "number", min_value=1), 0, "Enter a number of at least 1."),
        (Spec("seats", "number", max_value=2.5), 3, "Enter a number of at most 2.5."),
        (Spec("plan", "select", options=["Starter", "Pro"]), "Gold", "Choose one of: Starter, Pro."),
        (Spec("plan", "select", options=["1"]), 1, "Choose one of: 1."),
        (Spec("terms", "checkbox"), "maybe", "Send true or false."),
        (Spec("start", "date"), "01/02/2026", "Enter a date like 2026-01-31."),
        (Spec("start", "date"), "2026-02-30", "Enter a real date like 2026-01-31."),
        (Spec("start", "date"), 20260101, "Enter a date like 2026-01-31."),
    ],
)
def test_bad_values_get_a_clear_message(spec, given, message):
    assert error_of(spec, given) == message


@pytest.mark.parametrize("kind", ["text", "textarea", "email", "number", "date"])
@pytest.mark.parametrize("given", [None, "", "   "])
def test_a_required_field_must_have_a_value(kind, given):
    assert error_of(Spec("answer", kind, required=True), given) == "This field is required."


def test_a_required_checkbox_must_be_checked():
    assert error_of(Spec("terms", "checkbox", required=True), False) == "This box must be checked."


def test_unknown_fields_are_rejected_alongside_the_other_errors():
    fields = [Spec("name", "text", required=True)]
    with pytest.raises(SubmissionInvalid) as raised:
        validate_submission(fields, {"nickname": "Ada", "admin": True})
    assert raised.value.errors == {
        "name": "This field is required.",
        "nickname": "This form has no such field.",
        "admin": "This form has no such field.",
    }


def test_every_field_gets_a_value_in_form_order():
    fields = [Spec("b", "text"), Spec("a", "checkbox"), Spec("c", "number")]
    assert list(validate_submission(fields, {"c": "7"}).items()) == [("b", None), ("a", False), ("c", 7)]


def test_data_that_is_not_an_object_is_rejected():
    with pytest.raises(SubmissionInvalid) as raised:
        validate_submission([Spec("a", "text")], ["a"])
    assert raised.value.errors == {"data": "Send an object of field values."}
