"""Cron triggers: once per tick however many schedulers run; deactivation stops them."""

from __future__ import annotations

import datetime as dt

import pytest
from django.utils import timezone

from accounts.models import AuditEvent
from tests.workflows.conftest import edge, node
from tests.workflows.processes import start_scheduler, wait_until
from workflows import services
from workflows.models import Execution
from workflows.schedules import fire_due_schedules


def every_two_seconds() -> dict:
    return {
        "nodes": [
            node("tick", "trigger.schedule", {"cron": "* * * * * */2", "timezone": "Europe/Madrid"}),
            node("note", "data.set", {"fields": {"at": "{{ trigger.scheduled_at }}"}}),
        ],
        "edges": [edge("tick", "note")],
    }


@pytest.fixture
def scheduled(make_workflow, alice):
    workflow = make_workflow(name="Ticker", definition=every_two_seconds())
    return services.set_workflow_active(workflow, True, actor=alice)


@pytest.mark.slow
@pytest.mark.django_db(transaction=True)
def test_two_scheduler_processes_fire_each_tick_exactly_once(scheduled):
    schedulers = [start_scheduler(), start_scheduler()]
    try:
        wait_until(lambda: Execution.objects.filter(workflow=scheduled).count() >= 4, timeout=30, what="4 ticks")
    finally:
        for scheduler in schedulers:
            scheduler.stop()
    ticks = sorted(Execution.objects.filter(workflow=scheduled).values_list("input__scheduled_at", flat=True))
    assert len(ticks) == len(set(ticks)), "a tick fired twice"
    moments = [dt.datetime.fromisoformat(tick) for tick in ticks]
    gaps = {(later - earlier).total_seconds() for earlier, later in zip(moments, moments[1:], strict=False)}
    assert gaps == {2.0}, "a tick was skipped or doubled"
    assert all(execution.mode == "schedule" for execution in Execution.objects.filter(workflow=scheduled))


def test_the_first_pass_only_starts_counting(scheduled):
    assert fire_due_schedules() == []
    assert Execution.objects.count() == 0


def just_after_an_even_second() -> dt.datetime:
    """A moment 0.1 s past an even second, so the every-2-s schedule's next tick is 1.9 s away."""
    base = timezone.now().replace(microsecond=0)
    if base.second % 2:
        base += dt.timedelta(seconds=1)
    return base + dt.timedelta(seconds=0.1)


def test_a_due_tick_starts_the_published_version(scheduled):
    now = just_after_an_even_second()
    fire_due_schedules(now)
    fired = fire_due_schedules(now + dt.timedelta(seconds=2.4))
    assert len(fired) == 1 and fired[0].missed == 0
    execution = Execution.objects.get(pk=fired[0].execution_id)
    assert execution.version == 1 and execution.trigger_node_id == "tick"
    assert fire_due_schedules(now + dt.timedelta(seconds=2.4)) == []  # the same tick never twice


def test_missed_ticks_are_reported_not_replayed(scheduled):
    now = timezone.now()
    fire_due_schedules(now)
    fired = fire_due_schedules(now + dt.timedelta(minutes=10))
    assert len(fired) == 1 and fired[0].missed >= 290
    assert Execution.objects.count() == 1
    assert Execution.objects.get().input["missed_ticks"] == fired[0].missed
    report = AuditEvent.objects.get(action="schedule.ticks_missed")
    assert report.details["count"] == fired[0].missed


def test_skip_mode_reports_missed_ticks_and_fires_nothing(scheduled, settings):
    settings.FLOWBUILDER_SCHEDULE_CATCH_UP = "skip"
    now = timezone.now()
    fire_due_schedules(now)
    fired = fire_due_schedules(now + dt.timedelta(minutes=1))
    assert fired[0].execution_id is None and Execution.objects.count() == 0


def test_deactivating_stops_the_schedule(scheduled, alice):
    now = timezone.now()
    fire_due_schedules(now)
    services.set_workflow_active(scheduled, False, actor=alice)
    assert fire_due_schedules(now + dt.timedelta(seconds=5)) == []
    # Reactivation starts counting afresh: the pause is not reported as missed ticks.
    services.set_workflow_active(scheduled, True, actor=alice)
    assert fire_due_schedules(now + dt.timedelta(seconds=5)) == []
    assert not AuditEvent.objects.filter(action="schedule.ticks_missed").exists()
