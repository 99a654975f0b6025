"""Functions (code, AI, HTTP) that states and nodes call by name, and their versions.

`spec` holds what the function is (kind-specific, checked by functions_app.specs); every
change of it is a new numbered `FunctionVersion`, and a run uses the version that was current
when the run started (functions_app.runtime).
"""

from __future__ import annotations

from django.conf import settings
from django.db import models

from accounts.models import Project
from flowbuilder.ids import id_factory


class FunctionKind(models.TextChoices):
    CODE = "code", "Code"
    AI = "ai", "AI"
    HTTP = "http", "HTTP request"


class Function(models.Model):
    id = models.CharField(primary_key=True, max_length=40, default=id_factory("fn"), editable=False)
    project = models.ForeignKey(Project, on_delete=models.CASCADE, related_name="functions")
    name = models.CharField(max_length=100)
    kind = models.CharField(max_length=10, choices=FunctionKind.choices)
    description = models.CharField(max_length=1000, blank=True)
    spec = models.JSONField(default=dict)
    version = models.PositiveIntegerField(default=1)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["name", "id"]
        constraints = [models.UniqueConstraint(fields=["project", "name"], name="function_name_unique")]

    def __str__(self) -> str:
        return f"{self.name} ({self.kind})"


class FunctionVersion(models.Model):
    id = models.CharField(primary_key=True, max_length=40, default=id_factory("fnv"), editable=False)
    function = models.ForeignKey(Function, on_delete=models.CASCADE, related_name="versions")
    number = models.PositiveIntegerField()
    kind = models.CharField(max_length=10, choices=FunctionKind.choices)
    spec = models.JSONField(default=dict)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-number"]
        constraints = [models.UniqueConstraint(fields=["function", "number"], name="function_version_unique")]

    def __str__(self) -> str:
        return f"{self.function_id} v{self.number}"
