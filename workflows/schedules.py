"""Cron triggers: each tick of an active workflow's `trigger.schedule` fires exactly once.

Every scheduler process computes the due ticks; a Redis `SET NX` on the tick's key lets
exactly one of them start the run, however many schedulers and workers there are.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from datetime import datetime
from zoneinfo import ZoneInfo

from croniter import croniter
from django.conf import settings
from django.db.models import F
from django.utils import timezone

from accounts.services import record_audit
from flowbuilder.redis import get_redis
from workflows import services
from workflows.models import WorkflowStatus, WorkflowVersion

logger = logging.getLogger(__name__)
TICK_CLAIM_TTL_SECONDS = 86_400
MAX_TICKS_COUNTED = 10_000


@dataclass(frozen=True)
class FiredTick:
    workflow_id: str
    node_id: str
    tick: datetime
    missed: int
    execution_id: str | None


def last_tick_key(workflow_id: str, node_id: str) -> str:
    return f"schedule:last:{workflow_id}:{node_id}"


def forget_schedule_state(workflow_id: str) -> None:
    """Called on (de)activation, so a paused workflow does not count its pause as missed ticks."""
    redis = get_redis()
    for key in redis.scan_iter(match=f"schedule:last:{workflow_id}:*"):
        redis.delete(key)


def fire_due_schedules(now: datetime | None = None) -> list[FiredTick]:
    now = now or timezone.now()
    published = WorkflowVersion.objects.filter(
        workflow__status=WorkflowStatus.ACTIVE, number=F("workflow__published_version")
    ).select_related("workflow__project__organization")
    fired = []
    for version in published:
        for node in version.definition.get("nodes", []):
            if node.get("type") == "trigger.schedule":
                tick = fire_node_schedule(version, node, now)
                if tick is not None:
                    fired.append(tick)
    return fired


def due_ticks(cron: str, zone: ZoneInfo, after: datetime, now: datetime) -> list[datetime]:
    ticks = []
    iterator = croniter(cron, after.astimezone(zone))
    while len(ticks) < MAX_TICKS_COUNTED:
        tick = iterator.get_next(datetime)
        if tick > now:
            break
        ticks.append(tick)
    return ticks


def fire_node_schedule(version: WorkflowVersion, node: dict, now: datetime) -> FiredTick | None:
    workflow, config = version.workflow, node.get("config", {})
    redis = get_redis()
    key = last_tick_key(workflow.id, node["id"])
    last = redis.get(key)
    if last is None:
        # First sight of this schedule: count from now, never fire retroactively.
        redis.set(key, now.timestamp(), nx=True)
        return None
    zone = ZoneInfo(config.get("timezone") or "UTC")
    ticks = due_ticks(config["cron"], zone, datetime.fromtimestamp(float(last), tz=zone), now)
    if not ticks:
        return None
    tick, missed = ticks[-1], len(ticks) - 1
    claim = f"schedule:tick:{workflow.id}:{node['id']}:{int(tick.timestamp() * 1000)}"
    if not redis.set(claim, 1, nx=True, ex=TICK_CLAIM_TTL_SECONDS):
        return None  # another scheduler fired this tick
    redis.set(key, tick.timestamp())
    if missed:
        report_missed_ticks(workflow, node["id"], ticks[:-1])
        if settings.FLOWBUILDER_SCHEDULE_CATCH_UP == "skip":
            return FiredTick(workflow.id, node["id"], tick, missed, None)
    execution = services.start_execution(
        workflow,
        input={"scheduled_at": tick.isoformat(), "missed_ticks": missed},
        version=version.number,
        mode="schedule",
        trigger_node_id=node["id"],
    )
    return FiredTick(workflow.id, node["id"], tick, missed, execution.id)


def report_missed_ticks(workflow, node_id: str, missed: list[datetime]) -> None:
    logger.warning("workflow %s missed %d scheduled ticks of %s", workflow.id, len(missed), node_id)
    record_audit(
        workflow.project.organization,
        "schedule.ticks_missed",
        project=workflow.project,
        target=workflow,
        details={
            "node_id": node_id,
            "count": len(missed),
            "first": missed[0].isoformat(),
            "last": missed[-1].isoformat(),
            "catch_up": settings.FLOWBUILDER_SCHEDULE_CATCH_UP,
        },
    )
