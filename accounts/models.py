"""Organizations, projects, memberships and roles, API keys, usage and the audit log."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils import timezone

from flowbuilder.ids import id_factory


class Plan(models.TextChoices):
    FREE = "free", "Free"
    STARTER = "starter", "Starter"
    PRO = "pro", "Pro"
    TEAM = "team", "Team"
    BUSINESS = "business", "Business"
    ENTERPRISE = "enterprise", "Enterprise"


class Role(models.TextChoices):
    VIEWER = "viewer", "Viewer"
    EDITOR = "editor", "Editor"
    ADMIN = "admin", "Admin"

    @classmethod
    def rank(cls, role: str) -> int:
        """Roles are ordered: each one can do what the ones below it can."""
        return [cls.VIEWER, cls.EDITOR, cls.ADMIN].index(role)


class Organization(models.Model):
    id = models.CharField(primary_key=True, max_length=40, default=id_factory("org"), editable=False)
    name = models.CharField(max_length=200, unique=True)
    plan = models.CharField(max_length=20, choices=Plan.choices, default=Plan.FREE)
    created_at = models.DateTimeField(auto_now_add=True)

    def __str__(self) -> str:
        return self.name

    @property
    def default_project(self) -> Project:
        return self.projects.get(is_default=True)


class Project(models.Model):
    id = models.CharField(primary_key=True, max_length=40, default=id_factory("proj"), editable=False)
    organization = models.ForeignKey(Organization, on_delete=models.CASCADE, related_name="projects")
    name = models.CharField(max_length=200)
    is_default = models.BooleanField(default=False)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["created_at", "id"]
        constraints = [
            models.UniqueConstraint(fields=["organization", "name"], name="project_name_unique"),
            models.UniqueConstraint(
                fields=["organization"],
                condition=models.Q(is_default=True),
                name="one_default_project_per_org",
            ),
        ]

    def __str__(self) -> str:
        return self.name


class Membership(models.Model):
    id = models.CharField(primary_key=True, max_length=40, default=id_factory("mem"), editable=False)
    organization = models.ForeignKey(Organization, on_delete=models.CASCADE, related_name="memberships")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="memberships")
    role = models.CharField(max_length=10, choices=Role.choices, default=Role.VIEWER)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["created_at", "id"]
        constraints = [
            models.UniqueConstraint(fields=["organization", "user"], name="one_membership_per_user")
        ]

    def __str__(self) -> str:
        return f"{self.user} ({self.role})"


class ApiKey(models.Model):
    """An API key. Only its SHA-256 hash is stored; the plaintext is shown once."""

    id = models.CharField(primary_key=True, max_length=40, default=id_factory("key"), editable=False)
    organization = models.ForeignKey(Organization, on_delete=models.CASCADE, related_name="api_keys")
    name = models.CharField(max_length=200)
    prefix = models.CharField(max_length=20, help_text="The first characters, to recognise a key.")
    key_hash = models.CharField(max_length=64, unique=True)
    role = models.CharField(max_length=10, choices=Role.choices, default=Role.EDITOR)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    expires_at = models.DateTimeField(null=True, blank=True)
    revoked_at = models.DateTimeField(null=True, blank=True)
    last_used_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]

    def __str__(self) -> str:
        return f"{self.name} ({self.prefix}…)"

    @property
    def is_revoked(self) -> bool:
        return self.revoked_at is not None

    @property
    def is_expired(self) -> bool:
        return self.expires_at is not None and self.expires_at <= timezone.now()

    @property
    def status(self) -> str:
        if self.is_revoked:
            return "revoked"
        if self.is_expired:
            return "expired"
        return "active"


class UsageCounter(models.Model):
    """What an organization used on one day (UTC)."""

    organization = models.ForeignKey(Organization, on_delete=models.CASCADE, related_name="usage")
    date = models.DateField()
    api_calls = models.PositiveBigIntegerField(default=0)
    executions = models.PositiveBigIntegerField(default=0)
    steps = models.PositiveBigIntegerField(default=0)
    ai_tokens = models.PositiveBigIntegerField(default=0)
    # Counted apart: runs from the editor's Run (mode "test") and API calls made by the
    # product's own pages and editor (a session, no API key).
    test_executions = models.PositiveBigIntegerField(default=0)
    editor_calls = models.PositiveBigIntegerField(default=0)

    class Meta:
        ordering = ["date"]
        constraints = [models.UniqueConstraint(fields=["organization", "date"], name="one_counter_per_day")]

    def __str__(self) -> str:
        return f"{self.organization_id} {self.date}"


class AiTokenUsage(models.Model):
    """AI tokens an organization used on one day, per model and workflow, split into input and output."""

    organization = models.ForeignKey(Organization, on_delete=models.CASCADE, related_name="ai_usage")
    date = models.DateField()
    model = models.CharField(max_length=200)
    # The workflow whose run made the call; empty for calls outside a run (a function's test
    # call). Not a foreign key: the bill keeps a deleted workflow's tokens.
    workflow_id = models.CharField(max_length=40, blank=True, default="")
    input_tokens = models.PositiveBigIntegerField(default=0)
    output_tokens = models.PositiveBigIntegerField(default=0)

    class Meta:
        ordering = ["date", "model", "workflow_id"]
        constraints = [
            models.UniqueConstraint(
                fields=["organization", "date", "model", "workflow_id"], name="one_ai_counter_per_model_workflow_day"
            )
        ]

    def __str__(self) -> str:
        return f"{self.organization_id} {self.date} {self.model}"


class AuditEvent(models.Model):
    """Who did what, when. Append-only: rows are never changed or deleted by the app."""

    id = models.CharField(primary_key=True, max_length=40, default=id_factory("evt"), editable=False)
    organization = models.ForeignKey(Organization, on_delete=models.CASCADE, related_name="audit_events")
    project = models.ForeignKey(Project, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    actor_label = models.CharField(max_length=255, help_text="Kept when the actor is deleted.")
    api_key = models.ForeignKey(ApiKey, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    action = models.CharField(max_length=64)
    target_type = models.CharField(max_length=64, blank=True)
    target_id = models.CharField(max_length=64, blank=True)
    details = models.JSONField(default=dict, blank=True)
    created_at = models.DateTimeField(default=timezone.now, db_index=True)

    class Meta:
        ordering = ["-created_at", "-id"]

    def __str__(self) -> str:
        return f"{self.created_at:%Y-%m-%d %H:%M} {self.actor_label} {self.action}"

    def save(self, *args, **kwargs):
        if not self._state.adding:
            raise ValueError("Audit events are append-only.")
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise ValueError("Audit events are append-only.")
