"""Live execution events over the Channels WebSocket (graphql-transport-ws), from the groups and the
event log that /ws/executions/ and /ws/workflows/ use (D18): the same order, the same gap repair.

Authorization is the existing WebSocket consumers' (`authorize_execution`, `authorize_workflow`):
a Bearer key in the handshake's Authorization header, or the browser's session.
"""

from __future__ import annotations

from collections.abc import AsyncGenerator
from typing import Any

import strawberry
from channels.db import database_sync_to_async
from graphql import GraphQLError
from strawberry.scalars import JSON
from strawberry.types import Info

from workflows.consumers import (
    CLOSE_NOT_FOUND,
    CLOSE_PLAN_FORBIDS,
    EVENT_FIELDS,
    Refused,
    authorize_execution,
    authorize_workflow,
    logged_events_between,
)
from workflows.events import execution_group, unbatched, workflow_group

MESSAGE_TYPE = "execution.event"
REFUSALS = {
    CLOSE_NOT_FOUND: (404, "NOT_FOUND", "No such execution or workflow in your organizations."),
    CLOSE_PLAN_FORBIDS: (403, "PLAN_UPGRADE_REQUIRED", "API access is not part of your plan."),
}


@strawberry.type(description="A live event of a run: execution.started, step.started, step.finished, log, "
                 "execution.finished. `seq` counts up from 1 per execution, without gaps.")  # fmt: skip
class ExecutionEvent:
    event: str
    execution_id: str
    workflow_id: str
    seq: int
    data: JSON


def as_event(message: dict[str, Any]) -> ExecutionEvent:
    return ExecutionEvent(**{field: message[field] for field in EVENT_FIELDS})


async def authorized(check, scope: dict, object_id: str) -> None:
    try:
        await database_sync_to_async(check)(scope, object_id)
    except Refused as refused:
        status, code, message = REFUSALS.get(
            refused.code, (401, "UNAUTHORIZED", "Authentication required: a Bearer API key or a session.")
        )
        # Raised as is: the WebSocket path does not pass through the HTTP view's error mapping.
        raise GraphQLError(message, extensions={"code": code, "status": status}) from None


async def in_order(messages, seen: dict[str, int]) -> AsyncGenerator[dict[str, Any], None]:
    """Channel messages without repeats, a gap (a full channel dropped some) filled from the log."""
    async for batch in messages:
        for message in unbatched(batch):  # a run's events may travel together (RunEvents)
            execution_id, seq = message["execution_id"], message["seq"]
            last = seen.get(execution_id, 0)
            if seq <= last:
                continue
            if seq > last + 1:
                for event in await database_sync_to_async(logged_events_between)(execution_id, last, seq) or []:
                    yield event
            seen[execution_id] = seq
            yield message


@strawberry.type
class Subscription:
    @strawberry.subscription(
        description="One run's events after seq `after` (0: from the start), replayed from the event log, "
        "then live; ends with execution.finished."
    )
    async def execution_events(
        self, info: Info, id: strawberry.ID, after: int = 0
    ) -> AsyncGenerator[ExecutionEvent, None]:
        consumer = info.context["ws"]
        await authorized(authorize_execution, consumer.scope, id)
        # Join first, read the log second: an event in between is in both, and `seen` drops the copy.
        async with consumer.listen_to_channel(MESSAGE_TYPE, groups=[execution_group(id)]) as messages:
            logged = await database_sync_to_async(logged_events_between)(id, max(0, after)) or []
            seen = {id: max(0, after)}
            for event in logged:
                seen[id] = event["seq"]
                yield as_event(event)
                if event["event"] == "execution.finished":
                    return
            async for message in in_order(messages, seen):
                yield as_event(message)
                if message["event"] == "execution.finished":
                    return

    @strawberry.subscription(description="Every run's live events for one workflow, from now on.")
    async def workflow_events(self, info: Info, workflow_id: strawberry.ID) -> AsyncGenerator[ExecutionEvent, None]:
        consumer = info.context["ws"]
        await authorized(authorize_workflow, consumer.scope, workflow_id)
        async with consumer.listen_to_channel(MESSAGE_TYPE, groups=[workflow_group(workflow_id)]) as messages:
            async for message in in_order(messages, {}):
                yield as_event(message)
