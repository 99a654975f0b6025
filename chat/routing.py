"""Where an inbound chat message goes (docs/design.md D26).

In order:
1. the sender's conversation on this channel has a run parked on `chat.ask`/`chat.form`:
   the message resumes it;
2. the sender's run is still busy (pending or running): the message is held and starts
   nothing (no second run for one customer at a time); when that run next parks on
   `chat.ask`/`chat.form`, the oldest held message is its answer (`resume_with_held`), so a
   customer who answers before the question's run has parked is not left waiting; a run that
   ends without asking leaves held messages in the transcript only;
3. an active workflow of this channel whose `trigger.message` keywords match, as whole words
   and ignoring case; several match: the longest matching keyword wins, then the oldest
   workflow (created first), then the lowest workflow id;
4. the channel's default workflow, when it is active;
5. an active workflow of this channel whose `trigger.message` has no keywords (oldest first);
6. the channel's fallback reply (nothing at all when it is blank).

A workflow "of this channel": its trigger's `channel` (else the workflow's `channel`) is the
channel's id, name or type, or is blank (any channel of the project). Inactive workflows
receive nothing. Rate limits come first (chat.limits): a customer over the limit gets one
polite reply per window and starts nothing.
"""

from __future__ import annotations

import logging
import re
from dataclasses import dataclass, field
from datetime import timedelta
from typing import Any

from django.db import transaction
from django.db.models import F
from django.utils import timezone

from accounts.services import ConflictError
from chat import limits
from chat.adapters import adapter_for
from chat.models import Channel, ChatMessage, Conversation, ConversationStatus, DeliveryState, Direction
from chat.outbound import MAX_TEXT, send
from workflows.definitions import DefinitionError
from workflows.engine.nodes.chat import REPLY_KIND
from workflows.models import Execution, ExecutionStatus, Workflow, WorkflowStatus, WorkflowVersion
from workflows.services import resume_execution, start_execution

logger = logging.getLogger(__name__)

MESSAGE_TRIGGER = "trigger.message"
MAX_CUSTOMER_ID = 200
MAX_PAYLOAD_KEYS = 50
# A conversation silent this long is closed; the customer's next message opens a new one.
IDLE_CLOSE_AFTER = timedelta(hours=24)


class InvalidMessage(ValueError):
    """`from` or `text` cannot be taken as they are; nothing was stored."""

    def __init__(self, message: str, field: str) -> None:
        super().__init__(message)
        self.field = field


@dataclass
class Received:
    """What happened to one inbound message."""

    outcome: str  # resumed | started | busy | fallback | ignored | limited | channel_limited
    conversation: Conversation | None = None
    message: ChatMessage | None = None
    execution: Execution | None = None
    replies: list[ChatMessage] = field(default_factory=list)
    retry_after: int | None = None

    @property
    def http_status(self) -> int:
        return 429 if self.outcome in ("limited", "channel_limited") else 202

    def answer(self) -> dict[str, Any]:
        if self.http_status == 429:
            return {
                "success": False,
                "error": {"code": "RATE_LIMITED", "message": "Too many messages; slow down.",
                          "details": {"retry_after": self.retry_after}},
            }  # fmt: skip
        return {
            "outcome": self.outcome,
            "conversation_id": self.conversation.id if self.conversation else None,
            "message_id": self.message.id if self.message else None,
            "execution_id": self.execution.id if self.execution else None,
        }


def clean_inbound(customer_id: Any, text: Any, payload: Any) -> tuple[str, str, dict | None]:
    if not isinstance(customer_id, str | int) or isinstance(customer_id, bool) or not str(customer_id).strip():
        raise InvalidMessage("`from` must be the sender's id: a non-empty string.", "from")
    customer_id = str(customer_id).strip()
    if len(customer_id) > MAX_CUSTOMER_ID or any(ord(ch) < 32 for ch in customer_id):
        raise InvalidMessage(f"`from` must be at most {MAX_CUSTOMER_ID} printable characters.", "from")
    if not isinstance(text, str) or not text.strip():
        raise InvalidMessage("`text` must be a non-empty string.", "text")
    if len(text) > MAX_TEXT:
        raise InvalidMessage(f"`text` must be at most {MAX_TEXT} characters (this has {len(text)}).", "text")
    text = text.replace("\x00", "")
    if payload is not None and (not isinstance(payload, dict) or len(payload) > MAX_PAYLOAD_KEYS):
        raise InvalidMessage(f"`payload` must be an object of at most {MAX_PAYLOAD_KEYS} keys.", "payload")
    return customer_id, text, payload


def receive(
    channel: Channel, customer_id: Any, text: Any, payload: dict | None = None, *, target: Target | None = None
) -> Received:
    """Take one message from a customer on a channel; see the module docstring for where it goes.

    `target` (e.g. `draft_target(workflow)`, the editor's "try it" panel): a message that does
    not continue a waiting run starts that instead of steps 3–6.
    """
    customer_id, text, payload = clean_inbound(customer_id, text, payload)
    limited = limits.check(channel, customer_id)
    if limited is not None:
        return _limited(channel, customer_id, limited)
    with transaction.atomic():
        conversation = current_conversation(channel, customer_id)
        message = ChatMessage.objects.create(
            conversation=conversation, direction=Direction.IN, text=text, payload=payload
        )
        conversation.last_message_at = message.created_at
        result = _route(channel, conversation, message, target)
        conversation.save(update_fields=["status", "last_message_at", "execution"])
        if result.execution is not None and message.execution_id is None:
            ChatMessage.objects.filter(pk=message.pk).update(execution=result.execution)
            message.execution = result.execution
    result.conversation, result.message = conversation, message
    if result.outcome in ("started", "resumed"):
        _announce_run(channel, conversation)
    return result


def _announce_run(channel: Channel, conversation: Conversation) -> None:
    try:
        adapter_for(channel.type).run_started(channel, conversation)
    except Exception:  # noqa: BLE001 - a typing indicator never fails the message
        logger.warning("run_started of %s failed", channel.type, exc_info=True)


def current_conversation(channel: Channel, customer_id: str) -> Conversation:
    """The sender's conversation on this channel, locked; a new one when none is open or it went idle."""
    conversation = (
        Conversation.objects.select_for_update()
        .filter(channel=channel, customer_id=customer_id)
        .exclude(status=ConversationStatus.CLOSED)
        .order_by("-started_at")
        .first()
    )
    idle = conversation is not None and conversation.last_message_at is not None and (
        timezone.now() - conversation.last_message_at > IDLE_CLOSE_AFTER
    )
    if idle and conversation.status != ConversationStatus.WAITING:
        conversation.status = ConversationStatus.CLOSED
        conversation.save(update_fields=["status"])
        conversation = None
    if conversation is None:
        conversation = Conversation.objects.create(
            project_id=channel.project_id, channel=channel, customer_id=customer_id
        )
    return conversation


def _route(channel: Channel, conversation: Conversation, message: ChatMessage, forced: Target | None) -> Received:
    execution = conversation.execution
    if execution is not None:
        execution = Execution.objects.filter(pk=execution.pk).first()
    if execution is not None and _waits_for_reply(execution):
        try:
            resumed = resume_execution(execution, payload=_reply_payload(message))
        except ConflictError:  # resumed by a message a moment ago
            return _hold(message, execution)
        conversation.status = ConversationStatus.OPEN
        return Received("resumed", execution=resumed)
    if execution is not None and execution.status in (ExecutionStatus.PENDING, ExecutionStatus.RUNNING):
        return _hold(message, execution)
    target = forced or match_workflow(channel, message.text)
    if target is not None:
        started = _start(channel, conversation, message, target)
        if started is not None:
            conversation.status, conversation.execution = ConversationStatus.OPEN, started
            return Received("started", execution=started)
    if channel.fallback_reply.strip():
        reply = send(conversation, channel.fallback_reply, idempotency_key=f"fallback:{message.id}")
        return Received("fallback", replies=[reply])
    return Received("ignored")


def _hold(message: ChatMessage, execution: Execution) -> Received:
    """The run is busy: keep the message for its next question (taken when it parks, see
    `resume_with_held`), never a second run for one customer."""
    ChatMessage.objects.filter(pk=message.pk).update(delivery_status=DeliveryState.HELD)
    message.delivery_status = DeliveryState.HELD
    return Received("busy", execution=execution)


def resume_with_held(execution: Execution) -> Execution | None:
    """A run just parked on a customer's reply: answer it with the oldest message held while it
    worked. The conversation's lock orders this against `receive`: a message is either held
    before this looks, or finds the run waiting and resumes it itself."""
    if not _waits_for_reply(execution):
        return None
    with transaction.atomic():
        conversation = Conversation.objects.select_for_update().filter(execution_id=execution.id).first()
        if conversation is None:
            return None
        held = (
            conversation.messages.filter(direction=Direction.IN, delivery_status=DeliveryState.HELD)
            .order_by("created_at", "id")
            .first()
        )
        if held is None:
            return None
        try:
            resumed = resume_execution(execution, payload=_reply_payload(held))
        except ConflictError:  # a new message resumed it a moment ago; this one waits for the next park
            return None
        ChatMessage.objects.filter(pk=held.pk).update(delivery_status=DeliveryState.NONE, execution=resumed)
        conversation.status = ConversationStatus.OPEN
        conversation.save(update_fields=["status"])
    return resumed


def _waits_for_reply(execution: Execution) -> bool:
    return execution.status == ExecutionStatus.WAITING and (execution.waiting_for or {}).get("kind") == REPLY_KIND


def _reply_payload(message: ChatMessage) -> dict[str, Any]:
    return {"text": message.text, "payload": message.payload, "message_id": message.id}


@dataclass(frozen=True)
class Target:
    """What to start: a workflow, its version (None: the draft) and definition, the trigger that fires."""

    workflow: Workflow
    version: int | None
    definition: dict
    trigger_node_id: str


def _target(version: WorkflowVersion, trigger_node_id: str) -> Target:
    return Target(version.workflow, version.number, version.definition, trigger_node_id)


def draft_target(workflow: Workflow) -> Target | None:
    """The workflow's draft, fired at its first message trigger (else its first trigger): the editor's "try it"."""
    triggers = [n for n in workflow.definition.get("nodes") or [] if str(n.get("type", "")).startswith("trigger.")]
    preferred = [n for n in triggers if n.get("type") == MESSAGE_TRIGGER] or triggers
    return Target(workflow, None, workflow.definition, preferred[0]["id"]) if preferred else None


def _listens_on(channel: Channel, wanted: Any) -> bool:
    return not wanted or (isinstance(wanted, str) and wanted.strip() in (channel.id, channel.name, channel.type))


def keyword_matches(keyword: Any, text: str) -> bool:
    """Whole words, ignoring case: "help" matches "Help me!" but not "helpful"."""
    if not isinstance(keyword, str) or not keyword.strip():
        return False
    words = r"\s+".join(re.escape(part) for part in keyword.split())
    return re.search(rf"(?<!\w){words}(?!\w)", text, re.IGNORECASE) is not None


def _candidates(channel: Channel):
    """(version, trigger node) of every trigger.message of the project's active published workflows."""
    versions = (
        WorkflowVersion.objects.filter(
            workflow__project_id=channel.project_id,
            workflow__status=WorkflowStatus.ACTIVE,
            number=F("workflow__published_version"),
        )
        .select_related("workflow")
        .order_by("workflow__created_at", "workflow_id")
    )
    for version in versions:
        for node in (version.definition or {}).get("nodes") or []:
            if node.get("type") != MESSAGE_TRIGGER:
                continue
            config = node.get("config") or {}
            if _listens_on(channel, config.get("channel") or version.workflow.channel):
                yield version, node["id"], config


def match_workflow(channel: Channel, text: str) -> Target | None:
    """The workflow this message starts (steps 3–5 of the module docstring), or None."""
    best: tuple[int, int, Target] | None = None
    catch_all: Target | None = None
    for order, (version, node_id, config) in enumerate(_candidates(channel)):
        keywords = [k for k in config.get("keywords") or [] if isinstance(k, str) and k.strip()]
        if not keywords:
            catch_all = catch_all or _target(version, node_id)
            continue
        longest = max((len(k.strip()) for k in keywords if keyword_matches(k, text)), default=0)
        if longest and (best is None or (-longest, order) < (best[0], best[1])):
            best = (-longest, order, _target(version, node_id))
    if best is not None:
        return best[2]
    return _default_target(channel) or catch_all


def _default_target(channel: Channel) -> Target | None:
    workflow = channel.default_workflow
    if workflow is None or workflow.status != WorkflowStatus.ACTIVE or workflow.published_version is None:
        return None
    version = workflow.versions.filter(number=workflow.published_version).first()
    if version is None:
        return None
    triggers = [n for n in version.definition.get("nodes") or [] if str(n.get("type", "")).startswith("trigger.")]
    preferred = [n for n in triggers if n.get("type") == MESSAGE_TRIGGER] or triggers
    return _target(version, preferred[0]["id"]) if preferred else None


def trigger_payload(channel: Channel, conversation: Conversation, message: ChatMessage) -> dict[str, Any]:
    return {
        "channel": channel.type,
        "channel_id": channel.id,
        "channel_name": channel.name,
        "from": conversation.customer_id,
        "text": message.text,
        "payload": message.payload,
        "conversation_id": conversation.id,
        "message_id": message.id,
    }


def _start(channel: Channel, conversation: Conversation, message: ChatMessage, target: Target) -> Execution | None:
    workflow = target.workflow
    try:
        return start_execution(
            workflow,
            input=trigger_payload(channel, conversation, message),
            version=target.version,
            mode="chat",
            trigger_node_id=target.trigger_node_id,
            definition=target.definition,
            customer_id=conversation.customer_id,
            channel=channel.id,
        )
    except DefinitionError:
        logger.warning("chat workflow %s cannot run its published version", workflow.id)
        return None


def _limited(channel: Channel, customer_id: str, limited: limits.Limited) -> Received:
    """Over a limit: no run. A customer over theirs gets one polite reply per window."""
    if limited.scope == "channel" or not limits.first_notice(channel, customer_id, limited):
        outcome = "limited" if limited.scope == "customer" else "channel_limited"
        return Received(outcome, retry_after=limited.retry_after)
    with transaction.atomic():
        conversation = current_conversation(channel, customer_id)
        reply = send(conversation, limits.POLITE_REPLY)
    return Received("limited", conversation=conversation, replies=[reply], retry_after=limited.retry_after)
