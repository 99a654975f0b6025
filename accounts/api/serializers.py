from __future__ import annotations

from django.utils import timezone
from rest_framework import serializers

from accounts.models import ApiKey, AuditEvent, Membership, Project, Role, UsageCounter


class ApiKeySerializer(serializers.ModelSerializer):
    status = serializers.CharField(read_only=True)
    created_by = serializers.SerializerMethodField()

    class Meta:
        model = ApiKey
        fields = [
            "id",
            "name",
            "prefix",
            "role",
            "status",
            "created_by",
            "created_at",
            "expires_at",
            "revoked_at",
            "last_used_at",
        ]
        read_only_fields = fields

    def get_created_by(self, api_key) -> str | None:
        return api_key.created_by.email if api_key.created_by else None


class ApiKeyCreateSerializer(serializers.Serializer):
    name = serializers.CharField(max_length=200)
    role = serializers.ChoiceField(choices=Role.choices, default=Role.EDITOR)
    expires_at = serializers.DateTimeField(
        required=False,
        allow_null=True,
        help_text="When the key stops working; must be in the future (a past time is a 400 naming expires_at).",
    )

    def validate_expires_at(self, value):
        if value is not None and value <= timezone.now():
            raise serializers.ValidationError("expires_at must be in the future.")
        return value


class ApiKeyCreatedSerializer(ApiKeySerializer):
    key = serializers.CharField(read_only=True, help_text="The key itself; shown only in this answer.")

    class Meta(ApiKeySerializer.Meta):
        fields = [*ApiKeySerializer.Meta.fields, "key"]
        read_only_fields = fields


class MemberSerializer(serializers.ModelSerializer):
    email = serializers.EmailField(source="user.email", read_only=True)
    name = serializers.SerializerMethodField()

    class Meta:
        model = Membership
        fields = ["id", "email", "name", "role", "created_at"]
        read_only_fields = ["id", "email", "name", "created_at"]

    def get_name(self, membership) -> str:
        return membership.user.get_full_name() or membership.user.email


class MemberRoleSerializer(serializers.Serializer):
    role = serializers.ChoiceField(choices=Role.choices)


class ProjectSerializer(serializers.ModelSerializer):
    class Meta:
        model = Project
        fields = ["id", "name", "is_default", "created_at"]


class UsageDaySerializer(serializers.ModelSerializer):
    class Meta:
        model = UsageCounter
        fields = ["date", "api_calls", "executions", "steps", "ai_tokens", "test_executions", "editor_calls"]


def cost_field(help_text: str) -> serializers.DecimalField:
    return serializers.DecimalField(
        max_digits=24, decimal_places=6, coerce_to_string=False, allow_null=True, help_text=help_text
    )


COST_HELP = (
    "Estimated US dollars from the price table (FLOWBUILDER_AI_PRICES, per model, input and output per "
    "million tokens); null when the model has no price."
)


class AiModelUsageSerializer(serializers.Serializer):
    model = serializers.CharField()
    input_tokens = serializers.IntegerField()
    output_tokens = serializers.IntegerField()
    estimated_cost_usd = cost_field(COST_HELP)


class AiWorkflowUsageSerializer(serializers.Serializer):
    workflow_id = serializers.CharField(allow_null=True, help_text="null: calls outside a workflow run.")
    workflow_name = serializers.CharField()
    input_tokens = serializers.IntegerField()
    output_tokens = serializers.IntegerField()
    estimated_cost_usd = cost_field(COST_HELP + " Summed over the workflow's priced models.")


class UsageSerializer(serializers.Serializer):
    organization_id = serializers.CharField()
    plan = serializers.CharField()
    start_date = serializers.DateField()
    end_date = serializers.DateField()
    totals = serializers.DictField(child=serializers.IntegerField())
    limits = serializers.DictField(child=serializers.IntegerField())
    days = UsageDaySerializer(many=True)
    ai_tokens_by_model = AiModelUsageSerializer(many=True)
    ai_tokens_by_workflow = AiWorkflowUsageSerializer(many=True, help_text="The largest first.")
    estimated_ai_cost_usd = cost_field("The estimated AI cost of the range, priced models only.")


class AuditEventSerializer(serializers.ModelSerializer):
    actor = serializers.CharField(source="actor_label")
    project_id = serializers.CharField(allow_null=True)
    api_key_id = serializers.CharField(allow_null=True)

    class Meta:
        model = AuditEvent
        fields = [
            "id",
            "created_at",
            "actor",
            "api_key_id",
            "project_id",
            "action",
            "target_type",
            "target_id",
            "details",
        ]


class WsTicketSerializer(serializers.Serializer):
    ticket = serializers.CharField(help_text="Single use; pass as ?ticket= or subprotocol flowbuilder.ticket.<ticket>.")
    expires_in = serializers.IntegerField(help_text="Seconds the ticket stays valid.")
