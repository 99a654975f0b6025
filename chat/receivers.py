"""A run ended: its conversation no longer waits on it. A run parked: it may already have its answer."""

from __future__ import annotations

from chat.models import Conversation, ConversationStatus
from chat.routing import resume_with_held


def conversation_run_ended(sender, execution, **kwargs) -> None:
    """Inside the transaction that ends the run (workflows.terminal.execution_ended)."""
    Conversation.objects.filter(execution_id=execution.id, status=ConversationStatus.WAITING).update(
        status=ConversationStatus.OPEN
    )


def conversation_run_parked(sender, execution, **kwargs) -> None:
    """After the commit that parked the run (workflows.terminal.execution_parked)."""
    resume_with_held(execution)
