"""Outbound webhook subscriptions, their deliveries and every attempt to send one."""

from __future__ import annotations

from django.conf import settings
from django.db import models

from accounts.models import Project
from flowbuilder.ids import id_factory
from flowbuilder.revisions import Revisioned
from integrations.models import SealedSecretMixin


class EventType(models.TextChoices):
    """What a subscription can listen to."""

    WORKFLOW_EXECUTED = "workflow.executed", "A workflow run finished"
    EXECUTION_FAILED = "execution.failed", "A workflow run failed"
    FORM_SUBMITTED = "form.submitted", "A form was submitted"
    WORKFLOW_PUBLISHED = "workflow.published", "A workflow version was published"


# Sent only by the "send test event" action, to one subscription; nobody subscribes to it.
TEST_EVENT = "webhook.test"


class DeliveryStatus(models.TextChoices):
    PENDING = "pending", "Pending"
    SUCCEEDED = "succeeded", "Succeeded"
    FAILED = "failed", "Failed"


DELIVERY_TERMINAL_STATUSES = frozenset({DeliveryStatus.SUCCEEDED, DeliveryStatus.FAILED})


class WebhookSubscription(SealedSecretMixin, Revisioned):
    id = models.CharField(primary_key=True, max_length=40, default=id_factory("hook"), editable=False)
    project = models.ForeignKey(Project, on_delete=models.CASCADE, related_name="webhook_subscriptions")
    url = models.URLField(max_length=2000)
    events = models.JSONField(default=list)
    enabled = models.BooleanField(default=True)
    description = models.CharField(max_length=500, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["-created_at", "-id"]

    def __str__(self) -> str:
        return self.url

    @property
    def secret_kind(self) -> str:
        return "webhook_subscription"

    @property
    def signing_secret(self) -> str:
        """The `whsec_…` secret, sealed in the vault; shown to people only when created."""
        return self.unseal()["secret"]

    def listens_to(self, event_type: str) -> bool:
        return self.enabled and event_type in self.events


class Delivery(models.Model):
    id = models.CharField(primary_key=True, max_length=40, default=id_factory("dlv"), editable=False)
    subscription = models.ForeignKey(WebhookSubscription, on_delete=models.CASCADE, related_name="deliveries")
    event_type = models.CharField(max_length=64)
    # The exact JSON body, kept as text so every attempt sends the same bytes.
    body = models.TextField()
    status = models.CharField(max_length=10, choices=DeliveryStatus.choices, default=DeliveryStatus.PENDING)
    attempt_count = models.PositiveIntegerField(default=0)
    # While pending: when the next attempt is due (now, or a retry's time). The outbox sweep
    # sends a delivery whose due time passed long ago: its queued job was lost.
    next_attempt_at = models.DateTimeField(null=True, blank=True)
    # When a worker took the current attempt; cleared once the attempt is recorded. An old
    # claim means the worker died while sending.
    claimed_at = models.DateTimeField(null=True, blank=True)
    last_error = models.TextField(blank=True)
    created_at = models.DateTimeField(auto_now_add=True, db_index=True)
    completed_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name_plural = "deliveries"
        indexes = [models.Index(fields=["status", "next_attempt_at"], name="delivery_due")]

    def __str__(self) -> str:
        return f"{self.event_type} → {self.subscription_id} ({self.status})"


class DeliveryAttempt(models.Model):
    delivery = models.ForeignKey(Delivery, on_delete=models.CASCADE, related_name="attempts")
    number = models.PositiveIntegerField()
    succeeded = models.BooleanField(default=False)
    response_code = models.PositiveIntegerField(null=True, blank=True)
    response_body = models.TextField(blank=True, help_text="The first 2 KB of the answer.")
    duration_ms = models.PositiveIntegerField(default=0)
    error = models.TextField(blank=True)
    started_at = models.DateTimeField()
    finished_at = models.DateTimeField()

    class Meta:
        ordering = ["number", "id"]
        constraints = [models.UniqueConstraint(fields=["delivery", "number"], name="one_attempt_per_number")]

    def __str__(self) -> str:
        return f"{self.delivery_id} #{self.number}"

    @property
    def status(self) -> str:
        return DeliveryStatus.SUCCEEDED if self.succeeded else DeliveryStatus.FAILED


class InboundHook(SealedSecretMixin):
    """The secret URL token of one `trigger.webhook` node: `/hooks/<token>` starts its workflow.

    One row per (workflow, node), created the first time the node is published or its hooks
    are listed, so the URL stays the same across edits until someone regenerates it.
    The token is never stored as text: requests are looked up by its SHA-256, and it is
    sealed in the vault so the editor and `GET …/hooks` can show the URL to the project again.
    """

    workflow = models.ForeignKey("workflows.Workflow", on_delete=models.CASCADE, related_name="inbound_hooks")
    node_id = models.CharField(max_length=100)
    token_hash = models.CharField(max_length=64, unique=True)
    created_at = models.DateTimeField(auto_now_add=True)
    regenerated_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["workflow_id", "node_id"]
        constraints = [models.UniqueConstraint(fields=["workflow", "node_id"], name="one_hook_per_trigger_node")]

    def __str__(self) -> str:
        return f"{self.workflow_id}/{self.node_id}"

    @property
    def secret_kind(self) -> str:
        return "inbound_hook"

    @property
    def token(self) -> str:
        """The URL token, opened from the vault (for the project's own pages and API only)."""
        return self.unseal().get("token", "")
