"""Strict JSON strings: a string field of the API takes a JSON string and nothing else.

DRF's `CharField` (and every field built on it: `EmailField`, `URLField`, `SlugField`,
`RegexField`, `IPAddressField`, the model fields a `ModelSerializer` maps to them) turns a
number into its text, so `{"help_text": 0}` was stored as `"0"` while the schema says
`type: string`. One mechanism for the whole API (D12): `install()`, run once from
`flowbuilder.api.apps.ApiConfig.ready()`, makes every such field refuse anything but a `str`
with its own "Not a valid string." message (code `invalid`), before any other rule runs.
"""

from __future__ import annotations

from rest_framework import fields

_lenient_to_internal_value = fields.CharField.to_internal_value


def _strict_to_internal_value(self, data):
    if not isinstance(data, str):
        self.fail("invalid")
    return _lenient_to_internal_value(self, data)


def install() -> None:
    fields.CharField.to_internal_value = _strict_to_internal_value
