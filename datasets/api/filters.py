"""The FilterSet of the dataset list."""

from __future__ import annotations

import django_filters

from datasets.models import Dataset
from flowbuilder.api.filters import ListFilterSet, sort_filter


class DatasetFilter(ListFilterSet):
    source_format = django_filters.ChoiceFilter(choices=[("csv", "csv"), ("xlsx", "xlsx")])
    sort = sort_filter("created_at", "name", "row_count", "updated_at", default="name")
    default_sort = "name"

    class Meta:
        model = Dataset
        fields = ["source_format", "sort", "order"]
