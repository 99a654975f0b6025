"""The FilterSets of the channel and conversation lists."""

from __future__ import annotations

import django_filters

from chat.models import Channel, ChannelType, Conversation, ConversationStatus
from flowbuilder.api.filters import ListFilterSet, sort_filter


class ChannelFilter(ListFilterSet):
    type = django_filters.ChoiceFilter(choices=ChannelType.choices)
    active = django_filters.BooleanFilter()
    sort = sort_filter("created_at", "name", default="created_at")
    default_sort = "created_at"

    class Meta:
        model = Channel
        fields = ["type", "active", "sort", "order"]


class ConversationFilter(ListFilterSet):
    channel = django_filters.CharFilter(field_name="channel_id", max_length=40, help_text="A channel id (chan_…).")
    customer = django_filters.CharFilter(field_name="customer_id", max_length=200, help_text="The customer's id.")
    status = django_filters.ChoiceFilter(choices=ConversationStatus.choices)
    sort = sort_filter("started_at", "last_message_at", default="started_at")
    default_sort = "started_at"

    class Meta:
        model = Conversation
        fields = ["channel", "customer", "status", "sort", "order"]
