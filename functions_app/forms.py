"""The function page's form: name and description, and each kind's spec as plain fields.

The spec is checked by functions_app.specs (through the services), never here: the form only
turns text boxes into the spec's JSON shape and back.
"""

from __future__ import annotations

import json
import re
from typing import Any

from django import forms

from functions_app.models import FunctionKind
from functions_app.specs import CREDENTIAL_KEY_PATTERN

_JSON_FIELDS = {
    "ai": ("input_schema", "output_schema"),
    "http": ("headers", "query", "body", "response"),
}
_TEXT_FIELDS = {
    "code": ("source",),
    "ai": ("prompt", "system", "model", "credential"),
    "http": ("method", "url", "credential"),
}
_NUMBER_FIELDS = {"code": ("timeout_seconds",), "ai": ("max_tokens",), "http": ("timeout_seconds",)}

HTTP_METHODS = ("GET", "POST", "PUT", "PATCH", "DELETE", "HEAD")
# A code function's credentials are rows of two repeated inputs (name, credential id) plus a
# marker saying the page showed them, so a post without the rows keeps the saved ones.
CREDENTIAL_ROWS_SHOWN, CREDENTIAL_NAME, CREDENTIAL_ID = "credentials_shown", "credential_name", "credential_id"
BLANK_CREDENTIAL_ROWS = 2
CREDENTIAL_NAME_RE = re.compile(CREDENTIAL_KEY_PATTERN)
STARTER_SOURCE = 'def main(input, ctx):\n    ctx.log("called with", input)\n    return {"ok": True, "input": input}\n'


def _json_field(label: str, help_text: str = "") -> forms.CharField:
    return forms.CharField(
        label=label, required=False, help_text=help_text,
        widget=forms.Textarea(attrs={"rows": 4, "class": "mono", "spellcheck": "false"}),
    )  # fmt: skip


class FunctionForm(forms.Form):
    """One form for the three kinds; the page shows the fields of the function's kind."""

    name = forms.CharField(max_length=100, help_text="Flows call it by this name, e.g. validateCustomer or slack.post.")
    kind = forms.ChoiceField(choices=FunctionKind.choices, initial=FunctionKind.CODE)
    description = forms.CharField(max_length=1000, required=False)
    # code
    source = forms.CharField(
        required=False, initial=STARTER_SOURCE, strip=False,
        widget=forms.Textarea(attrs={"rows": 14, "class": "mono", "spellcheck": "false", "data-code-editor": "python"}),
    )  # fmt: skip
    hosts = forms.CharField(required=False, help_text="Hosts the code may call, one per line (api.example.com).",
                            widget=forms.Textarea(attrs={"rows": 2, "class": "mono"}))  # fmt: skip
    timeout_seconds = forms.FloatField(required=False, min_value=0.1, max_value=120)
    # ai
    prompt = forms.CharField(required=False, widget=forms.Textarea(attrs={"rows": 4}),
                             help_text="A template: {{ input.company }} reads the call's input.")  # fmt: skip
    system = forms.CharField(required=False, widget=forms.Textarea(attrs={"rows": 2}))
    model = forms.CharField(required=False, max_length=200)
    credential = forms.ChoiceField(required=False)
    input_schema = _json_field("Input schema (JSON Schema)")
    output_schema = _json_field("Output schema (JSON Schema)", "The answer is checked against it.")
    max_tokens = forms.IntegerField(required=False, min_value=1, max_value=64_000)
    # http
    method = forms.ChoiceField(required=False, choices=[(m, m) for m in HTTP_METHODS])
    url = forms.CharField(required=False, max_length=4000,
                          help_text="A template: https://api.example.com/users/{{ input.id }}")  # fmt: skip
    headers = _json_field("Headers (JSON object)")
    query = _json_field("Query (JSON object)")
    body = _json_field("Body (JSON)", "Strings in it are templates.")
    response = _json_field("Response mapping (JSON object)", 'e.g. {"ok": "{{ response.json.ok }}"}')

    def __init__(self, *args, credentials=(), editing_kind: str | None = None, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["credential"].choices = [("", "— none —"), *[(c.id, f"{c.name} ({c.type})") for c in credentials]]
        if editing_kind:
            self.fields["kind"].disabled = True
            self.fields["kind"].initial = editing_kind

    @property
    def credentials_edited(self) -> bool:
        return self.is_bound and bool(self.data.get(CREDENTIAL_ROWS_SHOWN))

    def posted_credential_rows(self) -> list[tuple[str, str]]:
        """The (name, credential id) rows as posted; rows without a name are left out."""
        getlist = getattr(self.data, "getlist", lambda key: [])
        names, ids = getlist(CREDENTIAL_NAME), getlist(CREDENTIAL_ID)
        rows = [(name.strip(), ids[index] if index < len(ids) else "") for index, name in enumerate(names)]
        return [(name, credential_id) for name, credential_id in rows if name]

    def _credential_map(self) -> dict[str, str | None] | None:
        """name → credential id (None: chosen per node in `function.call`), or None after an error."""
        credentials: dict[str, str | None] = {}
        for name, credential_id in self.posted_credential_rows():
            if not CREDENTIAL_NAME_RE.match(name):
                self.add_error(None, f"Credentials: {name!r} is not a name the code can use; use letters, digits "
                               "and _ (not starting with a digit), like stripe or slack_bot.")  # fmt: skip
                return None
            if name in credentials:
                self.add_error(None, f"Credentials: the name {name!r} is given twice.")
                return None
            credentials[name] = credential_id or None
        return credentials

    def spec(self) -> dict[str, Any] | None:
        """The spec the fields describe, or None after adding an error to a field that is not JSON."""
        data, kind = self.cleaned_data, self.cleaned_data["kind"]
        spec: dict[str, Any] = {"language": "python"} if kind == "code" else {}
        for key in _TEXT_FIELDS[kind]:
            if data.get(key):
                spec[key] = data[key].replace("\r\n", "\n")
        for key in _NUMBER_FIELDS[kind]:
            if data.get(key) is not None:
                spec[key] = data[key]
        if kind == "code":
            hosts = [line.strip() for line in (data.get("hosts") or "").splitlines() if line.strip()]
            if hosts:
                spec["hosts"] = hosts
        if kind == "code" and self.credentials_edited:
            credentials = self._credential_map()
            if credentials is None:
                return None
            if credentials:
                spec["credentials"] = credentials
        for key in _JSON_FIELDS.get(kind, ()):
            text = (data.get(key) or "").strip()
            if not text:
                continue
            try:
                spec[key] = json.loads(text)
            except ValueError as error:
                self.add_error(key, f"Not JSON: {error}")
                return None
        return spec


def credential_rows(form: FunctionForm, function) -> list[tuple[str, str]]:
    """The rows the page shows: as posted (after an error), else as saved; then blank ones to add."""
    if form.credentials_edited:
        rows = form.posted_credential_rows()
    elif function is not None and function.kind == "code":
        rows = [(name, credential_id or "") for name, credential_id in (function.spec.get("credentials") or {}).items()]
    else:
        rows = []
    return rows + [("", "")] * BLANK_CREDENTIAL_ROWS


def initial_from(function) -> dict[str, Any]:
    """The form's initial values for a saved function (JSON parts pretty-printed)."""
    spec = function.spec or {}
    initial: dict[str, Any] = {"name": function.name, "kind": function.kind, "description": function.description}
    for key in _TEXT_FIELDS[function.kind] + _NUMBER_FIELDS[function.kind]:
        if key in spec:
            initial[key] = spec[key]
    for key in _JSON_FIELDS.get(function.kind, ()):
        if key in spec:
            initial[key] = json.dumps(spec[key], indent=2)
    if function.kind == "code":
        initial["hosts"] = "\n".join(spec.get("hosts") or [])
    return initial
