"""Retries, timeouts, the error port, limits, cancellation and contained failures."""

from __future__ import annotations

from tests.engine.support import Probe, flow, link, node, probe_calls


def _probe_flow(config: dict, **extra) -> dict:
    return flow([node("work", "test.probe", config, **extra)], [link("start", "work")])


def test_it_retries_with_exponential_backoff_capped_by_max_delay(run, journal, sleep):
    retry = {"max_attempts": 5, "backoff_seconds": 1, "backoff_multiplier": 2, "max_delay_seconds": 5}
    outcome = run(_probe_flow({"fail_times": 4, "output": "finally"}, retry=retry))
    assert outcome.output == "finally"
    assert sleep.delays == [1, 2, 4, 5]
    assert [s for s in journal.statuses("work") if s[0] != "running"] == [
        ("retrying", 1),
        ("retrying", 2),
        ("retrying", 3),
        ("retrying", 4),
        ("succeeded", 5),
    ]


def test_it_fails_the_run_after_the_last_attempt(run, sleep):
    outcome = run(_probe_flow({"fail_times": 9}, retry={"max_attempts": 3, "backoff_seconds": 2}))
    assert outcome.status == "failed"
    assert outcome.error == {"node_id": "work", "code": "FLAKY", "message": "failure 3"}
    assert sleep.delays == [2, 4]


def test_the_error_port_receives_the_error_after_the_last_attempt(run):
    definition = flow(
        [
            node("work", "test.probe", {"fail_times": 9}, retry={"max_attempts": 2, "backoff_seconds": 0}),
            node("handle", "data.set", {"fields": {"caught": "{{ input.code }} from {{ input.node_id }}"}}),
        ],
        [link("start", "work"), link("work", "handle", "error")],
    )
    outcome = run(definition)
    assert outcome.status == "completed"
    assert outcome.output == {"caught": "FLAKY from work"}


def test_a_node_that_overruns_its_timeout_fails_and_is_told_to_stop(run):
    outcome = run(_probe_flow({"block": True}, timeout_seconds=0.05))
    assert outcome.status == "failed"
    assert outcome.error["code"] == "TIMEOUT"
    blocked = [c for c in Probe.calls if c.step_key == "work"][0]
    assert blocked.cancelled.is_set()


def test_a_node_within_its_timeout_succeeds(run):
    assert run(_probe_flow({"output": "quick"}, timeout_seconds=5)).output == "quick"


def test_an_exception_inside_a_node_becomes_a_node_error_without_traceback(run):
    outcome = run(_probe_flow({"crash": True}))
    assert outcome.error == {
        "node_id": "work",
        "code": "NODE_ERROR",
        "message": "ZeroDivisionError: division by zero",
    }


def test_a_bad_expression_fails_the_step_naming_node_and_field(run, journal):
    definition = flow(
        [node("shape", "data.set", {"fields": {"total": "{{ input.nope + 1 }}"}})], [link("start", "shape")]
    )
    outcome = run(definition, {"a": 1})
    assert outcome.status == "failed"
    assert outcome.error["code"] == "EXPRESSION_ERROR"
    # The sentence names the field by its label; node and path stay machine-readable beside it.
    assert outcome.error["node_id"] == "shape"
    assert outcome.error["field"] == "config.fields.total"
    assert outcome.error["message"] == "Fields “total”: Nope is missing from the input"
    assert journal.statuses("shape")[-1] == ("failed", 1)


def test_a_bad_expression_is_not_retried(run, sleep):
    definition = _probe_flow({"output": "{{ input.__class__ }}"}, retry={"max_attempts": 3})
    assert run(definition).error["code"] == "EXPRESSION_ERROR"
    assert sleep.delays == []


def test_it_stops_at_max_steps(run):
    definition = flow(
        [node("a", "test.probe"), node("b", "test.probe"), node("c", "test.probe")],
        [link("start", "a"), link("a", "b"), link("b", "c")],
        settings={"max_steps": 3},
    )
    outcome = run(definition)
    assert outcome.error["code"] == "MAX_STEPS_EXCEEDED"
    assert outcome.error["node_id"] == "c"
    assert probe_calls("c") == 0


def test_it_stops_when_the_run_is_cancelled_between_steps(run):
    checks = iter([False, False, True])
    definition = flow(
        [node("a", "test.probe"), node("b", "test.probe")],
        [link("start", "a"), link("a", "b")],
    )
    outcome = run(definition, cancel_check=lambda: next(checks))
    assert outcome.status == "cancelled"
    assert (probe_calls("a"), probe_calls("b")) == (1, 0)


def test_it_fails_when_the_run_exceeds_its_overall_timeout(run, clock):
    from datetime import timedelta

    definition = _probe_flow({}, retry=None)
    definition["settings"] = {"timeout_seconds": 60}
    execution = {"id": "exec-1", "started_at": clock() - timedelta(seconds=61)}
    assert run(definition, execution=execution).error["code"] == "EXECUTION_TIMEOUT"


def test_a_failure_inside_a_loop_fails_the_run_with_the_inner_node(run):
    definition = flow(
        [
            node("each", "logic.for_each", {"items": "{{ input }}"}),
            node("body", "test.probe", {"crash": True}),
        ],
        [link("start", "each"), link("each", "body", "loop")],
    )
    outcome = run(definition, [1])
    assert outcome.error["node_id"] == "body"
