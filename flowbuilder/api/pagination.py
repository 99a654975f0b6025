"""Page/limit/offset pagination that answers in the envelope with `meta`."""

from __future__ import annotations

import math

from rest_framework.exceptions import ValidationError
from rest_framework.pagination import BasePagination
from rest_framework.response import Response

from flowbuilder.api.envelope import success_body

DEFAULT_LIMIT = 20
MAX_LIMIT = 100


def _positive_int(request, name: str, default: int, *, minimum: int) -> int:
    raw = request.query_params.get(name)
    if raw in (None, ""):
        return default
    try:
        value = int(raw)
    except ValueError:
        raise ValidationError({name: [f"{name} must be an integer."]}) from None
    if value < minimum:
        raise ValidationError({name: [f"{name} must be at least {minimum}."]})
    return value


class EnvelopePagination(BasePagination):
    def paginate_queryset(self, queryset, request, view=None):
        # A limit above the maximum is clamped rather than refused: clients asking for
        # "everything" still get a useful first page.
        self.limit = min(_positive_int(request, "limit", DEFAULT_LIMIT, minimum=1), MAX_LIMIT)
        if request.query_params.get("offset") not in (None, ""):
            self.offset = _positive_int(request, "offset", 0, minimum=0)
            self.page = self.offset // self.limit + 1
        else:
            self.page = _positive_int(request, "page", 1, minimum=1)
            self.offset = (self.page - 1) * self.limit
        self.total = queryset.count()
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
        def integer(name, description):
            return {
                "name": name,
                "required": False,
                "in": "query",
                "description": description,
                "schema": {"type": "integer"},
            }

        return [
            integer("page", "Page number, from 1."),
            integer("limit", f"Items per page (default {DEFAULT_LIMIT}, at most {MAX_LIMIT})."),
            integer("offset", "Items to skip; overrides page."),
        ]
