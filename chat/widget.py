"""What the chat widget's socket (chat/consumers.py) asks of the database, as plain sync functions.

The consumer stays thin: it parses frames and relays events; finding the channel, checking the
page's origin, the transcript a reload shows and handing a message to the routing live here.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any
from urllib.parse import urlsplit

from chat import routing
from chat.adapters.web import message_event
from chat.inbound import live_channel
from chat.models import Channel, ChannelType, ChatMessage, Conversation, ConversationStatus, DeliveryState
from workflows.models import Execution, ExecutionStatus

TRANSCRIPT_LIMIT = 200  # the newest messages a reload shows
BUSY_STATUSES = (ExecutionStatus.PENDING, ExecutionStatus.RUNNING)


class Refused(Exception):
    """The message was not taken (invalid, rate limited): the visitor is told why."""

    def __init__(self, code: str, message: str) -> None:
        super().__init__(message)
        self.code = code
        self.message = message


@dataclass
class Taken:
    """Where a visitor's message went: its conversation and the run that handles it, if any."""

    conversation_id: str | None
    message_id: str | None = None
    execution_id: str | None = None


@dataclass
class CatchUp:
    messages: list[dict[str, Any]] = field(default_factory=list)
    busy: bool = False  # the run is still going: replies may follow, keep the typing indicator on


def find_web_channel(token: str) -> Channel | None:
    channel = live_channel(token)
    return channel if channel is not None and channel.type == ChannelType.WEB else None


def normalized_origin(origin: str) -> str | None:
    """`scheme://host[:port]` in lower case, the default port left out; None if it is no origin."""
    try:
        parts = urlsplit(origin.strip())
        port = parts.port
    except ValueError:
        return None
    if parts.scheme not in ("http", "https") or not parts.hostname:
        return None
    default = {"http": 80, "https": 443}[parts.scheme]
    host = f"[{parts.hostname}]" if ":" in parts.hostname else parts.hostname
    return f"{parts.scheme}://{host}" + (f":{port}" if port and port != default else "")


def origin_allowed(channel: Channel, origin: str | None) -> bool:
    """Whether a page at `origin` may open this channel's widget.

    No allowed origins: any site (the widget is public, like the form pages). Otherwise the
    page's origin (scheme, host, port) must be one of them. A browser always sends Origin; a
    program that sends none could send any, so it is not refused by it.
    """
    allowed = {normalized_origin(item) for item in (channel.settings or {}).get("allowed_origins") or []}
    allowed.discard(None)
    if not allowed or origin is None:
        return True
    return normalized_origin(origin) in allowed


def serialize_message(message: ChatMessage, *, with_run: bool = False) -> dict[str, Any]:
    """A message as the widget shows it: the same shape the web adapter sends to the group."""
    shown = message_event(message)["message"]
    if with_run:
        shown["execution_id"] = message.execution_id
    return shown


def message_run(message_id: str | None) -> str | None:
    """The run that sent a message (the editor links it)."""
    return ChatMessage.objects.filter(pk=message_id).values_list("execution_id", flat=True).first()


def replies_pending(conversation_id: str | None) -> bool:
    """Whether replies of this conversation are still on their way (the typing indicator stays on)."""
    if not conversation_id:
        return False
    return ChatMessage.objects.filter(
        conversation_id=conversation_id, direction="out", delivery_status=DeliveryState.PENDING
    ).exists()


def visitor_conversation(channel: Channel, visitor_id: str, conversation_id: str | None) -> Conversation | None:
    """The visitor's conversation to continue: the one the widget kept, else their latest open one."""
    conversations = Conversation.objects.filter(channel=channel, customer_id=visitor_id).exclude(
        status=ConversationStatus.CLOSED
    )
    if conversation_id:
        kept = conversations.filter(pk=conversation_id).first()
        if kept is not None:
            return kept
    return conversations.order_by("-last_message_at", "-started_at").first()


def transcript(conversation: Conversation, *, with_runs: bool = False) -> list[dict[str, Any]]:
    """The newest messages, oldest first; `with_runs` (the editor, never a site's visitor) adds each one's run."""
    newest = ChatMessage.objects.filter(conversation=conversation).order_by("-created_at", "-id")[:TRANSCRIPT_LIMIT]
    return [serialize_message(message, with_run=with_runs) for message in reversed(list(newest))]


def greet(channel: Channel, visitor_id: str, conversation_id: str | None) -> dict[str, Any]:
    """The `ready` frame's fields: the conversation to continue (if any) and its transcript."""
    conversation = visitor_conversation(channel, visitor_id, conversation_id)
    return {
        "conversation_id": conversation.id if conversation else None,
        "messages": transcript(conversation) if conversation else [],
    }


def take_message(channel: Channel, visitor_id: str, text: str) -> Taken:
    """Hand the visitor's message to the routing, like any channel's (chat.routing.receive)."""
    if not Channel.objects.filter(pk=channel.pk, active=True).exists():
        raise Refused("CHANNEL_INACTIVE", "This chat is closed.")
    try:
        received = routing.receive(channel, visitor_id, text)
    except routing.InvalidMessage as invalid:
        raise Refused("VALIDATION_ERROR", str(invalid)) from None
    if received.outcome == "channel_limited":
        raise Refused("RATE_LIMITED", "This chat is very busy right now. Please try again in a minute.")
    return Taken(
        conversation_id=received.conversation.id if received.conversation else None,
        message_id=received.message.id if received.message else None,
        execution_id=received.execution.id if received.execution else None,
    )


def catch_up(taken: Taken, *, with_runs: bool = False) -> CatchUp:
    """The visitor's message and whatever was sent since, and whether the run is still going.

    Read after the socket joined the groups: a reply sent before that (a quick run, the
    fallback reply, the polite "slow down") is found here; one sent after arrives by the group.
    The widget shows each message id once.
    """
    if taken.conversation_id is None:
        return CatchUp()
    messages = ChatMessage.objects.filter(conversation_id=taken.conversation_id)
    sent = ChatMessage.objects.filter(pk=taken.message_id).values_list("created_at", flat=True).first()
    if sent is not None:
        messages = messages.filter(created_at__gte=sent)
    else:
        messages = messages.filter(direction="out").order_by("-created_at")[:1]
    busy = bool(
        taken.execution_id and Execution.objects.filter(pk=taken.execution_id, status__in=BUSY_STATUSES).exists()
    )
    ordered = sorted(messages, key=lambda message: (message.created_at, message.id))
    return CatchUp(messages=[serialize_message(message, with_run=with_runs) for message in ordered], busy=busy)
