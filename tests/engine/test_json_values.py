"""Values are JSON at the engine's boundary: converted when a step finishes, or the step fails.

Every row of the tables below wedged a real run before (the ORM journal could not store it),
or, in memory, leaked a Python object into the run's output.
"""

from __future__ import annotations

import json
import math
import uuid
from datetime import UTC, date, datetime, time, timedelta
from decimal import Decimal

import pytest

from tests.engine.support import T0, flow, link, node
from workflows.engine import InMemoryJournal


class StrictJsonJournal(InMemoryJournal):
    """Refuses what PostgreSQL's jsonb would refuse, as the ORM journal's write does."""

    def _check(self, record) -> None:
        for value in (record.input, record.output, record.error, record.waiting_for):
            json.dumps(value, allow_nan=False)

    def step_started(self, record) -> None:
        self._check(record)
        super().step_started(record)

    def step_finished(self, record) -> None:
        self._check(record)
        super().step_finished(record)


@pytest.fixture
def journal() -> StrictJsonJournal:
    return StrictJsonJournal()


def _emit(value) -> dict:
    """A flow whose `emit` step outputs `value` as it is (a probe returns its config's output)."""
    return flow([node("emit", "test.probe", {"output": value})], [link("start", "emit")])


class Opaque:
    pass


def _generator():
    yield 1


CONVERTED = [
    pytest.param(datetime(2024, 5, 1, 9, 30, tzinfo=UTC), "2024-05-01T09:30:00+00:00", id="aware-datetime"),
    pytest.param(datetime(2024, 5, 1, 9, 30, 0, 120), "2024-05-01T09:30:00.000120", id="naive-datetime"),
    pytest.param(date(2024, 5, 1), "2024-05-01", id="date"),
    pytest.param(time(9, 30, 5), "09:30:05", id="time"),
    pytest.param(timedelta(days=1, hours=2, seconds=3.5), "P1DT2H0M3.5S", id="timedelta"),
    pytest.param(timedelta(seconds=-90), "-PT0H1M30S", id="negative-timedelta"),
    pytest.param(Decimal("12.50"), 12.5, id="exact-decimal-float"),
    pytest.param(Decimal("42.000"), 42, id="integral-decimal"),
    pytest.param(Decimal("0.1"), 0.1, id="decimal-0.1"),
    pytest.param(Decimal("12345678901234567890.123456789"), "12345678901234567890.123456789", id="inexact-decimal"),
    pytest.param(Decimal("NaN"), "NaN", id="decimal-nan"),
    pytest.param(Decimal("-Infinity"), "-Infinity", id="decimal-infinity"),
    pytest.param(math.nan, "NaN", id="float-nan"),
    pytest.param(math.inf, "Infinity", id="float-inf"),
    pytest.param(uuid.UUID(int=1), "00000000-0000-0000-0000-000000000001", id="uuid"),
    pytest.param((1, "a"), [1, "a"], id="tuple"),
    pytest.param({3, 1, 2}, [1, 2, 3], id="set"),
    pytest.param(frozenset({"b", "a"}), ["a", "b"], id="frozenset"),
    pytest.param(range(3), [0, 1, 2], id="range"),
    pytest.param(b"\x00\xffhi", {"$bytes": "AP9oaQ=="}, id="bytes"),
    pytest.param(bytearray(b"ab"), {"$bytes": "YWI="}, id="bytearray"),
    pytest.param(memoryview(b"ab"), {"$bytes": "YWI="}, id="memoryview"),
    pytest.param({1: "one", "two": 2}, {"1": "one", "two": 2}, id="int-keys"),
    pytest.param(
        {"rows": [(1, Decimal("9.99"), datetime(2024, 1, 2, tzinfo=UTC))]},
        {"rows": [[1, 9.99, "2024-01-02T00:00:00+00:00"]]},
        id="nested-row",
    ),
    pytest.param({"ok": [True, None, 1.5, "x"]}, {"ok": [True, None, 1.5, "x"]}, id="already-json"),
]


@pytest.mark.parametrize(("value", "expected"), CONVERTED)
def test_a_step_output_becomes_json(run, journal, value, expected):
    outcome = run(_emit(value))
    assert outcome.status == "completed"
    assert outcome.output == expected
    assert journal.last_record("emit").status == "succeeded"
    assert journal.last_record("emit").output == expected


REFUSED = [
    pytest.param(len, "output", id="builtin-function"),
    pytest.param({}.items, "output", id="bound-method"),
    pytest.param(Opaque(), "output", id="object"),
    pytest.param(_generator(), "output", id="generator"),
    pytest.param({"rows": [{"id": 1}, {"id": 2, "at": Opaque()}]}, "output.rows[1].at", id="nested-path"),
    pytest.param({(1, 2): "tuple key"}, "output", id="tuple-key"),
    pytest.param({None: "none key"}, "output", id="none-key"),
    pytest.param({1: "a", "1": "b"}, "output", id="colliding-keys"),
    pytest.param("nul \x00 char", "output", id="nul-in-string"),
    pytest.param({"bad\x00key": 1}, "output", id="nul-in-key"),
    pytest.param("lone \ud800 surrogate", "output", id="lone-surrogate"),
    pytest.param(10**5000, "output", id="huge-int"),
]


@pytest.mark.parametrize(("value", "path"), REFUSED)
def test_a_step_output_that_is_not_json_fails_the_step_naming_the_path(run, journal, value, path):
    outcome = run(_emit(value))
    assert outcome.status == "failed"
    assert outcome.error["code"] == "OUTPUT_NOT_JSON"
    assert outcome.error["node_id"] == "emit"
    assert path in outcome.error["message"]
    assert journal.last_record("emit").status == "failed"


def test_a_refused_output_goes_out_of_the_error_port_when_wired(run, journal):
    definition = flow(
        [
            node("emit", "test.probe", {"output": {"at": Opaque()}}, retry={"max_attempts": 3}),
            node("handle", "data.set", {"fields": {"code": "{{ input.code }}"}}),
        ],
        [link("start", "emit"), link("emit", "handle", "error")],
    )
    outcome = run(definition)
    assert outcome.status == "completed"
    assert outcome.output == {"code": "OUTPUT_NOT_JSON"}
    # A value is refused the same way every time: no retries.
    assert [s for s in journal.statuses("emit") if s[0] != "running"] == [("failed", 1)]


EXPRESSIONS = [
    pytest.param("{{ input.items }}", {"items": [1, 2]}, [1, 2], id="items-key"),
    pytest.param("{{ input.keys }}", {"keys": ["a"]}, ["a"], id="keys-key"),
    pytest.param("{{ input.values }}", {"values": [3]}, [3], id="values-key"),
    pytest.param("{{ input.get }}", {"get": "x"}, "x", id="get-key"),
    pytest.param("{{ input.update }}", {"update": 1}, 1, id="update-key"),
    pytest.param("{{ input.pop }}", {"pop": True}, True, id="pop-key"),
    pytest.param("{{ input.items | length }}", {"items": [1, 2]}, 2, id="items-key-in-filter"),
    pytest.param("{{ input.get('a') }}", {"a": 5}, 5, id="get-method-without-key"),
    pytest.param("{{ range(3) }}", {}, [0, 1, 2], id="range"),
    pytest.param("{{ execution.id }}", {}, "exec-1", id="execution-id"),
    pytest.param("{{ {1: 'a'} }}", {}, {"1": "a"}, id="int-key-literal"),
    # A missing key is null wherever it lands in a whole-field value (D16); it used to be refused.
    pytest.param("{{ {'a': input.nothing} }}", {}, {"a": None}, id="missing-inside-is-null"),
    pytest.param("{{ input.nothing }}", {}, None, id="missing-is-null"),
]


@pytest.mark.parametrize(("expression", "payload", "expected"), EXPRESSIONS)
def test_an_expression_gives_json_data(run, expression, payload, expected):
    definition = flow([node("set", "data.set", {"fields": {"x": expression}})], [link("start", "set")])
    outcome = run(definition, payload)
    assert outcome.status == "completed", outcome.error
    assert outcome.output == {"x": expected}


def test_the_execution_object_becomes_json(run):
    definition = flow([node("set", "data.set", {"fields": {"x": "{{ execution }}"}})], [link("start", "set")])
    outcome = run(definition, {}, execution={"id": "exec-1", "started_at": T0})
    assert outcome.status == "completed", outcome.error
    assert outcome.output == {"x": {"id": "exec-1", "started_at": T0.isoformat()}}


POISON_EXPRESSIONS = [
    pytest.param("{{ self }}", "output.x", id="self"),
    pytest.param("{{ input.items }}", "output.x", id="items-method-without-key"),
    pytest.param("{{ [1, 2] | map('string') }}", "output.x", id="generator-filter"),
    pytest.param("{{ namespace }}", "output.x", id="namespace-class"),
]


@pytest.mark.parametrize(("expression", "path"), POISON_EXPRESSIONS)
def test_an_expression_that_is_not_json_fails_the_step(run, journal, expression, path):
    definition = flow([node("set", "data.set", {"fields": {"x": expression}})], [link("start", "set")])
    outcome = run(definition, {"a": 1})
    assert outcome.status == "failed"
    assert outcome.error["code"] in ("OUTPUT_NOT_JSON", "EXPRESSION_ERROR")
    if outcome.error["code"] == "OUTPUT_NOT_JSON":
        assert path in outcome.error["message"]
    assert journal.last_record("set").status == "failed"


def test_a_loop_over_values_that_are_not_json_fails_the_loop(run, journal):
    definition = flow(
        [node("each", "logic.for_each", {"items": "{{ [input.get] }}"}), node("body", "data.set", {"fields": {}})],
        [link("start", "each"), link("each", "body", "loop")],
    )
    outcome = run(definition, {"a": 1})
    assert outcome.status == "failed"
    assert outcome.error["code"] == "OUTPUT_NOT_JSON"
    assert journal.last_record("each").status == "failed"


def test_a_wait_whose_details_are_not_json_fails_the_step(run, journal):
    definition = flow(
        [node("child", "logic.sub_workflow", {"workflow_id": "wf-2", "input": "{{ input.get }}"})],
        [link("start", "child")],
    )
    outcome = run(definition, {"a": 1})
    assert outcome.status == "failed"
    assert outcome.error["code"] == "OUTPUT_NOT_JSON"
    assert journal.last_record("child").status == "failed"
