"""Step rows written in one JSON parameter (workflows.step_rows, D19 addendum (4)) read back
exactly as Django's bulk_create writes them, odd values included; a second write of a row
updates it in place (same id), and ids follow the order given."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from workflows import services
from workflows.models import ExecutionStep
from workflows.step_rows import COLUMNS, RECORD_FIELDS, write_step_rows

pytestmark = pytest.mark.django_db(transaction=True)

WHEN = datetime(2026, 11, 30, 23, 59, 59, 123456, tzinfo=UTC)
ODD_VALUES = [
    None, "", "null", 0, -1, 2**63 - 1, 2**70, 1.5, 1e-300, True, False, [], {}, [None], {"": None},
    "é\u202e\U0001f600", "x" * 100_000, {"nested": {"deeper": [1, "two", {"three": [None, True]}]}},
    {"order": 2, "b": 1, "a": 0}, "'); DROP TABLE workflows_executionstep; --", "%s %(x)s {}",
]  # fmt: skip


def row(execution, index: int, value, **overrides) -> ExecutionStep:
    fields = {
        "step_key": f"node-{index}", "attempt": 1, "node_id": f"node-{index}", "node_type": "data.set",
        "status": "succeeded", "idempotency_key": f"{execution.id}:node-{index}", "input": value, "output": value,
        "output_port": "out" if index % 2 else None,
        "error": {"code": "X", "message": str(value)[:50]} if index % 3 else None,
        "started_at": WHEN + timedelta(microseconds=index), "finished_at": WHEN + timedelta(seconds=index),
        "resume_at": None, "waiting_for": {"kind": "event", "value": value} if index % 4 == 0 else None,
    }  # fmt: skip
    return ExecutionStep(execution=execution, **{**fields, **overrides})


def stored(execution) -> list[dict]:
    return list(ExecutionStep.objects.filter(execution=execution).order_by("id").values(*COLUMNS))


@pytest.fixture
def two_runs(make_workflow):
    workflow = make_workflow("Rows")
    return [services.start_execution(workflow, input={}, version=None, enqueue=False) for _ in range(2)]


def test_odd_values_read_back_as_bulk_create_writes_them(two_runs):
    ours, djangos = two_runs
    written = [row(ours, index, value) for index, value in enumerate(ODD_VALUES)]

    write_step_rows(written)
    ExecutionStep.objects.bulk_create([row(djangos, index, value) for index, value in enumerate(ODD_VALUES)])

    assert [item.pk for item in written] == sorted(item.pk for item in written)  # ids in the order given
    ids = list(ExecutionStep.objects.filter(execution=ours).values_list("id", flat=True))
    assert [item.pk for item in written] == ids
    mine, theirs = stored(ours), stored(djangos)
    assert len(mine) == len(ODD_VALUES)
    for a, b in zip(mine, theirs, strict=True):
        b["idempotency_key"] = b["idempotency_key"].replace(djangos.id, ours.id)
        assert a == b


def test_a_second_write_of_a_row_updates_it_in_place_and_adds_the_new_ones(two_runs):
    execution = two_runs[0]
    first = [row(execution, 0, {"a": 1}, status="running", finished_at=None)]
    write_step_rows(first)

    again = [row(execution, 0, {"a": 2}), row(execution, 1, "new")]
    write_step_rows(again)

    assert again[0].pk == first[0].pk and again[1].pk > first[0].pk
    rows = stored(execution)
    assert [(item["step_key"], item["status"], item["output"]) for item in rows] == [
        ("node-0", "succeeded", {"a": 2}), ("node-1", "succeeded", "new"),
    ]  # fmt: skip
    assert set(RECORD_FIELDS) < set(COLUMNS)


def test_rows_of_two_executions_in_one_write_are_refused(two_runs):
    with pytest.raises(ValueError):
        write_step_rows([row(two_runs[0], 0, 1), row(two_runs[1], 0, 1)])
    assert ExecutionStep.objects.count() == 0
