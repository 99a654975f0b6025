"""Chat replies. Sending is delegated to a `chat_sender` service when the host provides one."""

from __future__ import annotations

from ..registry import NodeContext, NodeResult, NodeType


class ChatMessageNode(NodeType):
    type = "chat.message"
    category = "action"
    label = "Send chat message"
    description = "Send a message on a chat channel; channel and recipient default to the trigger's."
    config_schema = {
        "type": "object",
        "properties": {
            "channel": {"type": "string", "x-expression": True},
            "to": {"type": "string", "x-expression": True},
            "text": {"type": "string", "minLength": 1, "x-expression": True},
        },
        "required": ["text"],
        "additionalProperties": False,
    }
    example = {"text": "Hi {{ trigger.name }}! How can I help you today?"}

    def run(self, ctx: NodeContext) -> NodeResult:
        trigger = ctx.trigger if isinstance(ctx.trigger, dict) else {}
        message = {
            "channel": ctx.config.get("channel") or trigger.get("channel"),
            "to": ctx.config.get("to") or trigger.get("from"),
            "text": ctx.config["text"],
            "idempotency_key": ctx.idempotency_key,
        }
        sender = ctx.services.get("chat_sender")
        receipt = sender(message) if callable(sender) else None
        return NodeResult(output={"message": message, "sent": callable(sender), "receipt": receipt})


CHAT_TYPES: list[type[NodeType]] = [ChatMessageNode]
