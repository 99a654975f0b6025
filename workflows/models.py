"""Workflows, their published versions, executions and every step attempt of a run."""

from __future__ import annotations

from django.conf import settings
from django.db import models

from accounts.models import Project
from flowbuilder.ids import id_factory
from flowbuilder.revisions import Revisioned
from workflows.engine.runner import TEST_MODE as ENGINE_TEST_MODE


class WorkflowStatus(models.TextChoices):
    DRAFT = "draft", "Draft"
    ACTIVE = "active", "Active"
    INACTIVE = "inactive", "Inactive"


class Workflow(Revisioned):
    id = models.CharField(primary_key=True, max_length=40, default=id_factory("wf"), editable=False)
    project = models.ForeignKey(Project, on_delete=models.CASCADE, related_name="workflows")
    name = models.CharField(max_length=200)
    description = models.TextField(blank=True)
    channel = models.CharField(max_length=40, blank=True, help_text="web, whatsapp, sms, email, api…")
    status = models.CharField(max_length=10, choices=WorkflowStatus.choices, default=WorkflowStatus.DRAFT)
    # The draft, in the canonical nodes/edges form; triggers run the published version.
    definition = models.JSONField(default=dict)
    source_format = models.CharField(max_length=20, default="nodes")
    published_version = models.PositiveIntegerField(null=True, blank=True)
    # "On failure run workflow X" (n8n's Error Workflow): X, in the same project, starts with a
    # `trigger.error` and receives the failed run (workflows.error_workflows).
    error_workflow = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["-updated_at", "-id"]
        constraints = [models.UniqueConstraint(fields=["project", "name"], name="workflow_name_unique")]

    def __str__(self) -> str:
        return self.name


class WorkflowVersion(models.Model):
    """A published, immutable snapshot of a workflow's definition."""

    id = models.CharField(primary_key=True, max_length=40, default=id_factory("ver"), editable=False)
    workflow = models.ForeignKey(Workflow, on_delete=models.CASCADE, related_name="versions")
    number = models.PositiveIntegerField()
    definition = models.JSONField()
    note = models.CharField(max_length=500, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-number"]
        constraints = [models.UniqueConstraint(fields=["workflow", "number"], name="version_number_unique")]

    def __str__(self) -> str:
        return f"{self.workflow_id} v{self.number}"


class ExecutionStatus(models.TextChoices):
    PENDING = "pending", "Pending"
    RUNNING = "running", "Running"
    WAITING = "waiting", "Waiting"
    COMPLETED = "completed", "Completed"
    FAILED = "failed", "Failed"
    CANCELLED = "cancelled", "Cancelled"


# Runs started from the editor's Run: the dashboard and usage count them apart from production runs.
TEST_MODE = ENGINE_TEST_MODE  # the engine's name: pinned data is used in these runs only (D24)
# Runs of an error workflow, started by another run's failure: their own failures start nothing.
ERROR_MODE = "error"

TERMINAL_EXECUTION_STATUSES = frozenset({ExecutionStatus.COMPLETED, ExecutionStatus.FAILED, ExecutionStatus.CANCELLED})


class Execution(models.Model):
    id = models.CharField(primary_key=True, max_length=40, default=id_factory("exec"), editable=False)
    workflow = models.ForeignKey(Workflow, on_delete=models.CASCADE, related_name="executions")
    project = models.ForeignKey(Project, on_delete=models.CASCADE, related_name="executions")
    # None means the draft was run (a test run from the editor).
    version = models.PositiveIntegerField(null=True, blank=True)
    # The definition this run follows, frozen at start so edits never change a run.
    definition = models.JSONField()
    mode = models.CharField(max_length=20, default="manual", help_text="manual, api, webhook, schedule, form")
    trigger_node_id = models.CharField(max_length=100)
    status = models.CharField(
        max_length=10, choices=ExecutionStatus.choices, default=ExecutionStatus.PENDING, db_index=True
    )
    input = models.JSONField(default=dict, blank=True)
    output = models.JSONField(null=True, blank=True)
    error = models.JSONField(null=True, blank=True)
    resume_at = models.DateTimeField(null=True, blank=True)
    waiting_for = models.JSONField(null=True, blank=True)
    cancel_requested = models.BooleanField(default=False)
    # The worker running it holds a lease it keeps renewing; an expired lease means a dead worker.
    lease_owner = models.CharField(max_length=120, blank=True)
    lease_expires_at = models.DateTimeField(null=True, blank=True)
    recovered_count = models.PositiveIntegerField(default=0, help_text="Times picked up after a worker died.")
    parent = models.ForeignKey("self", null=True, blank=True, on_delete=models.SET_NULL, related_name="children")
    # A run started by a chat message: who wrote it and on which channel (`chan_…`); blank otherwise.
    customer_id = models.CharField(max_length=200, blank=True, default="", db_index=True)
    channel = models.CharField(max_length=40, blank=True, default="", db_index=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True, db_index=True)
    started_at = models.DateTimeField(null=True, blank=True)
    completed_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        indexes = [models.Index(fields=["workflow", "-created_at"], name="execution_by_workflow")]

    def __str__(self) -> str:
        return f"{self.id} ({self.status})"

    @property
    def is_terminal(self) -> bool:
        return self.status in TERMINAL_EXECUTION_STATUSES

    @property
    def duration_ms(self) -> int | None:
        if self.started_at and self.completed_at:
            return int((self.completed_at - self.started_at).total_seconds() * 1000)
        return None


class ExecutionStep(models.Model):
    """One attempt of one step: written before the run moves on (the journal)."""

    execution = models.ForeignKey(Execution, on_delete=models.CASCADE, related_name="steps")
    step_key = models.CharField(max_length=300)
    node_id = models.CharField(max_length=100)
    node_type = models.CharField(max_length=100)
    status = models.CharField(max_length=10)
    attempt = models.PositiveIntegerField()
    idempotency_key = models.CharField(max_length=400)
    input = models.JSONField(null=True, blank=True)
    output = models.JSONField(null=True, blank=True)
    output_port = models.CharField(max_length=100, null=True, blank=True)
    error = models.JSONField(null=True, blank=True)
    started_at = models.DateTimeField(null=True, blank=True)
    finished_at = models.DateTimeField(null=True, blank=True)
    resume_at = models.DateTimeField(null=True, blank=True)
    waiting_for = models.JSONField(null=True, blank=True)

    class Meta:
        ordering = ["id"]
        constraints = [models.UniqueConstraint(fields=["execution", "step_key", "attempt"], name="one_row_per_attempt")]

    def __str__(self) -> str:
        return f"{self.execution_id} {self.step_key} #{self.attempt} {self.status}"

    @property
    def duration_ms(self) -> int | None:
        if self.started_at and self.finished_at:
            return int((self.finished_at - self.started_at).total_seconds() * 1000)
        return None


class ExecutionLog(models.Model):
    """A line a node wrote while it ran."""

    execution = models.ForeignKey(Execution, on_delete=models.CASCADE, related_name="logs")
    node_id = models.CharField(max_length=100)
    level = models.CharField(max_length=10)
    message = models.TextField()
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["id"]

    def __str__(self) -> str:
        return f"{self.node_id} {self.level}: {self.message[:40]}"


class IdempotencyKey(models.Model):
    """An `Idempotency-Key` a client sent to start a run, and the run it started.

    The same key on the same workflow within a day answers with that run instead of a new
    one; the body hash tells a genuine retry from a different request reusing the key.
    """

    workflow = models.ForeignKey(Workflow, on_delete=models.CASCADE, related_name="idempotency_keys")
    key = models.CharField(max_length=255)
    body_hash = models.CharField(max_length=64)
    execution = models.ForeignKey(Execution, on_delete=models.CASCADE, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True, db_index=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["workflow", "key"], name="one_run_per_idempotency_key")]

    def __str__(self) -> str:
        return f"{self.workflow_id} {self.key}"
