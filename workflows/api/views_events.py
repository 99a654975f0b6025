"""A run's event log and its steps, fetched on demand: what keeps live views whole and answers light."""

from __future__ import annotations

from drf_spectacular.utils import OpenApiParameter, extend_schema
from redis.exceptions import RedisError
from rest_framework.exceptions import ValidationError
from rest_framework.response import Response
from rest_framework.views import APIView

from flowbuilder.api.envelope import success_body
from flowbuilder.api.pagination import bounded_int
from workflows.api.helpers import get_execution
from workflows.api.serializers import StepPreviewSerializer, StepSerializer, decode_step_cursor, encode_step_cursor
from workflows.event_log import EventPage, read_events

MAX_EVENTS = 1000
DEFAULT_EVENTS = 500
MAX_STEPS = 500
DEFAULT_STEPS = 100
# A seq far past any run (Redis counters are 64-bit) keeps `after` a plain bounded number.
MAX_SEQ = 10**15

EVENT_SCHEMA = {
    "type": "object",
    "required": ["event", "execution_id", "workflow_id", "seq", "data"],
    "properties": {
        "event": {"type": "string", "example": "step.succeeded"},
        "execution_id": {"type": "string"},
        "workflow_id": {"type": "string"},
        "seq": {"type": "integer", "description": "Per-execution sequence number, 1, 2, 3, … without gaps."},
        "data": {"type": "object", "additionalProperties": True},
    },
}
EVENTS_RESPONSE = {
    "type": "object",
    "required": ["success", "data", "meta"],
    "properties": {
        "success": {"type": "boolean", "enum": [True]},
        "data": {"type": "array", "items": EVENT_SCHEMA},
        "meta": {
            "type": "object",
            "properties": {
                "after": {"type": "integer"},
                "limit": {"type": "integer"},
                "last_seq": {"type": "integer", "description": "The newest seq handed out so far (0: none)."},
                "next_after": {"type": "integer", "description": "Pass as `after` for the next page."},
                "has_more": {"type": "boolean"},
                "complete": {
                    "type": "boolean",
                    "description": "False when the log no longer holds every event after `after` (it keeps "
                    "FLOWBUILDER_EVENT_LOG_MAX_EVENTS events for FLOWBUILDER_EVENT_LOG_SECONDS): reload "
                    "GET /executions/{id} and continue from its `event_seq`.",
                },
                "status": {"type": "string", "description": "The run's status when the log was read."},
            },
        },
    },
}
STEPS_RESPONSE = {
    "type": "object",
    "required": ["success", "data", "meta"],
    "properties": {
        "success": {"type": "boolean", "enum": [True]},
        "data": {"type": "array", "items": {"$ref": "#/components/schemas/Step"}},
        "meta": {
            "type": "object",
            "properties": {
                "limit": {"type": "integer"},
                "total": {"type": "integer"},
                "next_cursor": {"type": "string", "nullable": True},
                "has_more": {"type": "boolean"},
            },
        },
    },
}


def enveloped(data, meta: dict) -> Response:
    response = Response(success_body(data, meta))
    response.is_enveloped = True
    return response


class ExecutionEventsView(APIView):
    @extend_schema(
        summary="The run's live events after a sequence number",
        description="Every live event of a run is numbered (`seq` 1, 2, 3, …) and kept for a while, so a "
        "client that saw a gap in `seq`, lost its WebSocket or arrives late fetches what it missed here, "
        "oldest first, and stays in step with the WebSocket.",
        parameters=[
            OpenApiParameter("after", int, description="Events with a larger seq (default 0: from the start)."),
            OpenApiParameter("limit", int, description=f"At most this many (default {DEFAULT_EVENTS}, "
                             f"max {MAX_EVENTS}; more reads as {MAX_EVENTS})."),  # fmt: skip
        ],
        responses={200: EVENTS_RESPONSE},
    )
    def get(self, request, execution_id: str):
        execution = get_execution(request, execution_id)
        after = bounded_int(request, "after", 0, minimum=0, maximum=MAX_SEQ)
        limit = min(bounded_int(request, "limit", DEFAULT_EVENTS, minimum=1), MAX_EVENTS)
        try:
            page = read_events(execution.id, after, limit)
        except (RedisError, OSError):
            # Without the log the client reloads the run from the database (complete=false).
            page = EventPage(events=[], last_seq=after, complete=False, has_more=False)
        next_after = page.events[-1]["seq"] if page.events else after
        meta = {
            "after": after, "limit": limit, "last_seq": page.last_seq, "next_after": next_after,
            "has_more": page.has_more, "complete": page.complete, "status": execution.status,
        }  # fmt: skip
        return enveloped(page.events, meta)


class ExecutionStepsView(APIView):
    @extend_schema(
        summary="A run's steps, a page at a time",
        description="Step attempts in order. Inputs and outputs over FLOWBUILDER_INLINE_VALUE_BYTES are "
        '`{"$truncated": {"bytes", "preview", "url"}}` unless `full=true`; the url answers that step whole.',
        parameters=[
            OpenApiParameter("cursor", str, description="From meta.next_cursor (or the execution's "
                             "steps_next_cursor): the steps after it."),  # fmt: skip
            OpenApiParameter("limit", int, description=f"Default {DEFAULT_STEPS}, max {MAX_STEPS}."),
            OpenApiParameter("step_key", str, description="Only this step's attempts."),
            OpenApiParameter("attempt", int, description="Only this attempt."),
            OpenApiParameter("full", bool, description="Values whole, never previews."),
        ],
        responses={200: STEPS_RESPONSE},
    )
    def get(self, request, execution_id: str):
        execution = get_execution(request, execution_id)
        limit = min(bounded_int(request, "limit", DEFAULT_STEPS, minimum=1), MAX_STEPS)
        steps = execution.steps.order_by("id")
        step_key = request.query_params.get("step_key")
        if step_key is not None:
            steps = steps.filter(step_key=step_key.replace("\x00", ""))
        if request.query_params.get("attempt") not in (None, ""):
            steps = steps.filter(attempt=bounded_int(request, "attempt", 1, minimum=1, maximum=10**9))
        total = steps.count()
        cursor = request.query_params.get("cursor")
        if cursor:
            try:
                steps = steps.filter(id__gt=decode_step_cursor(cursor))
            except ValueError:
                raise ValidationError({"cursor": ["cursor is not one this API gave out."]}) from None
        rows = list(steps[: limit + 1])
        has_more = len(rows) > limit
        rows = rows[:limit]
        full = request.query_params.get("full", "").lower() in ("1", "true", "yes")
        serializer = StepSerializer if full else StepPreviewSerializer
        meta = {
            "limit": limit, "total": total, "has_more": has_more,
            "next_cursor": encode_step_cursor(rows[-1].id) if has_more else None,
        }  # fmt: skip
        return enveloped(serializer(rows, many=True).data, meta)
