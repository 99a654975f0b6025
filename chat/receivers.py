"""A run ended: its conversation no longer waits on it. A run parked: it may already have its answer."""

from __future__ import annotations

from chat.models import Conversation, ConversationStatus
from chat.routing import resume_with_held


def conversation_run_ended(sender, execution, **kwargs) -> None:
    """Inside the transaction that ends the run (workflows.terminal.execution_ended).

    Only a run started by a chat message has a conversation (`chat.routing._start` sets its
    channel): any other run skips the UPDATE (D19 addendum (3)).
    """
    if not execution.channel:
        return
    Conversation.objects.filter(execution_id=execution.id, status=ConversationStatus.WAITING).update(
        status=ConversationStatus.OPEN
    )


def conversation_run_parked(sender, execution, **kwargs) -> None:
    """After the commit that parked the run (workflows.terminal.execution_parked)."""
    resume_with_held(execution)
