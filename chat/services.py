"""Channel actions: each writes in a transaction and audits (the token is shown by the API, never logged)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.db import IntegrityError, transaction
from django.db.models import Count, Q

from accounts.models import Project
from accounts.services import ConflictError, record_audit
from chat.adapters import adapter_for
from chat.models import Channel, ChatMessage, Conversation, Direction
from chat.tokens import hash_token, new_token
from workflows.models import Execution, Workflow

CHANNEL_FIELDS = ("name", "default_workflow", "fallback_reply", "active", "rate_limit_per_minute",
                  "customer_rate_limit_per_minute")  # fmt: skip


class NameTaken(ConflictError):
    pass


@dataclass(frozen=True)
class CreatedChannel:
    channel: Channel
    token: str
    signing_secret: str | None


def _audit(channel: Channel, action: str, *, actor=None, api_key=None, details=None) -> None:
    record_audit(
        channel.project.organization, action, actor=actor, api_key=api_key, project=channel.project,
        target=channel, details=details,
    )  # fmt: skip


def create_channel(
    project: Project, *, name: str, type: str, settings: dict[str, Any] | None = None, actor=None, api_key=None,
    **fields: Any,
) -> CreatedChannel:
    """A new channel with a fresh inbound token (and, for generic, a signing secret); SettingsInvalid if unfit."""
    adapter = adapter_for(type)
    cleaned = adapter.clean_settings(project, settings or {})
    token = new_token()
    secret = adapter.new_secret()
    try:
        with transaction.atomic():
            channel = Channel(project=project, name=name, type=type, settings=cleaned, token_hash=hash_token(token),
                              **{k: v for k, v in fields.items() if k in CHANNEL_FIELDS})  # fmt: skip
            channel.seal({"token": token, **secret})
            channel.save()
            _audit(channel, "channel.created", actor=actor, api_key=api_key, details={"name": name, "type": type})
    except IntegrityError:
        raise NameTaken(f"A channel named “{name}” already exists in this project.") from None
    return CreatedChannel(channel, token, secret.get("signing_secret"))


def update_channel(channel: Channel, *, changes: dict[str, Any], actor=None, api_key=None) -> Channel:
    settings = changes.pop("settings", None)
    try:
        with transaction.atomic():
            channel = Channel.objects.select_for_update().select_related("project__organization").get(pk=channel.pk)
            if settings is not None:
                partial = adapter_for(channel.type).clean_settings(channel.project, settings, partial=True)
                channel.settings = {**channel.settings, **partial}
            for name, value in changes.items():
                if name in CHANNEL_FIELDS:
                    setattr(channel, name, value)
            channel.save()
            fields = sorted([*changes, *(["settings"] if settings is not None else [])])
            _audit(channel, "channel.updated", actor=actor, api_key=api_key, details={"fields": fields})
    except IntegrityError:
        raise NameTaken(f"A channel named “{changes.get('name')}” already exists in this project.") from None
    return channel


def delete_channel(channel: Channel, *, actor=None, api_key=None) -> None:
    with transaction.atomic():
        _audit(channel, "channel.deleted", actor=actor, api_key=api_key, details={"name": channel.name})
        channel.delete()


def project_workflow(project: Project, workflow_id: str | None) -> Workflow | None:
    if not workflow_id:
        return None
    workflow = Workflow.objects.filter(pk=workflow_id, project=project).first()
    if workflow is None:
        raise LookupError(f"No workflow {workflow_id} in this project.")
    return workflow


def channel_metrics(channels) -> dict[str, dict[str, int]]:
    """Per channel id: conversations (and how many wait), messages in and out, runs started."""
    ids = [channel.id for channel in channels]
    metrics = {cid: {"conversations": 0, "waiting_conversations": 0, "messages_in": 0, "messages_out": 0,
                     "failed_messages": 0, "runs": 0} for cid in ids}  # fmt: skip
    for row in (
        Conversation.objects.filter(channel_id__in=ids)
        .values("channel_id")
        .annotate(total=Count("id"), waiting=Count("id", filter=Q(status="waiting")))
    ):
        metrics[row["channel_id"]].update(conversations=row["total"], waiting_conversations=row["waiting"])
    for row in (
        ChatMessage.objects.filter(conversation__channel_id__in=ids)
        .values("conversation__channel_id")
        .annotate(
            incoming=Count("id", filter=Q(direction=Direction.IN)),
            outgoing=Count("id", filter=Q(direction=Direction.OUT)),
            failed=Count("id", filter=Q(delivery_status="failed")),
        )
    ):
        metrics[row["conversation__channel_id"]].update(
            messages_in=row["incoming"], messages_out=row["outgoing"], failed_messages=row["failed"]
        )
    for row in Execution.objects.filter(channel__in=ids).values("channel").annotate(total=Count("id")):
        metrics[row["channel"]]["runs"] = row["total"]
    return metrics
