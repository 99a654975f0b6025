"""The FilterSet of the audit log."""

from __future__ import annotations

import django_filters

from accounts.models import AuditEvent


class AuditEventFilter(django_filters.FilterSet):
    action = django_filters.CharFilter(max_length=64, help_text="e.g. api_key.created")
    target_id = django_filters.CharFilter(max_length=64)

    class Meta:
        model = AuditEvent
        fields = ["action", "target_id"]
