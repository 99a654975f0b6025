"""The admins' view of the queue: depth, workers, stuck runs; and re-enqueueing a stuck run.

Cancelling reuses `POST /executions/{id}/cancel`; re-enqueueing lives here because it is an
operator's repair, not part of a run's life, and it spans every project of the organization.
"""

from __future__ import annotations

from drf_spectacular.utils import extend_schema
from rest_framework import serializers as drf
from rest_framework.response import Response
from rest_framework.views import APIView

from accounts.models import Role
from accounts.services import ConflictError
from flowbuilder.api.exceptions import ApiError
from workflows import recovery, system
from workflows.api import serializers
from workflows.models import Execution


# Serializers that only document the answer of `system.queue_overview` for the OpenAPI schema.
class QueueSchema(drf.Serializer):
    name = drf.CharField()
    depth = drf.IntegerField()
    oldest_enqueued_at = drf.DateTimeField(allow_null=True)
    oldest_age_seconds = drf.IntegerField(allow_null=True)
    scheduled = drf.IntegerField()
    started = drf.IntegerField()
    failed = drf.IntegerField()


class WorkerSchema(drf.Serializer):
    name = drf.CharField()
    state = drf.CharField()
    queues = drf.ListField(child=drf.CharField())
    birth_date = drf.DateTimeField(allow_null=True)
    last_heartbeat = drf.DateTimeField(allow_null=True)
    heartbeat_age_seconds = drf.IntegerField(allow_null=True)
    stale = drf.BooleanField(help_text="No heartbeat for over twice the worker's TTL.")
    current_job_id = drf.CharField(allow_null=True)
    execution_id = drf.CharField(allow_null=True, help_text="Only for this organization's runs.")
    workflow_name = drf.CharField(allow_null=True)


class ExecutionSchema(drf.Serializer):
    id = drf.CharField()
    workflow_id = drf.CharField()
    workflow_name = drf.CharField()
    project_id = drf.CharField()
    project_name = drf.CharField()
    status = drf.CharField()
    stuck = drf.BooleanField(help_text="An expired lease (a zombie) or pending for over 60 s.")
    created_at = drf.DateTimeField()
    started_at = drf.DateTimeField(allow_null=True)
    completed_at = drf.DateTimeField(allow_null=True)
    lease_owner = drf.CharField()
    lease_expires_at = drf.DateTimeField(allow_null=True)
    resume_at = drf.DateTimeField(allow_null=True)
    waiting_for = drf.DictField(allow_null=True)
    recovered_count = drf.IntegerField()
    cancel_requested = drf.BooleanField()


class QueueExecutionsSchema(drf.Serializer):
    running = ExecutionSchema(many=True)
    stuck_pending = ExecutionSchema(many=True)
    waiting = ExecutionSchema(many=True)
    recovered = ExecutionSchema(many=True, help_text="Picked up again after a worker died, last 24 h.")


class QueueOverviewSchema(drf.Serializer):
    generated_at = drf.DateTimeField()
    queues = QueueSchema(many=True)
    workers = WorkerSchema(many=True)
    executions = QueueExecutionsSchema()


class SystemQueueView(APIView):
    """Queues and workers of the installation; running, stuck, waiting and recovered runs of the organization."""

    required_role = Role.ADMIN

    @extend_schema(responses=QueueOverviewSchema)
    def get(self, request):
        return Response(system.queue_overview(request.access.organization))


def get_organization_execution(request, execution_id: str) -> Execution:
    """Any project of the caller's organization: the queue page spans them all."""
    execution = (
        Execution.objects.filter(project__organization=request.access.organization, pk=execution_id)
        .select_related("workflow", "project__organization")
        .first()
    )
    if execution is None:
        raise ApiError(404, "NOT_FOUND", f"No execution {execution_id} in this organization.")
    return execution


class SystemRequeueView(APIView):
    """Put a stuck run back on the queue; the next worker continues from its last completed step."""

    required_role = Role.ADMIN
    schema_errors = {"POST": {409: "CONFLICT: the execution already ended."}}

    @extend_schema(request=None, responses=serializers.ExecutionSerializer)
    def post(self, request, execution_id: str):
        execution = get_organization_execution(request, execution_id)
        try:
            execution = recovery.requeue_execution(
                execution, actor=request.access.actor, api_key=request.access.api_key
            )
        except ConflictError as error:
            raise ApiError(409, "CONFLICT", str(error)) from None
        return Response(serializers.ExecutionSerializer(execution).data)
