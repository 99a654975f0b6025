"""What a chat run's nodes reach: `chat_sender` (chat.message, chat.ask, chat.form) and
`chat_validate_field` (chat.form's answers, checked by the forms validator).

Registered with workflows.run_services in ChatConfig.ready(). A run started by a chat message
carries its conversation id in its input; a run without one gets no sender (chat.message then
reports sent: false, and the asking nodes fail with NO_CONVERSATION).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from chat.models import Conversation, ConversationStatus
from chat.outbound import send
from forms_app.validation import SubmissionInvalid, validate_submission


@dataclass(frozen=True)
class ChatField:
    """A chat.form field as the forms validator reads it (forms_app.validation.FieldRules)."""

    key: str
    type: str
    required: bool
    options: list
    min_value: float | None
    max_value: float | None
    max_length: int | None


def validate_field(field: dict[str, Any], text: str) -> tuple[Any, str | None]:
    """(clean value, None) or (None, the validator's message) for one answer."""
    rules = ChatField(
        key=str(field["name"]),
        type=str(field.get("type") or "text"),
        required=bool(field.get("required", True)),
        options=list(field.get("options") or []),
        min_value=field.get("min"),
        max_value=field.get("max"),
        max_length=field.get("max_length"),
    )
    try:
        cleaned = validate_submission([rules], {rules.key: text})
    except SubmissionInvalid as error:
        return None, error.errors.get(rules.key) or next(iter(error.errors.values()))
    return cleaned[rules.key], None


def chat_services(execution) -> dict[str, Any]:
    found: dict[str, Any] = {"chat_validate_field": validate_field}
    run_input = execution.input if isinstance(execution.input, dict) else {}
    conversation_id = run_input.get("conversation_id")
    if not execution.channel or not isinstance(conversation_id, str):
        return found
    conversation = (
        Conversation.objects.filter(pk=conversation_id, project_id=execution.project_id, channel_id=execution.channel)
        .select_related("channel")
        .first()
    )
    if conversation is None:
        return found

    def chat_sender(message: dict[str, Any]) -> str:
        sent = send(conversation, message["text"], execution=execution, idempotency_key=message.get("idempotency_key"))
        if message.get("expects_reply"):
            Conversation.objects.filter(pk=conversation.pk).exclude(status=ConversationStatus.CLOSED).update(
                status=ConversationStatus.WAITING, execution=execution
            )
        return sent.id

    found["chat_sender"] = chat_sender
    return found
