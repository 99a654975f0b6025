"""The FilterSet of the functions list."""

from __future__ import annotations

import django_filters

from flowbuilder.api.filters import ListFilterSet, sort_filter
from functions_app.models import Function, FunctionKind


class FunctionFilter(ListFilterSet):
    kind = django_filters.ChoiceFilter(choices=FunctionKind.choices)
    search = django_filters.CharFilter(field_name="name", lookup_expr="icontains", max_length=100)
    sort = sort_filter("created_at", "kind", "name", "updated_at", default="name")
    default_sort = "name"

    class Meta:
        model = Function
        fields = ["kind", "search", "sort", "order"]
