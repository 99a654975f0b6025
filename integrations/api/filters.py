"""The FilterSets of the credential and connection lists."""

from __future__ import annotations

import django_filters

from flowbuilder.api.filters import ListFilterSet, sort_filter
from integrations.models import Connection, ConnectionKind, Credential, CredentialType


class CredentialFilter(ListFilterSet):
    # Repeatable (`?type=bearer&type=basic`): a node's credential field accepts several types.
    type = django_filters.MultipleChoiceFilter(choices=CredentialType.choices)
    sort = sort_filter("created_at", "name", "type", "updated_at", default="name")
    default_sort = "name"

    class Meta:
        model = Credential
        fields = ["type", "sort", "order"]


class ConnectionFilter(ListFilterSet):
    kind = django_filters.MultipleChoiceFilter(choices=ConnectionKind.choices)
    sort = sort_filter("created_at", "kind", "name", "updated_at", default="name")
    default_sort = "name"

    class Meta:
        model = Connection
        fields = ["kind", "sort", "order"]
