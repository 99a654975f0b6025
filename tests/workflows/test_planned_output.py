"""Serializers with a built-once output plan (flowbuilder.api.fast_output, D19 addendum (4)) answer
exactly as DRF's own field-by-field output, key order included, for runs of every shape."""

from __future__ import annotations

import pytest
from rest_framework import serializers as drf

from flowbuilder.api.fast_output import PlannedOutput
from tests.workflows.conftest import edge, node
from workflows import services
from workflows.api.serializers import ExecutionListSerializer, ExecutionSerializer, LogEntrySerializer, StepSerializer
from workflows.jobs import run_execution
from workflows.models import Execution
from workflows.run_log import execution_logs

pytestmark = pytest.mark.django_db(transaction=True)


def flows() -> dict[str, dict]:
    start = node("start", "trigger.manual")
    return {
        "completed": {"nodes": [start, node("set", "data.set", {"fields": {"é": "{{ input.text }}", "n": 1.5}})],
                      "edges": [edge("start", "set")]},
        "failed": {"nodes": [start, node("stop", "logic.fail", {"message": "no <b>way</b>"})],
                   "edges": [edge("start", "stop")]},
        "waiting": {"nodes": [start, node("pause", "logic.wait", {"seconds": 3600})],
                    "edges": [edge("start", "pause")]},
        "pinned": {"nodes": [start, node("set", "data.set", {"fields": {"a": 1}})], "edges": [edge("start", "set")],
                   "pinned": {"set": {"output": {"a": "pinned", "nested": [None, True, {"x": []}]}}}},
    }  # fmt: skip


@pytest.fixture
def runs(make_workflow) -> list[Execution]:
    made = []
    for name, definition in flows().items():
        workflow = make_workflow(name, definition=definition)
        mode = "test" if name == "pinned" else "manual"
        text = "\u202e\x01 " + "x" * 5000
        execution = services.start_execution(workflow, input={"text": text}, version=None, mode=mode, enqueue=False)
        run_execution(execution.id)
        made.append(Execution.objects.select_related("workflow").get(pk=execution.pk))
    pending = services.start_execution(workflow, input={}, version=None, enqueue=False)  # never ran
    made.append(Execution.objects.select_related("workflow").get(pk=pending.pk))
    return made


def drf_output(serializer_class, instance, **kwargs):
    """What DRF's own Serializer.to_representation gives (no plan anywhere)."""

    class Plain(serializer_class):
        @classmethod
        def _output_plan(cls, serializer):
            return None

    return Plain(instance, **kwargs).data


def as_items(data) -> list:
    return list(data.items()) if isinstance(data, dict) else [as_items(item) for item in data]


@pytest.mark.parametrize("inline_steps", [100, 1])  # 1: a run over the inline steps shows previews
def test_every_shape_of_run_reads_as_drf_reads_it(runs, settings, inline_steps, monkeypatch):
    settings.FLOWBUILDER_INLINE_STEPS = inline_steps
    settings.FLOWBUILDER_INLINE_VALUE_BYTES = 100
    with monkeypatch.context() as plain:  # every serializer DRF's way, nested ones included
        for cls in (ExecutionSerializer, ExecutionListSerializer, StepSerializer, LogEntrySerializer):
            plain.setattr(cls, "_output_plan", classmethod(lambda cls, serializer: None))
        expected = [ExecutionSerializer(fresh(run)).data for run in runs]
        expected_list = ExecutionListSerializer(runs, many=True).data

    assert {run.status for run in runs} == {"completed", "failed", "waiting", "pending"}
    for run, wanted in zip(runs, expected, strict=True):
        assert as_items(ExecutionSerializer(fresh(run)).data) == as_items(wanted), run.status
    assert as_items(ExecutionListSerializer(runs, many=True).data) == as_items(expected_list)


def fresh(run: Execution) -> Execution:
    return Execution.objects.select_related("workflow").get(pk=run.pk)


def test_steps_and_log_entries_read_as_drf_reads_them(runs):
    for run in runs:
        steps = list(run.steps.order_by("id"))
        assert as_items(StepSerializer(steps, many=True).data) == as_items(drf_output(StepSerializer, steps, many=True))
        logs = execution_logs(run, steps)
        assert as_items(LogEntrySerializer(logs, many=True).data) == as_items(
            drf_output(LogEntrySerializer, logs, many=True)
        )


def test_a_serializer_with_a_field_outside_the_plain_ones_serializes_as_drf_does():
    class WithNested(PlannedOutput, drf.Serializer):
        name = drf.CharField()
        inner = drf.DictField(child=drf.IntegerField())
        way = drf.SerializerMethodField()

        def get_way(self, item) -> str:
            return self.context["way"]

    item = {"name": "a", "inner": {"b": "2"}}
    assert WithNested._output_plan(WithNested()) is None
    assert WithNested(item, context={"way": "drf"}).data == {"name": "a", "inner": {"b": 2}, "way": "drf"}


def test_method_fields_use_each_instances_own_context():
    class Greeting(PlannedOutput, drf.Serializer):
        name = drf.CharField()
        hello = drf.SerializerMethodField()

        def get_hello(self, item) -> str:
            return f"{self.context['greeting']}, {item['name']}"

    assert Greeting({"name": "Ada"}, context={"greeting": "Hi"}).data["hello"] == "Hi, Ada"
    assert Greeting({"name": "Bo"}, context={"greeting": "Hej"}).data["hello"] == "Hej, Bo"
