"""A project's dashboard: chart tiles, each pinned from a saved query (a connection and its SQL)."""

from __future__ import annotations

from django.conf import settings
from django.db import models

from accounts.models import Project
from flowbuilder.ids import id_factory
from integrations.models import Connection


class ChartKind(models.TextChoices):
    BAR = "bar", "Bar chart"
    LINE = "line", "Line chart"
    NUMBER = "number", "Number"


class Tile(models.Model):
    """One chart on the project dashboard, with the last answer of its query kept for showing."""

    id = models.CharField(primary_key=True, max_length=40, default=id_factory("tile"), editable=False)
    project = models.ForeignKey(Project, on_delete=models.CASCADE, related_name="tiles")
    title = models.CharField(max_length=200)
    connection = models.ForeignKey(Connection, on_delete=models.CASCADE, related_name="tiles")
    sql = models.TextField(help_text="One read-only statement, run through the connection's read-only path.")
    chart = models.CharField(max_length=10, choices=ChartKind.choices, default=ChartKind.BAR)
    # Which columns to draw; empty means the first (labels) and the second (values).
    label_column = models.CharField(max_length=200, blank=True)
    value_column = models.CharField(max_length=200, blank=True)
    # 0: the query runs whenever the dashboard is opened; otherwise every this many minutes.
    refresh_minutes = models.PositiveIntegerField(default=0)
    result = models.JSONField(null=True, blank=True, help_text="{columns, rows, truncated} of the last run.")
    error = models.JSONField(null=True, blank=True, help_text="{code, message} when the last run failed.")
    refreshed_at = models.DateTimeField(null=True, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["created_at", "id"]

    def __str__(self) -> str:
        return self.title
