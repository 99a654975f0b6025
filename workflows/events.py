"""One place broadcasts execution events to Channels groups (`execution.<id>`, `workflow.<id>`)."""

from __future__ import annotations

import json
import logging
from typing import Any

from asgiref.sync import async_to_sync
from channels.layers import get_channel_layer
from django.core.serializers.json import DjangoJSONEncoder

from flowbuilder.redis import get_redis

logger = logging.getLogger(__name__)
SEQUENCE_TTL_SECONDS = 7 * 86_400


def execution_group(execution_id: str) -> str:
    return f"execution.{execution_id}"


def workflow_group(workflow_id: str) -> str:
    return f"workflow.{workflow_id}"


def next_sequence(execution_id: str) -> int:
    """Per-execution event order, shared by every worker that ever runs it."""
    redis = get_redis()
    key = f"events:seq:{execution_id}"
    seq = redis.incr(key)
    if seq == 1:
        redis.expire(key, SEQUENCE_TTL_SECONDS)
    return seq


def publish_event(execution, kind: str, data: dict[str, Any], *, seq: int | None = None) -> None:
    """Send one event to everyone watching the execution or its workflow.

    Events must never break a run: a failing channel layer is logged and skipped.
    """
    layer = get_channel_layer()
    if layer is None:
        return
    message = {
        "type": "execution.event",
        "event": kind,
        "execution_id": execution.id,
        "workflow_id": execution.workflow_id,
        "seq": seq if seq is not None else next_sequence(execution.id),
        # Channels serialises with msgpack: keep the payload plain JSON types.
        "data": json.loads(json.dumps(data, cls=DjangoJSONEncoder, default=str)),
    }
    try:
        send = async_to_sync(layer.group_send)
        send(execution_group(execution.id), message)
        send(workflow_group(execution.workflow_id), message)
    except Exception:  # noqa: BLE001 - a broken event bus must not fail the run
        logger.warning("could not publish %s for %s", kind, execution.id, exc_info=True)
