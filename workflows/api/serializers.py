from __future__ import annotations

from rest_framework import serializers

from workflows.definitions import find_problems, problems_as_dicts
from workflows.models import Execution, ExecutionStep, Workflow, WorkflowVersion
from workflows.resume_links import resume_url as signed_resume_url


class WorkflowListSerializer(serializers.ModelSerializer):
    execution_count = serializers.IntegerField(read_only=True, default=0)
    success_rate = serializers.SerializerMethodField()
    last_run_at = serializers.DateTimeField(read_only=True, default=None)

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


class WorkflowSerializer(WorkflowListSerializer):
    definition = serializers.JSONField()
    source_format = serializers.CharField(read_only=True)
    problems = serializers.SerializerMethodField()

    class Meta(WorkflowListSerializer.Meta):
        fields = [*WorkflowListSerializer.Meta.fields, "definition", "source_format", "problems"]

    def get_problems(self, workflow) -> list[dict]:
        return problems_as_dicts(workflow.definition, find_problems(workflow.definition, workflow.project))


class WorkflowWriteSerializer(serializers.Serializer):
    """Name and metadata; the definition may come in any accepted form (see the views)."""

    name = serializers.CharField(max_length=200)
    description = serializers.CharField(required=False, allow_blank=True, default="")
    channel = serializers.CharField(required=False, allow_blank=True, max_length=40, default="")
    definition = serializers.JSONField(required=False)
    nodes = serializers.JSONField(required=False, help_text="Canonical form, instead of `definition`.")
    edges = serializers.JSONField(required=False)
    variables = serializers.JSONField(required=False)
    settings = serializers.JSONField(required=False)
    states = serializers.JSONField(required=False, help_text="State-machine form.")
    start_at = serializers.CharField(required=False)
    configuration = serializers.JSONField(required=False, help_text="Chatbot form.")

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


class ExecuteSerializer(serializers.Serializer):
    input = serializers.DictField(required=False, default=dict, help_text="The trigger payload: a JSON object.")
    version = serializers.JSONField(required=False, default=None, help_text='"draft" or a version number.')
    wait = serializers.FloatField(required=False, min_value=0, max_value=60, default=None)
    trigger_node_id = serializers.CharField(required=False, default=None)


class ExecutionStartedSerializer(serializers.Serializer):
    execution_id = serializers.CharField()
    status = serializers.CharField()
    started_at = serializers.DateTimeField(allow_null=True)


class StepSerializer(serializers.ModelSerializer):
    type = serializers.CharField(source="node_type")
    completed_at = serializers.DateTimeField(source="finished_at")
    duration_ms = serializers.IntegerField(allow_null=True)

    class Meta:
        model = ExecutionStep
        fields = [
            "step_key", "node_id", "type", "status", "attempt", "idempotency_key", "output_port",
            "started_at", "completed_at", "duration_ms", "input", "output", "error",
        ]  # fmt: skip


class ExecutionListSerializer(serializers.ModelSerializer):
    duration_ms = serializers.IntegerField(allow_null=True)
    workflow_name = serializers.CharField(source="workflow.name")

    class Meta:
        model = Execution
        fields = [
            "id", "workflow_id", "workflow_name", "version", "mode", "status", "error",
            "created_at", "started_at", "completed_at", "duration_ms",
        ]  # fmt: skip


class ExecutionSerializer(ExecutionListSerializer):
    steps = serializers.SerializerMethodField()
    state_history = serializers.SerializerMethodField()
    current_state = serializers.SerializerMethodField()
    resume_url = serializers.SerializerMethodField()

    class Meta(ExecutionListSerializer.Meta):
        fields = [
            *ExecutionListSerializer.Meta.fields,
            "input", "output", "trigger_node_id", "resume_at", "waiting_for", "recovered_count",
            "parent_id", "steps", "state_history", "current_state", "resume_url",
        ]  # fmt: skip

    def get_resume_url(self, execution) -> str | None:
        """A signed link that resumes the waiting step (for approvals sent by email)."""
        waiting_for = execution.waiting_for or {}
        if execution.status != "waiting" or waiting_for.get("kind") != "event":
            return None
        return signed_resume_url(execution, waiting_for["node_id"])

    def _steps(self, execution) -> list[ExecutionStep]:
        if not hasattr(execution, "_ordered_steps"):
            execution._ordered_steps = list(execution.steps.order_by("id"))
        return execution._ordered_steps

    def get_steps(self, execution) -> list[dict]:
        return StepSerializer(self._steps(execution), many=True).data

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
        active = [step for step in self._steps(execution) if step.status in ("running", "waiting", "retrying")]
        if active:
            return active[-1].node_id
        finished = [step for step in self._steps(execution) if step.status != "skipped"]
        return finished[-1].node_id if finished else None


class ResumeSerializer(serializers.Serializer):
    payload = serializers.JSONField(required=False, default=dict)
    node_id = serializers.CharField(required=False, default=None)


class ValidateSerializer(serializers.Serializer):
    definition = serializers.JSONField(required=False)
