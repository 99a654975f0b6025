"""A run ended: its conversation no longer waits on it."""

from __future__ import annotations

from chat.models import Conversation, ConversationStatus


def conversation_run_ended(sender, execution, **kwargs) -> None:
    """Inside the transaction that ends the run (workflows.terminal.execution_ended)."""
    Conversation.objects.filter(execution_id=execution.id, status=ConversationStatus.WAITING).update(
        status=ConversationStatus.OPEN
    )
