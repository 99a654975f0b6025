"""Strict JSON types: a string field takes a JSON string, a boolean field a JSON boolean.

DRF's `CharField` (and every field built on it: `EmailField`, `URLField`, `SlugField`,
`RegexField`, `IPAddressField`, the model fields a `ModelSerializer` maps to them) turned a
number into its text, so `{"help_text": 0}` was stored as `"0"`; its `BooleanField` read `0`,
`1`, `"yes"`, `"off"`… as booleans. The schema says `type: string` and `type: boolean`.
One mechanism for the whole API (D12): `install()`, run once from
`flowbuilder.api.apps.ApiConfig.ready()`, makes every such field refuse any other JSON type
with the field's own "Not a valid string." / "Must be a valid boolean." (code `invalid`),
before any other rule runs. API bodies are JSON only (the one parser), so nothing else
reaches these fields as text.
"""

from __future__ import annotations

from rest_framework import fields

_lenient_char = fields.CharField.to_internal_value
_lenient_boolean = fields.BooleanField.to_internal_value


def _strict_char(self, data):
    if not isinstance(data, str):
        self.fail("invalid")
    return _lenient_char(self, data)


def _strict_boolean(self, data):
    if not isinstance(data, bool):
        self.fail("invalid", input=data)
    return _lenient_boolean(self, data)


def install() -> None:
    fields.CharField.to_internal_value = _strict_char
    fields.BooleanField.to_internal_value = _strict_boolean
