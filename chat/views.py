"""Pages: chat channels (list, create, settings, embed snippet or inbound URL, metrics) and
conversations (list with filters, transcript with each turn's run).

Every page acts in the session's project, like the other pages; objects of another project
answer 404. Viewers read; editors create, change and delete channels.
"""

from __future__ import annotations

import datetime as dt
from urllib.parse import urlencode

from django.contrib import messages
from django.core.paginator import Paginator
from django.db.models import Count
from django.db.models.functions import TruncDate
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_POST

from accounts.models import Role
from accounts.views import with_membership
from chat import services
from chat.adapters import adapter_for
from chat.adapters.base import SettingsInvalid
from chat.forms import ChannelForm
from chat.models import Channel, ChatMessage, Conversation, ConversationStatus
from integrations.models import Credential
from workflows.models import Execution
from workflows.views import can_edit, current_project

METRIC_DAYS = 14
CONVERSATIONS_PER_PAGE = 50


def _project_channel(request, membership, channel_id: str) -> Channel:
    project = current_project(request, membership)
    return get_object_or_404(Channel.objects.select_related("default_workflow"), pk=channel_id, project=project)


def _form(request, project, channel=None) -> ChannelForm:
    credentials = Credential.objects.filter(project=project).order_by("name")
    initial = ChannelForm.initial_for(channel) if channel is not None else None
    return ChannelForm(request.POST or None, project=project, channel=channel, credentials=credentials, initial=initial)


def _save(form: ChannelForm, *, project, channel, actor) -> Channel | None:
    """Create or change the channel from a valid form; the adapter's objections become field errors."""
    values = {
        "name": form.cleaned_data["name"],
        "default_workflow": form.cleaned_data["default_workflow"],
        "fallback_reply": form.cleaned_data["fallback_reply"],
        "active": form.cleaned_data["active"],
        "settings": form.channel_settings(),
    }
    try:
        if channel is None:
            return services.create_channel(project, type=form.channel_type(), actor=actor, **values).channel
        return services.update_channel(channel, changes=values, actor=actor)
    except SettingsInvalid as invalid:
        for key, message in invalid.errors.items():
            form.add_error(key if key in form.fields else None, message)
    except services.NameTaken as taken:
        form.add_error("name", str(taken))
    return None


def inbound_url(request, channel: Channel) -> str:
    """Where customers' messages reach a generic or WhatsApp channel; blank for the web widget."""
    if not adapter_for(channel.type).has_inbound_url:
        return ""
    return request.build_absolute_uri(reverse("chat-inbound", args=[channel.token]))


def embed_snippet(request, channel: Channel) -> str:
    """The one tag a site pastes to show the web channel's chat widget."""
    src = request.build_absolute_uri(reverse("chat-widget-js"))
    return f'<script src="{src}" data-channel="{channel.token}" async></script>'


@with_membership()
def channels_page(request, membership):
    project = current_project(request, membership)
    editable = can_edit(membership)
    form = _form(request, project) if editable else None
    if request.method == "POST" and editable and form.is_valid():
        channel = _save(form, project=project, channel=None, actor=request.user)
        if channel is not None:
            messages.success(request, f"Channel “{channel.name}” added.")
            return redirect("chat-channel", channel_id=channel.id)
    channels = list(Channel.objects.filter(project=project).select_related("default_workflow").order_by("name"))
    metrics = services.channel_metrics(channels)
    for channel in channels:
        channel.metrics = metrics[channel.id]
    return render(request, "chat/channels.html", {"channels": channels, "form": form, "can_edit": editable})


def daily_series(channel: Channel, days: int = METRIC_DAYS) -> list[dict]:
    """Conversations started and messages in and out per day over the last `days` days, zeros kept."""
    today = timezone.localdate()
    first = today - dt.timedelta(days=days - 1)
    zero = {"conversations": 0, "messages_in": 0, "messages_out": 0}
    rows = {first + dt.timedelta(days=n): dict(zero) for n in range(days)}
    started = (
        Conversation.objects.filter(channel=channel, started_at__date__gte=first)
        .annotate(day=TruncDate("started_at"))
        .values("day")
        .annotate(count=Count("id"))
    )
    for row in started:
        if row["day"] in rows:
            rows[row["day"]]["conversations"] = row["count"]
    sent = (
        ChatMessage.objects.filter(conversation__channel=channel, created_at__date__gte=first)
        .annotate(day=TruncDate("created_at"))
        .values("day", "direction")
        .annotate(count=Count("id"))
    )
    for row in sent:
        if row["day"] in rows:
            rows[row["day"]]["messages_in" if row["direction"] == "in" else "messages_out"] = row["count"]
    return [{"label": day.strftime("%d %b"), "day": day.isoformat(), **counts} for day, counts in sorted(rows.items())]


@with_membership()
def channel_page(request, membership, channel_id: str):
    channel = _project_channel(request, membership, channel_id)
    editable = can_edit(membership)
    form = _form(request, channel.project, channel) if editable else None
    saved = request.method == "POST" and editable and form.is_valid()
    if saved and _save(form, project=channel.project, channel=channel, actor=request.user) is not None:
        messages.success(request, "Channel saved.")
        return redirect("chat-channel", channel_id=channel.id)
    series = daily_series(channel)
    since = timezone.localdate() - dt.timedelta(days=METRIC_DAYS - 1)
    totals = {
        "conversations": sum(row["conversations"] for row in series),
        "messages_in": sum(row["messages_in"] for row in series),
        "messages_out": sum(row["messages_out"] for row in series),
        "runs": Execution.objects.filter(
            project=channel.project, channel=channel.id, created_at__date__gte=since
        ).count(),
    }
    context = {
        "channel": channel,
        "form": form,
        "can_edit": editable,
        "series": series,
        "totals": totals,
        "days": METRIC_DAYS,
        "embed_snippet": embed_snippet(request, channel) if channel.type == "web" else "",
        "inbound_url": inbound_url(request, channel),
    }
    return render(request, "chat/channel_detail.html", context)


@require_POST
@with_membership(Role.EDITOR)
def channel_delete_page(request, membership, channel_id: str):
    channel = _project_channel(request, membership, channel_id)
    services.delete_channel(channel, actor=request.user)
    messages.success(request, f"Channel “{channel.name}” deleted.")
    return redirect("chat-channels")


@with_membership()
def conversations_page(request, membership):
    project = current_project(request, membership)
    filters = {key: (request.GET.get(key) or "").strip()[:200] for key in ("channel", "customer", "status")}
    conversations = (
        Conversation.objects.filter(project=project)
        .select_related("channel")
        .annotate(message_count=Count("messages"))
        .order_by("-last_message_at", "-started_at", "-id")
    )
    if filters["channel"]:
        conversations = conversations.filter(channel_id=filters["channel"])
    if filters["customer"]:
        conversations = conversations.filter(customer_id__icontains=filters["customer"])
    if filters["status"] in ConversationStatus.values:
        conversations = conversations.filter(status=filters["status"])
    page = Paginator(conversations, CONVERSATIONS_PER_PAGE).get_page(request.GET.get("page"))
    context = {
        "conversations": page.object_list,
        "page": page,
        "filters": filters,
        "query": urlencode({key: value for key, value in filters.items() if value}),
        "channels": Channel.objects.filter(project=project).order_by("name"),
        "statuses": ConversationStatus.choices,
    }
    return render(request, "chat/conversations.html", context)


@with_membership()
def conversation_page(request, membership, conversation_id: str):
    project = current_project(request, membership)
    conversations = Conversation.objects.select_related("channel")
    conversation = get_object_or_404(conversations, pk=conversation_id, project=project)
    turns = list(conversation.messages.order_by("created_at", "id"))
    run_ids = {message.execution_id for message in turns if message.execution_id}
    if conversation.execution_id:
        run_ids.add(conversation.execution_id)
    executions = (
        Execution.objects.filter(project=project, pk__in=run_ids).select_related("workflow").order_by("created_at")
    )
    context = {"conversation": conversation, "turns": turns, "executions": executions}
    return render(request, "chat/conversation_detail.html", context)
