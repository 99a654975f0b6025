"""The FilterSets of the webhook and delivery lists."""

from __future__ import annotations

import django_filters

from flowbuilder.api.filters import ListFilterSet, sort_filter
from webhooks.models import Delivery, DeliveryStatus, WebhookSubscription


class WebhookFilter(ListFilterSet):
    enabled = django_filters.BooleanFilter()
    sort = sort_filter("created_at", "updated_at", "url", default="created_at")
    default_sort = "created_at"

    class Meta:
        model = WebhookSubscription
        fields = ["enabled", "sort", "order"]


class DeliveryFilter(django_filters.FilterSet):
    status = django_filters.ChoiceFilter(choices=DeliveryStatus.choices)

    class Meta:
        model = Delivery
        fields = ["status"]
