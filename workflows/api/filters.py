"""The FilterSets of the workflow and execution lists."""

from __future__ import annotations

import django_filters
from django.db.models import Q

from flowbuilder.api.filters import ListFilterSet, MomentFilter, aliased_choice_filter, sort_filter
from workflows.models import Execution, ExecutionStatus, Workflow, WorkflowStatus


def search_name_or_description(queryset, name, value):
    return queryset.filter(Q(name__icontains=value) | Q(description__icontains=value))


class WorkflowFilter(ListFilterSet):
    status = aliased_choice_filter(
        "status", WorkflowStatus.values, {"published": "active"}, help_text="`published` means active."
    )
    channel = django_filters.CharFilter(max_length=40)
    search = django_filters.CharFilter(method=search_name_or_description, help_text="Matches name or description.")
    sort = sort_filter("created_at", "name", "status", "updated_at", default="updated_at")
    default_sort = "updated_at"

    class Meta:
        model = Workflow
        fields = ["status", "channel", "search", "sort", "order"]


class ExecutionFilter(ListFilterSet):
    """Newest first unless `order=asc` (the cursor walks in the same order); by status and creation time."""

    status = aliased_choice_filter(
        "status",
        ExecutionStatus.values,
        {"success": "completed", "succeeded": "completed", "error": "failed"},
        help_text="`success` means completed.",
    )
    start_date = MomentFilter(field_name="created_at", help_text="Created at or after (date or date-time).")
    end_date = MomentFilter(field_name="created_at", end=True, help_text="Created up to (a bare date includes it).")
    customer_id = django_filters.CharFilter(max_length=200, help_text="Runs started by this chat customer.")
    channel = django_filters.CharFilter(max_length=40, help_text="Runs started on this chat channel (`chan_…`).")
    sort = sort_filter("created_at", default="created_at")
    default_sort = "created_at"

    class Meta:
        model = Execution
        fields = ["status", "start_date", "end_date", "customer_id", "channel", "sort", "order"]


# `from` and `to` are Python keywords: added to the declared filters by name.
ExecutionFilter.base_filters["from"] = MomentFilter(field_name="created_at", help_text="Same as start_date.")
ExecutionFilter.base_filters["to"] = MomentFilter(field_name="created_at", end=True, help_text="Same as end_date.")
