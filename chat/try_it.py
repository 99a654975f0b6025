"""The editor's "Try it" chat: a builder talks to a workflow's draft as a customer would.

Each builder has one test conversation per workflow, on the project's "Try it" channel (a web
channel kept paused, so no site and no inbound URL reaches it; the pages show it like any
other). A message either answers the run parked on `chat.ask`/`chat.form` in that
conversation, or starts a test run of the draft (`mode: test`, left out of the dashboards
like the editor's other test runs) with the payload a real chat message gives. Replies travel
like any web channel's: chat.outbound → the web adapter → the conversation's group, which the
editor's socket (chat.consumers.TryChatConsumer) joins.
"""

from __future__ import annotations

import contextlib

from django.db import transaction

from accounts.models import Role
from accounts.scope import membership_for_user
from accounts.services import ConflictError
from chat import services
from chat.models import Channel, ChannelType, ChatMessage, Conversation, ConversationStatus, Direction
from chat.routing import InvalidMessage, clean_inbound, trigger_payload
from chat.widget import Refused, Taken, transcript
from workflows.definitions import DefinitionError
from workflows.engine.nodes.chat import REPLY_KIND
from workflows.models import TEST_MODE, Execution, ExecutionStatus, Workflow
from workflows.services import cancel_execution, resume_execution, start_execution

TRY_CHANNEL_NAME = "Try it (editor test chats)"
MESSAGE_TRIGGER = "trigger.message"


def editable_workflow(user, workflow_id: str) -> Workflow | None:
    """The workflow, if this user may edit (and so test-run) it: editors and admins of its organization."""
    workflow = Workflow.objects.select_related("project").filter(pk=workflow_id).first()
    if workflow is None:
        return None
    membership = membership_for_user(user, workflow.project.organization_id)
    if membership is None or Role.rank(membership.role) < Role.rank(Role.EDITOR):
        return None
    return workflow


def try_channel(workflow: Workflow) -> Channel:
    """The project's channel for test chats, made on first use."""
    channel = Channel.objects.filter(project_id=workflow.project_id, name=TRY_CHANNEL_NAME).first()
    if channel is not None:
        return channel
    try:
        created = services.create_channel(workflow.project, name=TRY_CHANNEL_NAME, type=ChannelType.WEB, active=False)
        return created.channel
    except services.NameTaken:  # another tab made it a moment ago
        return Channel.objects.get(project_id=workflow.project_id, name=TRY_CHANNEL_NAME)


def tester_id(user, workflow: Workflow) -> str:
    return f"editor:{user.pk}:{workflow.id}"


def open_conversation(channel: Channel, customer_id: str) -> Conversation | None:
    return (
        Conversation.objects.filter(channel=channel, customer_id=customer_id)
        .exclude(status=ConversationStatus.CLOSED)
        .order_by("-started_at")
        .first()
    )


def greet(workflow: Workflow, user) -> dict:
    """The `ready` frame: this builder's test conversation with this workflow so far."""
    conversation = open_conversation(try_channel(workflow), tester_id(user, workflow))
    return {
        "conversation_id": conversation.id if conversation else None,
        "messages": transcript(conversation, with_runs=True) if conversation else [],
    }


def restart(workflow: Workflow, user) -> None:
    """Close the builder's test conversation (its waiting run is cancelled): the next message starts afresh."""
    channel = try_channel(workflow)
    conversation = open_conversation(channel, tester_id(user, workflow))
    if conversation is None:
        return
    execution = conversation.execution
    if execution is not None and execution.status == ExecutionStatus.WAITING:
        with contextlib.suppress(ConflictError):  # it ended meanwhile
            cancel_execution(execution, actor=user)
    Conversation.objects.filter(pk=conversation.pk).update(status=ConversationStatus.CLOSED)


def take_message(workflow: Workflow, user, text: str) -> Taken:
    """Store the builder's message; resume the run waiting for it, or start a test run of the draft."""
    channel = try_channel(workflow)
    try:
        customer_id, text, _ = clean_inbound(tester_id(user, workflow), text, None)
    except InvalidMessage as invalid:
        raise Refused("VALIDATION_ERROR", str(invalid)) from None
    nodes = workflow.definition.get("nodes") or []
    trigger = next((node for node in nodes if node.get("type") == MESSAGE_TRIGGER), None)
    if trigger is None:
        message = "This workflow does not start from a chat message: add a Chat message trigger."
        raise Refused("NO_MESSAGE_TRIGGER", message)
    with transaction.atomic():
        conversation = open_conversation(channel, customer_id)
        if conversation is None:
            conversation = Conversation.objects.create(
                project_id=workflow.project_id, channel=channel, customer_id=customer_id
            )
        conversation = Conversation.objects.select_for_update().get(pk=conversation.pk)
        message = ChatMessage.objects.create(conversation=conversation, direction=Direction.IN, text=text)
        execution = _resume_or_start(workflow, channel, conversation, message, trigger["id"], user)
        conversation.last_message_at = message.created_at
        conversation.execution = execution or conversation.execution
        conversation.status = ConversationStatus.OPEN
        conversation.save(update_fields=["last_message_at", "execution", "status"])
        if execution is not None:
            ChatMessage.objects.filter(pk=message.pk).update(execution=execution)
    execution_id = execution.id if execution else None
    return Taken(conversation_id=conversation.id, message_id=message.id, execution_id=execution_id)


def _resume_or_start(workflow, channel, conversation, message, trigger_id: str, user) -> Execution | None:
    current = Execution.objects.filter(pk=conversation.execution_id).first() if conversation.execution_id else None
    waiting = current is not None and current.status == ExecutionStatus.WAITING
    if waiting and (current.waiting_for or {}).get("kind") == REPLY_KIND:
        try:
            return resume_execution(current, payload={"text": message.text, "payload": None, "message_id": message.id})
        except ConflictError:
            return current
    if current is not None and current.status in (ExecutionStatus.PENDING, ExecutionStatus.RUNNING):
        return current  # still answering the previous message: this one joins the transcript only
    try:
        return start_execution(
            workflow,
            input=trigger_payload(channel, conversation, message),
            version=None,
            mode=TEST_MODE,
            trigger_node_id=trigger_id,
            actor=user,
            customer_id=conversation.customer_id,
            channel=channel.id,
        )
    except DefinitionError as error:
        raise Refused("INVALID_WORKFLOW_CONFIG", f"The draft cannot run yet: {error}") from None
