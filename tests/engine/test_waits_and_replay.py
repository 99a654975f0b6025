"""Parking, resuming and crash recovery: completed steps are replayed, never re-run."""

from __future__ import annotations

from dataclasses import replace
from datetime import timedelta

from tests.engine.support import T0, flow, link, node, probe_calls


def _wait_flow() -> dict:
    return flow(
        [
            node("before", "test.probe", {"output": "before"}),
            node("pause", "logic.wait", {"seconds": 3600}),
            node("after", "test.probe", {"output": "after"}),
        ],
        [link("start", "before"), link("before", "pause"), link("pause", "after")],
    )


def test_wait_parks_the_run_until_its_time(run, journal):
    outcome = run(_wait_flow())
    assert outcome.status == "waiting"
    assert outcome.resume_at == T0 + timedelta(hours=1)
    assert outcome.waiting_for == {"kind": "timer", "node_id": "pause", "step_key": "pause"}
    assert journal.statuses("pause") == [("running", 1), ("waiting", 1)]
    assert probe_calls("after") == 0


def test_resuming_early_keeps_waiting_for_the_original_time(run, clock):
    run(_wait_flow())
    clock.advance(1800)
    outcome = run(_wait_flow())
    assert outcome.status == "waiting"
    assert outcome.resume_at == T0 + timedelta(hours=1)


def test_resuming_after_the_wait_completes_without_rerunning_earlier_steps(run, clock):
    run(_wait_flow())
    clock.advance(3600)
    outcome = run(_wait_flow())
    assert outcome.status == "completed"
    assert outcome.output == "after"
    assert (probe_calls("before"), probe_calls("after")) == (1, 1)


def test_wait_until_an_iso_time(run):
    definition = flow(
        [node("pause", "logic.wait", {"until": "2024-01-02T00:00:00+00:00"})], [link("start", "pause")]
    )
    assert run(definition).resume_at == T0.replace(day=2, hour=0)


def _event_flow() -> dict:
    return flow(
        [
            node("ask", "test.probe", {"output": "asked"}),
            node("approval", "logic.wait_for_event", {"event": "approved", "timeout_seconds": 60}),
            node("approved", "data.set", {"fields": {"by": "{{ input.user }}"}}),
            node("expired", "data.set", {"fields": {"expired": True}}),
        ],
        [
            link("start", "ask"),
            link("ask", "approval"),
            link("approval", "approved"),
            link("approval", "expired", "timeout"),
        ],
    )


def test_wait_for_event_parks_and_names_the_event(run):
    outcome = run(_event_flow())
    assert outcome.status == "waiting"
    assert outcome.waiting_for["event"] == "approved"
    assert outcome.resume_at == T0 + timedelta(seconds=60)


def test_the_event_payload_leaves_by_the_out_port(run):
    run(_event_flow())
    outcome = run(_event_flow(), resume={"node_id": "approval", "payload": {"user": "ada"}})
    assert outcome.output == {"by": "ada"}
    assert probe_calls("ask") == 1


def test_a_timed_out_event_leaves_by_the_timeout_port(run):
    run(_event_flow())
    outcome = run(_event_flow(), resume={"step_key": "approval", "timed_out": True})
    assert outcome.output == {"expired": True}


def test_an_event_past_its_deadline_times_out_on_any_resume(run, clock):
    run(_event_flow())
    clock.advance(61)
    assert run(_event_flow()).output == {"expired": True}


def test_sub_workflow_parks_and_resumes_with_the_child_output(run):
    definition = flow(
        [node("child", "logic.sub_workflow", {"workflow_id": "wf-2"})], [link("start", "child")]
    )
    outcome = run(definition, {"x": 1})
    assert outcome.waiting_for["workflow_id"] == "wf-2"
    assert outcome.waiting_for["input"] == {"x": 1}
    assert (
        run(definition, {"x": 1}, resume={"node_id": "child", "payload": "child done"}).output == "child done"
    )


def _three_steps() -> dict:
    return flow(
        [node("one", "test.probe"), node("two", "test.probe"), node("three", "test.probe")],
        [link("start", "one"), link("one", "two"), link("two", "three")],
    )


def test_after_a_crash_the_step_in_flight_runs_again_with_the_same_key(run, journal):
    run(_three_steps(), "payload")
    # Simulate the worker dying inside step three: keep its "running" record, drop the rest.
    crash_point = next(i for i, r in enumerate(journal.records) if r.step_key == "three")
    journal.records = journal.records[: crash_point + 1]
    before = probe_calls("one"), probe_calls("two"), probe_calls("three")

    outcome = run(_three_steps(), "payload")

    assert outcome.status == "completed"
    after = probe_calls("one"), probe_calls("two"), probe_calls("three")
    assert (after[0] - before[0], after[1] - before[1], after[2] - before[2]) == (0, 0, 1)
    assert journal.statuses("three") == [("running", 1), ("running", 2), ("succeeded", 2)]
    keys = {r.idempotency_key for r in journal.records if r.step_key == "three"}
    assert keys == {"exec-1:three"}


def test_replayed_outputs_feed_the_steps_that_run_again(run, journal):
    run(_three_steps(), "payload")
    journal.records = [r if r.step_key != "two" else replace(r, output="recorded") for r in journal.records]
    journal.records = [r for r in journal.records if r.step_key != "three"]
    assert run(_three_steps(), "payload").output == "recorded"


def test_a_loop_resumes_without_rerunning_finished_iterations(run, journal):
    definition = flow(
        [
            node("each", "logic.for_each", {"items": "{{ input }}"}),
            node("work", "test.probe"),
            node("gate", "logic.wait_for_event", {"event": "ok"}),
        ],
        [link("start", "each"), link("each", "work", "loop"), link("work", "gate"), link("gate", "each")],
    )
    first = run(definition, [1, 2])
    assert first.status == "waiting"
    assert first.waiting_for["step_key"] == "each[0]/gate"
    run(definition, [1, 2], resume={"step_key": "each[0]/gate", "payload": "a"})
    outcome = run(definition, [1, 2], resume={"step_key": "each[1]/gate", "payload": "b"})
    assert outcome.output == ["a", "b"]
    assert (probe_calls("each[0]/work"), probe_calls("each[1]/work")) == (1, 1)
