"""WebSocket consumers streaming execution events: a snapshot first, then every event in order.

Thin, like the views: authenticate (session, a ticket from `POST /api/v1/ws-tickets`, or an
API key in the Authorization header; `?api_key=` is deprecated), authorize by organization and
project, join the group, send the snapshot, forward what `workflows.events.publish_event`
broadcasts. `/ws/executions/<id>/?after=N` resumes: instead of the snapshot, the events after
seq N come from the execution's event log, then the live ones. A gap in what the channel
layer delivers (it drops messages a full channel cannot hold) is filled from the log before
the next event goes out. Close codes follow HTTP: 4401 not authenticated, 4403 plan without API access,
4404 not found (also when it exists in another organization, so outsiders learn nothing).
"""

from __future__ import annotations

import json
import logging
from typing import Any
from urllib.parse import parse_qs

from channels.db import database_sync_to_async
from channels.generic.websocket import AsyncJsonWebsocketConsumer
from django.conf import settings
from django.core.serializers.json import DjangoJSONEncoder
from redis.exceptions import RedisError

from accounts.models import ApiKey, Membership
from accounts.services import InvalidApiKey, authenticate_api_key
from accounts.tickets import InvalidTicket, redeem_ws_ticket
from workflows.api.serializers import ExecutionListSerializer, ExecutionSerializer
from workflows.event_log import read_events, read_sequences
from workflows.events import execution_group, unbatched, workflow_group
from workflows.models import Execution, Workflow

logger = logging.getLogger(__name__)

SUBPROTOCOL = "flowbuilder"
TICKET_SUBPROTOCOL_PREFIX = "flowbuilder.ticket."
CLOSE_UNAUTHENTICATED = 4401
CLOSE_PLAN_FORBIDS = 4403
CLOSE_NOT_FOUND = 4404
RECENT_EXECUTIONS = 20
EVENT_FIELDS = ("event", "execution_id", "workflow_id", "seq", "data")
LOG_PAGE = 1000


class Refused(Exception):
    def __init__(self, code: int) -> None:
        super().__init__(code)
        self.code = code


def logged_events_between(execution_id: str, after: int, before: int | None = None) -> list[dict] | None:
    """Events with after < seq < before from the log (before=None: all); None if it lost some."""
    events: list[dict] = []
    while True:
        try:
            page = read_events(execution_id, after, LOG_PAGE)
        except (RedisError, OSError):
            logger.warning("could not read the event log of %s", execution_id, exc_info=True)
            return None
        if not page.complete:
            return None
        wanted = [event for event in page.events if before is None or event["seq"] < before]
        events.extend(wanted)
        if not page.has_more or len(wanted) < len(page.events):
            return events
        after = page.events[-1]["seq"]


def resume_after(scope: dict) -> int | None:
    """`?after=N` (a whole number): the seq the client has applied up to."""
    values = parse_qs(scope.get("query_string", b"").decode("latin-1")).get("after")
    if not values or not values[0].isdigit() or not values[0].isascii() or len(values[0]) > 18:
        return None
    return int(values[0])


def presented_ticket(scope: dict) -> str | None:
    """A ticket from `POST /api/v1/ws-tickets`: subprotocol `flowbuilder.ticket.<t>` or `?ticket=`."""
    for protocol in scope.get("subprotocols") or []:
        if protocol.startswith(TICKET_SUBPROTOCOL_PREFIX):
            return protocol[len(TICKET_SUBPROTOCOL_PREFIX) :]
    tickets = parse_qs(scope.get("query_string", b"").decode("latin-1")).get("ticket")
    return tickets[0] if tickets else None


def presented_api_key(scope: dict) -> str | None:
    """The key from `Authorization: Bearer …` (programs), or the deprecated `?api_key=`.

    A key in the URL ends up in proxy and server logs; browsers use a ticket instead.
    `?api_key=` still works for one release and logs a warning (never the key).
    """
    for name, value in scope.get("headers", []):
        if name == b"authorization":
            parts = value.decode("latin-1").split()
            if len(parts) != 2 or parts[0].lower() != "bearer":
                raise Refused(CLOSE_UNAUTHENTICATED)
            return parts[1]
    keys = parse_qs(scope.get("query_string", b"").decode("latin-1")).get("api_key")
    if keys:
        logger.warning(
            "WebSocket %s authenticated with the deprecated ?api_key= query parameter; "
            "use POST /api/v1/ws-tickets or the Authorization header.",
            scope.get("path", ""),
        )
    return keys[0] if keys else None


def find_api_key(plaintext: str) -> ApiKey:
    try:
        api_key = authenticate_api_key(plaintext)
    except InvalidApiKey:
        raise Refused(CLOSE_UNAUTHENTICATED) from None
    if api_key.organization.plan not in settings.PLAN_API_ACCESS:
        raise Refused(CLOSE_PLAN_FORBIDS)
    return api_key


def visible_organization_ids(scope: dict) -> list[str]:
    """The organizations whose executions this connection may watch; refuses strangers."""
    ticket = presented_ticket(scope)
    if ticket is not None:
        try:
            return [redeem_ws_ticket(ticket)]
        except InvalidTicket:
            raise Refused(CLOSE_UNAUTHENTICATED) from None
    plaintext = presented_api_key(scope)
    if plaintext is not None:
        return [find_api_key(plaintext).organization_id]
    user = scope.get("user")
    if user is None or not user.is_authenticated:
        raise Refused(CLOSE_UNAUTHENTICATED)
    return list(Membership.objects.filter(user=user).values_list("organization_id", flat=True))


def scoped(queryset, scope: dict):
    """Narrow to the caller's organizations and, when `?project=` is given, to that project."""
    queryset = queryset.filter(project__organization_id__in=visible_organization_ids(scope))
    project_id = parse_qs(scope.get("query_string", b"").decode("latin-1")).get("project")
    if project_id:
        queryset = queryset.filter(project_id=project_id[0])
    return queryset


def authorize_execution(scope: dict, execution_id: str) -> None:
    if not scoped(Execution.objects.all(), scope).filter(pk=execution_id).exists():
        raise Refused(CLOSE_NOT_FOUND)


def authorize_workflow(scope: dict, workflow_id: str) -> None:
    if not scoped(Workflow.objects.all(), scope).filter(pk=workflow_id).exists():
        raise Refused(CLOSE_NOT_FOUND)


def execution_snapshot(execution_id: str) -> dict[str, Any]:
    """The execution as the API shows it, plus the seq it is complete up to.

    The seq is read BEFORE the rows: the journal writes a row, then takes the next seq and
    publishes, so every event numbered up to the seq read here is already in the rows read
    after it. Reading in the other order could drop an event that is in neither.
    """
    seq = read_sequences([execution_id])[execution_id]
    execution = Execution.objects.select_related("workflow").get(pk=execution_id)
    # `logs` included, as GET /executions/{id} shows them
    data = ExecutionSerializer(execution, context={"event_seq": seq}).data
    return {"event": "snapshot", "execution": data, "seq": seq}


def workflow_snapshot(workflow_id: str) -> dict[str, Any]:
    """The workflow and its recent runs, with the seq each run is complete up to (see above)."""
    workflow = Workflow.objects.get(pk=workflow_id)
    recent = Execution.objects.filter(workflow_id=workflow_id).order_by("-created_at", "-id")
    ids = list(recent.values_list("id", flat=True)[:RECENT_EXECUTIONS])
    seqs = read_sequences(ids)
    executions = recent.select_related("workflow").filter(pk__in=ids)
    return {
        "event": "snapshot",
        "workflow": {"id": workflow.id, "name": workflow.name, "status": workflow.status},
        "executions": ExecutionListSerializer(executions, many=True).data,
        "seqs": seqs,
    }


def chosen_subprotocol(scope: dict) -> str | None:
    """Browsers fail a handshake that offers subprotocols unless the server picks one of them."""
    offered = scope.get("subprotocols") or []
    if SUBPROTOCOL in offered:
        return SUBPROTOCOL
    return next((protocol for protocol in offered if protocol.startswith(SUBPROTOCOL)), None)


class ExecutionEventsConsumer(AsyncJsonWebsocketConsumer):
    """Shared flow: authorize, join, snapshot, forward. Subclasses name the group and snapshot."""

    groups_joined: list[str]
    seen: dict[str, int]

    async def connect(self) -> None:
        self.groups_joined, self.seen = [], {}
        # Accept before refusing: a close sent before the handshake reaches the client as a
        # bare HTTP 403, and the client could not tell 4401 from 4404.
        await self.accept(subprotocol=chosen_subprotocol(self.scope))
        try:
            await database_sync_to_async(self.authorize)()
        except Refused as refused:
            await self.close(code=refused.code)
            return
        # Join first, snapshot second: an event published in between is then both in the
        # group's buffer and possibly in the snapshot, and the seq filter drops the copy.
        group = self.group_name()
        await self.channel_layer.group_add(group, self.channel_name)
        self.groups_joined.append(group)
        if await self.resume():
            return
        snapshot = await database_sync_to_async(self.snapshot)()
        self.seen = self.seen_sequences(snapshot)
        await self.send_json(snapshot)

    async def resume(self) -> bool:
        """Send the logged events after the client's `?after=`; False when a snapshot is needed."""
        return False

    @classmethod
    async def encode_json(cls, content: Any) -> str:
        # Serializer output may hold datetimes (and decimals) that plain json refuses.
        return json.dumps(content, cls=DjangoJSONEncoder)

    async def disconnect(self, code: int) -> None:
        for group in self.groups_joined:
            await self.channel_layer.group_discard(group, self.channel_name)

    async def receive_json(self, content: Any, **kwargs) -> None:
        """The stream is one-way; whatever a client sends is ignored."""

    async def execution_event(self, message: dict[str, Any]) -> None:
        for event in unbatched(message):  # a run's events may travel together (RunEvents)
            await self.forward(event)

    async def forward(self, message: dict[str, Any]) -> None:
        execution_id, seq = message["execution_id"], message["seq"]
        seen = self.seen.get(execution_id, 0)
        if seq <= seen:
            return
        if seq > seen + 1:
            # The layer dropped some (a full channel): the log has them, in order.
            missing = await database_sync_to_async(logged_events_between)(execution_id, seen, seq)
            for event in missing or []:
                await self.send_json({field: event[field] for field in EVENT_FIELDS})
        self.seen[execution_id] = seq
        await self.send_json({field: message[field] for field in EVENT_FIELDS})

    def url_id(self) -> str:
        return self.scope["url_route"]["kwargs"]["object_id"]

    def authorize(self) -> None:
        raise NotImplementedError

    def group_name(self) -> str:
        raise NotImplementedError

    def snapshot(self) -> dict[str, Any]:
        raise NotImplementedError

    def seen_sequences(self, snapshot: dict[str, Any]) -> dict[str, int]:
        raise NotImplementedError


class ExecutionConsumer(ExecutionEventsConsumer):
    """`/ws/executions/<id>/`: one run."""

    def authorize(self) -> None:
        authorize_execution(self.scope, self.url_id())

    def group_name(self) -> str:
        return execution_group(self.url_id())

    def snapshot(self) -> dict[str, Any]:
        return execution_snapshot(self.url_id())

    def seen_sequences(self, snapshot: dict[str, Any]) -> dict[str, int]:
        return {self.url_id(): snapshot["seq"]}

    async def resume(self) -> bool:
        after = resume_after(self.scope)
        if after is None:
            return False
        events = await database_sync_to_async(logged_events_between)(self.url_id(), after)
        if events is None:
            return False  # the log no longer reaches back that far: a snapshot instead
        self.seen = {self.url_id(): events[-1]["seq"] if events else after}
        for event in events:
            await self.send_json({field: event[field] for field in EVENT_FIELDS})
        return True


class WorkflowConsumer(ExecutionEventsConsumer):
    """`/ws/workflows/<id>/`: every run of one workflow (the editor's live canvas)."""

    def authorize(self) -> None:
        authorize_workflow(self.scope, self.url_id())

    def group_name(self) -> str:
        return workflow_group(self.url_id())

    def snapshot(self) -> dict[str, Any]:
        return workflow_snapshot(self.url_id())

    def seen_sequences(self, snapshot: dict[str, Any]) -> dict[str, int]:
        return dict(snapshot["seqs"])
