"""Web chat widget: replies go to the conversation's Channels group, where chat-web's
WebSocket consumer (`chat/consumers.py`) passes them to the browser. Inbound messages arrive
over that WebSocket (`ws/chat/<channel_token>/`), not over `/channels/<token>/messages`.

The group is `chat.conv.<conversation_id>`; a message is `{"type": "chat.message", "message":
{"id", "direction": "out", "text", "created_at", "conversation_id"}}`, the typing indicator
`{"type": "chat.typing", "on": true|false}` (docs/design.md D26).
"""

from __future__ import annotations

import re

from asgiref.sync import async_to_sync
from channels.layers import get_channel_layer

from chat.adapters.base import Adapter, DeliveryError, register

# Channels group names: ASCII letters, digits, hyphens, underscores and periods, under 100 characters.
_NOT_ALLOWED = re.compile(r"[^A-Za-z0-9._-]")


def conversation_group(conversation_id: str) -> str:
    return ("chat.conv." + _NOT_ALLOWED.sub("_", conversation_id))[:99]


def message_event(message) -> dict:
    return {
        "type": "chat.message",
        "message": {
            "id": message.id,
            "direction": message.direction,
            "text": message.text,
            "created_at": message.created_at.isoformat(),
            "conversation_id": message.conversation_id,
        },
    }


def send_typing(conversation_id: str, on: bool) -> None:
    layer = get_channel_layer()
    if layer is not None:
        async_to_sync(layer.group_send)(conversation_group(conversation_id), {"type": "chat.typing", "on": on})


@register
class WebAdapter(Adapter):
    type = "web"
    has_inbound_url = False
    settings_defaults = {"allowed_origins": []}

    def clean_settings(self, project, settings, *, partial: bool = False):
        from chat.adapters.base import SettingsInvalid

        cleaned = super().clean_settings(project, settings, partial=partial)
        origins = cleaned.get("allowed_origins", [])
        if not isinstance(origins, list) or len(origins) > 50 or not all(
            isinstance(origin, str) and origin.startswith(("http://", "https://")) and len(origin) <= 300
            for origin in origins
        ):
            raise SettingsInvalid({"allowed_origins": "Give up to 50 origins like https://shop.example.com."})
        return cleaned

    def deliver(self, channel, conversation, message) -> None:
        layer = get_channel_layer()
        if layer is None:
            raise DeliveryError("No channel layer is configured for the web widget.", retryable=False)
        group = conversation_group(conversation.id)
        async_to_sync(layer.group_send)(group, message_event(message))
        async_to_sync(layer.group_send)(group, {"type": "chat.typing", "on": False})

    def run_started(self, channel, conversation) -> None:
        send_typing(conversation.id, True)
