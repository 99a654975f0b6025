from __future__ import annotations

import json
import re

from django.core.exceptions import ValidationError as DjangoValidationError
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from webhooks.models import Delivery, DeliveryAttempt, EventType, WebhookSubscription
from webhooks.signing import secret_problem
from webhooks.targets import checked_target_url


class WebhookSerializer(serializers.ModelSerializer):
    project_id = serializers.CharField(read_only=True)

    class Meta:
        model = WebhookSubscription
        fields = ["id", "project_id", "url", "events", "enabled", "description", "created_at", "updated_at"]
        read_only_fields = fields


# What the schema says of a receiver URL and a caller's own secret; the server's checks
# (checked_target_url, secret_problem) are the same rules with their own messages.
URL_PATTERN = r"^[Hh][Tt][Tt][Pp][Ss]?://[^\s/?#]+\S*$"
# whsec_ + standard base64 of 24 to 64 bytes: 8-20 groups of four with an optional padded
# tail, or 21 groups with at most a one-byte tail (64 bytes).
_B64 = "[A-Za-z0-9+/]"
SECRET_PATTERN = (
    rf"^whsec_(?:(?:{_B64}{{4}}){{8,20}}(?:{_B64}{{2}}==|{_B64}{{3}}=)?|(?:{_B64}{{4}}){{21}}(?:{_B64}{{2}}==)?)$"
)


@extend_schema_field(
    {
        "type": "string",
        "minLength": 1,
        "maxLength": 2000,
        "pattern": URL_PATTERN,
        "description": "An http:// or https:// address that resolves to a public host (not loopback, "
        "private or link-local; 400 naming url otherwise).",
    }
)
class ReceiverUrlField(serializers.CharField):
    def __init__(self, **kwargs):
        super().__init__(trim_whitespace=False, **kwargs)


@extend_schema_field(
    {
        "type": "string",
        "writeOnly": True,
        "pattern": SECRET_PATTERN,
        "description": "Your own signing secret (whsec_ + base64 of 24 to 64 random bytes); generated when left out.",
    }
)
class SigningSecretField(serializers.CharField):
    pass


class WebhookWriteSerializer(serializers.Serializer):
    url = ReceiverUrlField(max_length=2000)
    events = serializers.ListField(
        child=serializers.ChoiceField(choices=EventType.choices), allow_empty=False, min_length=1, max_length=20
    )
    enabled = serializers.BooleanField(default=True)
    description = serializers.CharField(max_length=500, allow_blank=True, default="")
    secret = SigningSecretField(required=False, write_only=True)

    def validate_secret(self, value: str) -> str:
        if self.partial:
            raise serializers.ValidationError("The secret is set at creation; create a new webhook to change it.")
        if problem := secret_problem(value):
            raise serializers.ValidationError(problem)
        return value

    def validate_url(self, value: str) -> str:
        if not re.fullmatch(URL_PATTERN, value):  # what the schema says, before the address checks
            raise serializers.ValidationError("Use an http:// or https:// address.")
        try:
            return checked_target_url(value)
        except DjangoValidationError as error:
            raise serializers.ValidationError(error.messages) from None


class WebhookCreatedSerializer(WebhookSerializer):
    secret = serializers.CharField(read_only=True, help_text="The signing secret (whsec_…); shown only in this answer.")

    class Meta(WebhookSerializer.Meta):
        fields = [*WebhookSerializer.Meta.fields, "secret"]
        read_only_fields = fields


class DeliveryAttemptSerializer(serializers.ModelSerializer):
    status = serializers.CharField(read_only=True)

    class Meta:
        model = DeliveryAttempt
        fields = [
            "number",
            "status",
            "response_code",
            "response_body",
            "duration_ms",
            "error",
            "started_at",
            "finished_at",
        ]
        read_only_fields = fields


class DeliverySerializer(serializers.ModelSerializer):
    webhook_id = serializers.CharField(source="subscription_id", read_only=True)
    payload = serializers.SerializerMethodField()
    attempts = DeliveryAttemptSerializer(many=True, read_only=True)

    class Meta:
        model = Delivery
        fields = [
            "id",
            "webhook_id",
            "event_type",
            "status",
            "attempt_count",
            "next_attempt_at",
            "last_error",
            "created_at",
            "completed_at",
            "payload",
            "attempts",
        ]
        read_only_fields = fields

    def get_payload(self, delivery) -> dict:
        return json.loads(delivery.body)
