"""Page/limit/offset pagination that answers in the envelope with `meta`."""

from __future__ import annotations

import math

from django.db.models import QuerySet
from rest_framework.exceptions import ValidationError
from rest_framework.pagination import BasePagination
from rest_framework.response import Response

from flowbuilder.api.envelope import success_body

DEFAULT_LIMIT = 20
MAX_LIMIT = 100
# Far past any real list, far below the 64-bit OFFSET the databases accept (issue 15).
MAX_OFFSET = 1_000_000_000
# One bound whatever the limit (the schema cannot say "depends on limit"): offset stays ≤ MAX_OFFSET.
MAX_PAGE = MAX_OFFSET // MAX_LIMIT + 1


def bounded_int(request, name: str, default: int, *, minimum: int, maximum: int | None = None) -> int:
    """A whole-number query parameter within bounds, or a 400 naming it (never a database error)."""
    values = request.query_params.getlist(name)
    if len(values) > 1:
        raise ValidationError({name: [f"Give {name} once."]})
    raw = values[0] if values else None
    if raw is None:
        return default
    raw = raw.strip()
    try:
        if not (raw.lstrip("-").isdigit() and raw.isascii()):
            raise ValueError(raw)  # int() would also take "1_000", " 7" or non-ASCII digits
        value = int(raw)  # over 4,300 digits is a ValueError too
    except ValueError:
        raise ValidationError({name: [f"{name} must be a whole number."]}) from None
    if value < minimum:
        raise ValidationError({name: [f"{name} must be at least {minimum}."]})
    if maximum is not None and value > maximum:
        raise ValidationError({name: [f"{name} must be at most {maximum}."]})
    return value


def page_limit(request) -> int:
    # A limit above the maximum is clamped rather than refused: clients asking for
    # "everything" still get a useful first page.
    return min(bounded_int(request, "limit", DEFAULT_LIMIT, minimum=1), MAX_LIMIT)


class EnvelopePagination(BasePagination):
    def paginate_queryset(self, queryset, request, view=None):
        self.limit = page_limit(request)
        # Both are checked even when offset wins, so a bad page is never silently ignored.
        self.page = bounded_int(request, "page", 1, minimum=1, maximum=MAX_PAGE)
        self.offset = (self.page - 1) * self.limit
        if request.query_params.get("offset") is not None:
            self.offset = bounded_int(request, "offset", 0, minimum=0, maximum=MAX_OFFSET)
            self.page = self.offset // self.limit + 1
        # Querysets count in the database; plain lists (merged rows) by their length.
        self.total = queryset.count() if isinstance(queryset, QuerySet) else len(queryset)
        return list(queryset[self.offset : self.offset + self.limit])

    def get_meta(self) -> dict:
        return {
            "page": self.page,
            "limit": self.limit,
            "offset": self.offset,
            "total": self.total,
            "pages": math.ceil(self.total / self.limit) if self.total else 0,
        }

    def get_paginated_response(self, data):
        response = Response(success_body(data, self.get_meta()))
        response.is_enveloped = True
        return response

    def get_paginated_response_schema(self, schema):
        return {
            "type": "object",
            "required": ["success", "data", "meta"],
            "properties": {
                "success": {"type": "boolean", "enum": [True]},
                "data": schema,
                "meta": {"$ref": "#/components/schemas/PageMeta"},
            },
        }

    def get_schema_operation_parameters(self, view):
        def integer(name, description, **bounds):
            return {
                "name": name,
                "required": False,
                "in": "query",
                "description": description,
                "schema": {"type": "integer", **bounds},
            }

        return [
            integer("page", "Page number, from 1.", minimum=1, maximum=MAX_PAGE),
            integer("limit", f"Items per page (default {DEFAULT_LIMIT}; above {MAX_LIMIT} reads as {MAX_LIMIT}).",
                    minimum=1),
            integer("offset", "Items to skip; overrides page.", minimum=0, maximum=MAX_OFFSET),
        ]
