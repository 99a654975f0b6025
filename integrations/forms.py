"""Page forms. The credential form is generated from the type's JSON Schema: one source of truth."""

from __future__ import annotations

import re
from typing import Any

from django import forms

from integrations.credential_types import CREDENTIAL_TYPES
from integrations.models import AI_EXCLUDED_PATTERN, ConnectionKind, SslMode


def _schema_field(name: str, schema: dict[str, Any], *, required: bool, editing: bool) -> forms.Field:
    label = schema.get("title", name)
    if schema.get("writeOnly"):
        # Secrets are never rendered back (render_value=False); blank on edit keeps the stored one.
        help_text = "Leave blank to keep the stored value." if editing else ""
        return forms.CharField(
            label=label,
            required=required and not editing,
            help_text=help_text,
            strip=False,
            widget=forms.PasswordInput(render_value=False, attrs={"autocomplete": "new-password"}),
        )
    if "enum" in schema:
        choices = [(value, value) for value in schema["enum"]]
        return forms.ChoiceField(label=label, choices=choices, required=required, initial=schema.get("default"))
    if schema.get("type") == "integer":
        return forms.IntegerField(
            label=label,
            required=required,
            initial=schema.get("default"),
            min_value=schema.get("minimum"),
            max_value=schema.get("maximum"),
        )
    if schema.get("type") == "boolean":
        return forms.BooleanField(label=label, required=False, initial=schema.get("default", False))
    return forms.CharField(label=label, required=required, initial=schema.get("default"))


class CredentialForm(forms.Form):
    name = forms.CharField(max_length=200)

    def __init__(self, *args, type_name: str, editing: bool = False, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        schema = CREDENTIAL_TYPES[type_name]
        self.secret_names = set()
        for name, field_schema in schema["properties"].items():
            required = name in schema.get("required", [])
            self.fields[f"field_{name}"] = _schema_field(name, field_schema, required=required, editing=editing)
            if field_schema.get("writeOnly"):
                self.secret_names.add(name)

    def credential_fields(self) -> dict[str, Any]:
        """The schema fields entered; blank secrets are left out (so an edit keeps them)."""
        fields = {}
        for key, value in self.cleaned_data.items():
            if not key.startswith("field_"):
                continue
            name = key.removeprefix("field_")
            if value in ("", None) and (name in self.secret_names or not isinstance(value, bool)):
                continue
            fields[name] = value
        return fields


class ConnectionForm(forms.Form):
    name = forms.CharField(max_length=200)
    kind = forms.ChoiceField(choices=ConnectionKind.choices)
    host = forms.CharField(required=False)
    port = forms.IntegerField(required=False, min_value=1, max_value=65535)
    database = forms.CharField(required=False)
    username = forms.CharField(required=False)
    password = forms.CharField(
        required=False,
        strip=False,
        widget=forms.PasswordInput(render_value=False, attrs={"autocomplete": "new-password"}),
    )
    ssl_mode = forms.ChoiceField(choices=SslMode.choices, initial=SslMode.PREFER)
    base_url = forms.URLField(required=False, label="Base URL (REST)", assume_scheme="https")
    statement_timeout_ms = forms.IntegerField(initial=10_000, min_value=100, max_value=300_000)
    row_limit = forms.IntegerField(initial=1_000, min_value=1, max_value=100_000)
    ai_excluded = forms.CharField(
        required=False,
        label="Hidden from AI",
        help_text="Tables (orders, public.orders) and columns (customers.email) that Ask data never shows "
        "the model, separated by commas.",
    )

    def clean_ai_excluded(self) -> list[str]:
        names = [name.strip() for name in self.cleaned_data["ai_excluded"].split(",") if name.strip()]
        wrong = [name for name in names if not re.match(AI_EXCLUDED_PATTERN, name)]
        if wrong:
            shown = ", ".join(wrong)
            raise forms.ValidationError(f"Not a table or column name: {shown} (write table or table.column).")
        return names
