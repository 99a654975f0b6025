from __future__ import annotations

import base64

from django.conf import settings
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from flowbuilder.api.fast_output import PlannedOutput
from workflows.definitions import problems_as_dicts, shown_problems
from workflows.engine.input_schema import input_schema_of
from workflows.models import Execution, ExecutionStep, Workflow, WorkflowVersion
from workflows.previews import preview_step_values
from workflows.resume_links import resume_url as signed_resume_url
from workflows.run_log import LEVELS, execution_logs
from workflows.services import pick_trigger


class WorkflowListSerializer(serializers.ModelSerializer):
    execution_count = serializers.IntegerField(read_only=True, default=0)
    success_rate = serializers.SerializerMethodField()
    last_run_at = serializers.DateTimeField(read_only=True, allow_null=True, default=None)

    class Meta:
        model = Workflow
        fields = [
            "id", "name", "description", "status", "channel", "published_version",
            "created_at", "updated_at", "execution_count", "success_rate", "last_run_at",
        ]  # fmt: skip

    def get_success_rate(self, workflow) -> float | None:
        total = getattr(workflow, "finished_count", 0)
        if not total:
            return None
        return round(100 * getattr(workflow, "completed_count", 0) / total, 1)


ERROR_WORKFLOW_HELP = (
    "On failure, run this workflow (same project; it starts with a `trigger.error` node, which "
    "receives the failed run: workflow, execution with its url, error, node). null: none."
)


class WorkflowSerializer(WorkflowListSerializer):
    definition = serializers.JSONField()
    source_format = serializers.CharField(read_only=True)
    problems = serializers.SerializerMethodField()
    input_schema = serializers.SerializerMethodField()
    error_workflow_id = serializers.CharField(read_only=True, allow_null=True, help_text=ERROR_WORKFLOW_HELP)

    class Meta(WorkflowListSerializer.Meta):
        fields = [
            *WorkflowListSerializer.Meta.fields, "definition", "source_format", "problems", "input_schema",
            "error_workflow_id",
        ]  # fmt: skip

    def get_problems(self, workflow) -> list[dict]:
        return problems_as_dicts(workflow.definition, shown_problems(workflow.definition, workflow.project))

    @extend_schema_field(
        {
            "type": "object",
            "nullable": True,
            "additionalProperties": True,
            "readOnly": True,
            "description": "The JSON Schema that `input` of `POST /workflows/{id}/execute` (without `version` "
            "or `trigger_node_id`) must match: the `input_schema` of the trigger that call fires, in the "
            "version it runs (the published one, else the draft). null when that trigger declares none. "
            "Set it in the trigger's config (`input_schema`).",
        }
    )
    def get_input_schema(self, workflow) -> dict | None:
        definition = workflow.definition
        if workflow.published_version is not None:
            version = workflow.versions.filter(number=workflow.published_version).only("definition").first()
            definition = version.definition if version else definition
        return execute_input_schema(definition)


def execute_input_schema(definition) -> dict | None:
    """The `input_schema` a plain execute of this definition checks: its default trigger's, or None."""
    try:
        trigger = pick_trigger(definition or {}, None)
    except (IndexError, KeyError, AttributeError, TypeError):  # no trigger (a draft being written)
        return None
    return input_schema_of(definition, trigger)


@extend_schema_field(
    {
        "type": "object",
        "additionalProperties": {},
        "description": "The definition in any accepted form: nodes+edges, states, or configuration "
        "(it holds `nodes` as a list, `states` as an object or `configuration` as an object).",
        "anyOf": [
            {"required": ["nodes"], "properties": {"nodes": {"type": "array", "items": {"type": "object"}}}},
            {"required": ["states"], "properties": {"states": {"type": "object", "minProperties": 1}}},
            {"required": ["configuration"], "properties": {"configuration": {"type": "object"}}},
        ],
    }
)
class DefinitionField(serializers.DictField):
    """A definition in one of the three forms; engine.convert.detect_format is the server's rule."""


class WorkflowWriteSerializer(serializers.Serializer):
    """Name and metadata; the definition may come in any accepted form (see the views)."""

    name = serializers.CharField(max_length=200)
    description = serializers.CharField(required=False, allow_blank=True, default="")
    channel = serializers.CharField(required=False, allow_blank=True, max_length=40, default="")
    definition = DefinitionField(required=False)
    nodes = serializers.ListField(
        child=serializers.DictField(), required=False, help_text="Canonical form, instead of `definition`."
    )
    edges = serializers.ListField(child=serializers.DictField(), required=False)
    variables = serializers.DictField(required=False)
    settings = serializers.DictField(required=False)
    pinned = serializers.DictField(required=False, help_text="Test data: node id → {output, port?}; test runs only.")
    notes = serializers.ListField(child=serializers.DictField(), required=False, help_text="Sticky notes; never run.")
    states = serializers.DictField(required=False, help_text="State-machine form.")
    start_at = serializers.CharField(required=False)
    configuration = serializers.DictField(required=False, help_text="Chatbot form.")
    error_workflow_id = serializers.CharField(
        required=False, allow_null=True, default=None, max_length=40, help_text=ERROR_WORKFLOW_HELP
    )

    def validate(self, attrs):
        # `status` is not written here; saying so beats answering 200 and leaving it unchanged.
        if isinstance(self.initial_data, dict) and "status" in self.initial_data:
            raise serializers.ValidationError(
                {"status": ["status changes through POST /workflows/{id}/publish, /activate or /deactivate."]}
            )
        return attrs


class VersionSerializer(serializers.ModelSerializer):
    created_by = serializers.SerializerMethodField()

    class Meta:
        model = WorkflowVersion
        fields = ["id", "number", "note", "created_at", "created_by"]

    def get_created_by(self, version) -> str | None:
        return version.created_by.email if version.created_by else None


class VersionDetailSerializer(VersionSerializer):
    class Meta(VersionSerializer.Meta):
        fields = [*VersionSerializer.Meta.fields, "definition"]


class PublishSerializer(serializers.Serializer):
    note = serializers.CharField(required=False, allow_blank=True, max_length=500, default="")


@extend_schema_field(
    {"oneOf": [{"type": "string", "enum": ["draft"]}, {"type": "integer", "minimum": 1}], "nullable": True}
)
class VersionChoiceField(serializers.JSONField):
    """`"draft"`, a version number, or null (the published version, else the draft)."""

    def to_internal_value(self, data):
        if data is None or data == "draft" or (type(data) is int and data >= 1):
            return data
        raise serializers.ValidationError('Give "draft" or a version number (1 or more).')


class ExecuteSerializer(serializers.Serializer):
    input = serializers.DictField(required=False, default=dict, help_text="The trigger payload: a JSON object.")
    version = VersionChoiceField(
        required=False, allow_null=True, default=None,
        help_text='"draft" or a published version number; by default the published version, else the draft.',
    )  # fmt: skip
    wait = serializers.FloatField(required=False, min_value=0, max_value=60, default=None)
    trigger_node_id = serializers.CharField(required=False, default=None)
    test = serializers.BooleanField(
        required=False, default=False,
        help_text='A test run (the editor\'s Run): its mode is "test", and the dashboard and usage count it apart.',
    )  # fmt: skip


class ExecutionStartedSerializer(serializers.Serializer):
    execution_id = serializers.CharField()
    status = serializers.CharField()
    started_at = serializers.DateTimeField(allow_null=True)


class StepSerializer(PlannedOutput, serializers.ModelSerializer):
    type = serializers.CharField(source="node_type")
    completed_at = serializers.DateTimeField(source="finished_at")
    duration_ms = serializers.IntegerField(allow_null=True)

    class Meta:
        model = ExecutionStep
        fields = [
            "step_key", "node_id", "type", "status", "attempt", "idempotency_key", "output_port",
            "started_at", "completed_at", "duration_ms", "input", "output", "error",
        ]  # fmt: skip


class StepPreviewSerializer(StepSerializer):
    """A step whose input/output over FLOWBUILDER_INLINE_VALUE_BYTES is a `$truncated` preview."""

    def to_representation(self, step):
        return preview_step_values(super().to_representation(step), step.execution_id)


class ExecutionListSerializer(PlannedOutput, serializers.ModelSerializer):
    duration_ms = serializers.IntegerField(allow_null=True)
    workflow_name = serializers.CharField(source="workflow.name")

    class Meta:
        model = Execution
        fields = [
            "id", "workflow_id", "workflow_name", "version", "mode", "status", "error",
            "created_at", "started_at", "completed_at", "duration_ms", "customer_id", "channel",
        ]  # fmt: skip


class LogEntrySerializer(PlannedOutput, serializers.Serializer):
    timestamp = serializers.DateTimeField()
    level = serializers.ChoiceField(choices=LEVELS)
    node_id = serializers.CharField(allow_null=True, help_text="null for the run itself.")
    message = serializers.CharField()


class ExecutionSerializer(ExecutionListSerializer):
    """One run. `steps` is whole for runs of up to FLOWBUILDER_INLINE_STEPS steps (as always);
    a larger run lists its first FLOWBUILDER_INLINE_STEPS steps with large values as previews,
    and `GET /executions/{id}/steps?cursor=` pages the rest (`steps_complete`, `steps_next_cursor`).
    """

    steps = serializers.SerializerMethodField(
        help_text="Every step attempt in order; for runs over FLOWBUILDER_INLINE_STEPS (100) steps only the "
        "first ones, with inputs/outputs over FLOWBUILDER_INLINE_VALUE_BYTES as `$truncated` previews "
        "(see steps_complete, steps_next_cursor and GET /executions/{id}/steps)."
    )
    step_count = serializers.SerializerMethodField(help_text="How many step attempts the run has.")
    steps_complete = serializers.SerializerMethodField(help_text="False when `steps` lists only the first ones.")
    steps_next_cursor = serializers.SerializerMethodField(
        help_text="Pass as `cursor` to GET /executions/{id}/steps for the steps after those in `steps`."
    )
    logs = serializers.SerializerMethodField(
        help_text="What happened, oldest first: the run's start and end, each step attempt (started, "
        "succeeded, failed, retrying, waiting, skipped) and the lines nodes wrote."
    )
    state_history = serializers.SerializerMethodField(help_text="The steps in `steps`, seen as a state machine.")
    current_state = serializers.SerializerMethodField()
    resume_url = serializers.SerializerMethodField()
    event_seq = serializers.SerializerMethodField(
        help_text="The run's live events up to this seq are reflected in this answer (read before the steps): "
        "continue with GET /executions/{id}/events?after=<event_seq> or /ws/executions/{id}/?after=<event_seq>."
    )

    class Meta(ExecutionListSerializer.Meta):
        fields = [
            *ExecutionListSerializer.Meta.fields,
            "input", "output", "trigger_node_id", "resume_at", "waiting_for", "recovered_count",
            "parent_id", "steps", "step_count", "steps_complete", "steps_next_cursor", "logs",
            "state_history", "current_state", "resume_url", "event_seq",
        ]  # fmt: skip

    def get_event_seq(self, execution) -> int | None:
        return self.context.get("event_seq")

    def get_resume_url(self, execution) -> str | None:
        """A signed link that resumes the waiting step (for approvals sent by email)."""
        waiting_for = execution.waiting_for or {}
        if execution.status != "waiting" or waiting_for.get("kind") != "event":
            return None
        return signed_resume_url(execution, waiting_for["node_id"])

    def _steps(self, execution) -> list[ExecutionStep]:
        """The inline steps: all of a small run, the first FLOWBUILDER_INLINE_STEPS of a large one."""
        if not hasattr(execution, "_ordered_steps"):
            inline = settings.FLOWBUILDER_INLINE_STEPS
            written = getattr(execution, "written_rows", None)  # a run that just ended in this process
            rows = written[0][: inline + 1] if written else list(execution.steps.order_by("id")[: inline + 1])
            execution._steps_complete = len(rows) <= inline
            execution._ordered_steps = rows[:inline]
        return execution._ordered_steps

    def _complete(self, execution) -> bool:
        self._steps(execution)
        return execution._steps_complete

    @extend_schema_field(StepSerializer(many=True))
    def get_steps(self, execution) -> list[dict]:
        serializer = StepSerializer if self._complete(execution) else StepPreviewSerializer
        return serializer(self._steps(execution), many=True).data

    def get_step_count(self, execution) -> int:
        if self._complete(execution):
            return len(self._steps(execution))
        written = getattr(execution, "written_rows", None)
        return len(written[0]) if written else execution.steps.count()

    def get_steps_complete(self, execution) -> bool:
        return self._complete(execution)

    def get_steps_next_cursor(self, execution) -> str | None:
        if self._complete(execution):
            return None
        return encode_step_cursor(self._steps(execution)[-1].id)

    @extend_schema_field(LogEntrySerializer(many=True))
    def get_logs(self, execution) -> list[dict]:
        written = getattr(execution, "written_rows", None)
        lines = written[1] if written else None
        return LogEntrySerializer(execution_logs(execution, self._steps(execution), lines), many=True).data

    def get_state_history(self, execution) -> list[dict]:
        """The same steps seen as a state machine: each state entered, and how it was left."""
        history = []
        for step in self._steps(execution):
            if step.status == "skipped":
                continue
            history.append(
                {
                    "state": step.node_id,
                    "step_key": step.step_key,
                    "status": step.status,
                    "attempt": step.attempt,
                    "entered_at": step.started_at,
                    "exited_at": step.finished_at,
                    "next_port": step.output_port,
                }
            )
        return history

    def get_current_state(self, execution) -> str | None:
        steps = self._steps(execution)
        if not self._complete(execution):
            rows = execution.steps.order_by("-id")
            active = rows.filter(status__in=("running", "waiting", "retrying")).values_list("node_id", flat=True)
            finished = rows.exclude(status="skipped").values_list("node_id", flat=True)
            return active.first() or finished.first()
        active = [step for step in steps if step.status in ("running", "waiting", "retrying")]
        if active:
            return active[-1].node_id
        finished = [step for step in steps if step.status != "skipped"]
        return finished[-1].node_id if finished else None


def encode_step_cursor(step_id: int) -> str:
    return base64.urlsafe_b64encode(f"step:{step_id}".encode()).decode().rstrip("=")


def decode_step_cursor(cursor: str) -> int:
    """The step row id a cursor from `encode_step_cursor` carries; ValueError for anything else."""
    raw = base64.urlsafe_b64decode(cursor + "=" * (-len(cursor) % 4)).decode("ascii")
    prefix, _, number = raw.partition(":")
    if prefix != "step" or not number.isdigit() or len(number) > 18:
        raise ValueError(cursor)
    return int(number)


class ResumeSerializer(serializers.Serializer):
    payload = serializers.JSONField(required=False, default=dict)
    node_id = serializers.CharField(required=False, default=None)


class ValidateSerializer(serializers.Serializer):
    definition = serializers.DictField(required=False, help_text="Checked instead of the saved draft.")


class ProblemSerializer(serializers.Serializer):
    path = serializers.CharField(help_text="Where, like nodes[3].config.url.")
    message = serializers.CharField()
    code = serializers.CharField()
    node_id = serializers.CharField(allow_null=True)


class ValidationResultSerializer(serializers.Serializer):
    valid = serializers.BooleanField()
    problems = ProblemSerializer(many=True)


class ExportSerializer(serializers.Serializer):
    name = serializers.CharField()
    description = serializers.CharField()
    channel = serializers.CharField()
    format = serializers.ChoiceField(choices=["nodes", "states", "configuration"])
    definition = serializers.DictField()
