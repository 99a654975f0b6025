"""Chat channels, the conversations held on them, and every message in and out."""

from __future__ import annotations

from django.db import models

from accounts.models import Project
from flowbuilder.ids import id_factory
from integrations.models import SealedSecretMixin


class ChannelType(models.TextChoices):
    WEB = "web", "Web chat widget"
    GENERIC = "generic", "Generic HTTP"
    WHATSAPP = "whatsapp", "WhatsApp Cloud API"


class Channel(SealedSecretMixin):
    """Where customers write from. The inbound token is looked up by its SHA-256 and sealed in
    the vault with the generic channel's signing secret (like inbound hooks, D6)."""

    id = models.CharField(primary_key=True, max_length=40, default=id_factory("chan"), editable=False)
    project = models.ForeignKey(Project, on_delete=models.CASCADE, related_name="chat_channels")
    name = models.CharField(max_length=200)
    type = models.CharField(max_length=20, choices=ChannelType.choices)
    token_hash = models.CharField(max_length=64, unique=True)
    # The adapter's own settings (callback_url; phone_number_id, graph_api_base, credential ids…).
    settings = models.JSONField(default=dict, blank=True)
    default_workflow = models.ForeignKey(
        "workflows.Workflow", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    fallback_reply = models.CharField(max_length=2000, blank=True)
    active = models.BooleanField(default=True)
    rate_limit_per_minute = models.PositiveIntegerField(default=600)
    customer_rate_limit_per_minute = models.PositiveIntegerField(default=20)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        constraints = [models.UniqueConstraint(fields=["project", "name"], name="chat_channel_name_unique")]

    def __str__(self) -> str:
        return f"{self.name} ({self.type})"

    @property
    def secret_kind(self) -> str:
        return "chat_channel"

    @property
    def token(self) -> str:
        return self.unseal().get("token", "")


class ConversationStatus(models.TextChoices):
    OPEN = "open", "Open"
    WAITING = "waiting", "Waiting for the customer"
    CLOSED = "closed", "Closed"


class Conversation(models.Model):
    id = models.CharField(primary_key=True, max_length=40, default=id_factory("conv"), editable=False)
    project = models.ForeignKey(Project, on_delete=models.CASCADE, related_name="chat_conversations")
    channel = models.ForeignKey(Channel, on_delete=models.CASCADE, related_name="conversations")
    customer_id = models.CharField(max_length=200)
    status = models.CharField(max_length=10, choices=ConversationStatus.choices, default=ConversationStatus.OPEN)
    started_at = models.DateTimeField(auto_now_add=True, db_index=True)
    last_message_at = models.DateTimeField(null=True, blank=True)
    # The run this conversation is in now (the latest one it started or resumed).
    execution = models.ForeignKey(
        "workflows.Execution", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        ordering = ["-started_at", "-id"]
        indexes = [models.Index(fields=["channel", "customer_id", "status"], name="conversation_by_customer")]

    def __str__(self) -> str:
        return f"{self.channel_id}/{self.customer_id} ({self.status})"


class Direction(models.TextChoices):
    IN = "in", "From the customer"
    OUT = "out", "To the customer"


class DeliveryState(models.TextChoices):
    NONE = "", "Not sent (inbound)"
    PENDING = "pending", "Pending"
    SENT = "sent", "Sent"
    FAILED = "failed", "Failed"
    # Inbound only: it came while the customer's run was still working; the run's next
    # chat.ask/chat.form takes it as the answer when it parks (chat.receivers).
    HELD = "held", "Held for the run's next question"


class ChatMessage(models.Model):
    id = models.CharField(primary_key=True, max_length=40, default=id_factory("msg"), editable=False)
    conversation = models.ForeignKey(Conversation, on_delete=models.CASCADE, related_name="messages")
    direction = models.CharField(max_length=3, choices=Direction.choices)
    text = models.TextField()
    payload = models.JSONField(null=True, blank=True)
    execution = models.ForeignKey(
        "workflows.Execution", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    # Outbound only: one send per node step (a replayed step finds its message and sends nothing).
    idempotency_key = models.CharField(max_length=400, null=True, blank=True, unique=True)
    delivery_status = models.CharField(max_length=10, choices=DeliveryState.choices, blank=True, default="")
    attempt_count = models.PositiveIntegerField(default=0)
    # Pending: when the next attempt is due (a retry's time); null means now.
    next_attempt_at = models.DateTimeField(null=True, blank=True)
    last_error = models.CharField(max_length=1000, blank=True)
    created_at = models.DateTimeField(auto_now_add=True, db_index=True)

    class Meta:
        ordering = ["created_at", "id"]

    def __str__(self) -> str:
        return f"{self.direction} {self.text[:40]}"
