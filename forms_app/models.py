"""Forms with ordered fields, and the submissions people send through them."""

from __future__ import annotations

from django.conf import settings
from django.db import models

from accounts.models import Project
from flowbuilder.ids import id_factory
from flowbuilder.revisions import Revisioned


class FieldType(models.TextChoices):
    TEXT = "text", "Text"
    TEXTAREA = "textarea", "Paragraph"
    EMAIL = "email", "Email"
    NUMBER = "number", "Number"
    SELECT = "select", "Choice"
    CHECKBOX = "checkbox", "Checkbox"
    DATE = "date", "Date"


class SubmissionSource(models.TextChoices):
    PAGE = "page", "Public page"
    API = "api", "API"


class Form(Revisioned):
    id = models.CharField(primary_key=True, max_length=40, default=id_factory("form"), editable=False)
    project = models.ForeignKey(Project, on_delete=models.CASCADE, related_name="forms")
    name = models.CharField(max_length=200)
    # Global: the slug is the public address /f/<slug>.
    slug = models.SlugField(max_length=80, unique=True)
    description = models.TextField(blank=True)
    success_message = models.TextField(blank=True, help_text="Shown after a submission.")
    redirect_url = models.URLField(max_length=2000, blank=True, help_text="Where to go after a submission.")
    is_active = models.BooleanField(default=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["-created_at", "-id"]

    def __str__(self) -> str:
        return self.name


class FormField(models.Model):
    id = models.CharField(primary_key=True, max_length=40, default=id_factory("fld"), editable=False)
    form = models.ForeignKey(Form, on_delete=models.CASCADE, related_name="fields")
    key = models.CharField(max_length=64, help_text="The name of the value in a submission.")
    type = models.CharField(max_length=20, choices=FieldType.choices, default=FieldType.TEXT)
    label = models.CharField(max_length=200)
    required = models.BooleanField(default=False)
    placeholder = models.CharField(max_length=200, blank=True)
    help_text = models.CharField(max_length=500, blank=True)
    options = models.JSONField(default=list, blank=True, help_text="The choices of a select field.")
    min_value = models.FloatField(null=True, blank=True)
    max_value = models.FloatField(null=True, blank=True)
    max_length = models.PositiveIntegerField(null=True, blank=True)
    position = models.PositiveIntegerField(default=0)

    class Meta:
        ordering = ["position", "id"]
        constraints = [models.UniqueConstraint(fields=["form", "key"], name="form_field_key_unique")]

    def __str__(self) -> str:
        return f"{self.label} ({self.type})"


class Submission(models.Model):
    id = models.CharField(primary_key=True, max_length=40, default=id_factory("sub"), editable=False)
    form = models.ForeignKey(Form, on_delete=models.CASCADE, related_name="submissions")
    data = models.JSONField(default=dict)
    source = models.CharField(max_length=10, choices=SubmissionSource.choices, default=SubmissionSource.API)
    created_at = models.DateTimeField(auto_now_add=True, db_index=True)
    # A keyed hash, so spam can be traced to one sender without keeping anyone's address.
    ip_hash = models.CharField(max_length=64, blank=True)
    user_agent = models.CharField(max_length=300, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]

    def __str__(self) -> str:
        return self.id
