"""The FilterSets of the form and submission lists."""

from __future__ import annotations

import django_filters

from flowbuilder.api.filters import ListFilterSet, MomentFilter, sort_filter
from forms_app.models import Form, Submission


class FormFilter(ListFilterSet):
    is_active = django_filters.BooleanFilter()
    sort = sort_filter("created_at", "name", "updated_at", default="created_at")
    default_sort = "created_at"

    class Meta:
        model = Form
        fields = ["is_active", "sort", "order"]


class SubmissionFilter(django_filters.FilterSet):
    class Meta:
        model = Submission
        fields: list[str] = []


# `from` is a Python keyword: the date bounds are added to the declared filters by name.
SubmissionFilter.base_filters["from"] = MomentFilter(
    field_name="created_at", help_text="Submitted at or after (date or ISO date-time)."
)
SubmissionFilter.base_filters["to"] = MomentFilter(
    field_name="created_at", end=True, help_text="Submitted up to (a bare date includes that day)."
)
