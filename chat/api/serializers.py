from __future__ import annotations

from django.urls import reverse
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from chat.adapters import adapter_for
from chat.models import Channel, ChannelType, ChatMessage, Conversation


class ChannelSerializer(serializers.ModelSerializer):
    project_id = serializers.CharField(read_only=True)
    default_workflow_id = serializers.CharField(read_only=True, allow_null=True)
    inbound_url = serializers.SerializerMethodField(
        help_text="Where customers' messages arrive (generic: POST {\"from\", \"text\"}; WhatsApp: the webhook "
        "URL for Meta, GET handshake and POST messages); null for the web widget, which uses ws/chat/<token>/."
    )
    token = serializers.SerializerMethodField(help_text="The inbound token (the web widget's data-channel).")

    class Meta:
        model = Channel
        fields = [
            "id", "project_id", "name", "type", "settings", "default_workflow_id", "fallback_reply", "active",
            "rate_limit_per_minute", "customer_rate_limit_per_minute", "inbound_url", "token",
            "created_at", "updated_at",
        ]  # fmt: skip
        read_only_fields = fields

    def get_token(self, channel) -> str:
        return channel.token

    def get_inbound_url(self, channel) -> str | None:
        if not adapter_for(channel.type).has_inbound_url:
            return None
        path = reverse("chat-inbound", args=[channel.token])
        request = self.context.get("request")
        return request.build_absolute_uri(path) if request is not None else path


class ChannelCreatedSerializer(ChannelSerializer):
    signing_secret = serializers.CharField(
        read_only=True, allow_null=True,
        help_text="Generic channels: the whsec_… secret that signs replies to callback_url; shown only here.",
    )  # fmt: skip

    class Meta(ChannelSerializer.Meta):
        fields = [*ChannelSerializer.Meta.fields, "signing_secret"]
        read_only_fields = fields


@extend_schema_field(
    {
        "type": "object",
        "description": "Per type. generic: callback_url. whatsapp: phone_number_id, graph_api_base "
        "(default https://graph.facebook.com), graph_api_version (default v21.0), verify_token_credential and "
        "app_secret_credential (hmac_secret credentials), access_token_credential (a bearer credential). "
        "web: allowed_origins.",
        "additionalProperties": True,
    }
)
class SettingsField(serializers.DictField):
    pass


class ChannelWriteSerializer(serializers.Serializer):
    name = serializers.CharField(max_length=200)
    type = serializers.ChoiceField(choices=ChannelType.choices)
    settings = SettingsField(required=False, default=dict)
    default_workflow_id = serializers.CharField(max_length=40, required=False, allow_null=True, allow_blank=True)
    fallback_reply = serializers.CharField(max_length=2000, required=False, allow_blank=True)
    active = serializers.BooleanField(required=False)
    rate_limit_per_minute = serializers.IntegerField(min_value=1, max_value=100_000, required=False)
    customer_rate_limit_per_minute = serializers.IntegerField(min_value=1, max_value=10_000, required=False)

    def validate_type(self, value):
        if self.partial:
            raise serializers.ValidationError("The type is set at creation; create a new channel to change it.")
        return value


class ChannelMetricsSerializer(serializers.Serializer):
    conversations = serializers.IntegerField()
    waiting_conversations = serializers.IntegerField()
    messages_in = serializers.IntegerField()
    messages_out = serializers.IntegerField()
    failed_messages = serializers.IntegerField()
    runs = serializers.IntegerField()


class ChatMessageSerializer(serializers.ModelSerializer):
    execution_id = serializers.CharField(read_only=True, allow_null=True)
    delivery_status = serializers.CharField(
        read_only=True, help_text="Outbound: pending, sent or failed; blank for the customer's messages."
    )

    class Meta:
        model = ChatMessage
        fields = ["id", "direction", "text", "payload", "execution_id", "delivery_status", "attempt_count",
                  "last_error", "created_at"]  # fmt: skip
        read_only_fields = fields


class ConversationSerializer(serializers.ModelSerializer):
    channel_id = serializers.CharField(read_only=True)
    execution_id = serializers.CharField(read_only=True, allow_null=True)

    class Meta:
        model = Conversation
        fields = ["id", "channel_id", "customer_id", "status", "started_at", "last_message_at", "execution_id"]
        read_only_fields = fields


class ConversationDetailSerializer(ConversationSerializer):
    messages = ChatMessageSerializer(many=True, read_only=True)

    class Meta(ConversationSerializer.Meta):
        fields = [*ConversationSerializer.Meta.fields, "messages"]
        read_only_fields = fields
