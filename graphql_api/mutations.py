"""Mutations: each calls the function its REST endpoint calls, with the same checks and errors."""

from __future__ import annotations

from types import SimpleNamespace
from typing import Annotated

import strawberry
from strawberry.scalars import JSON
from strawberry.types import Info

from accounts.models import Role
from flowbuilder.api.exceptions import ApiError
from flowbuilder.api.permissions import HasRole
from graphql_api import types
from workflows import idempotency, services
from workflows.api import serializers
from workflows.api.helpers import definition_error, get_workflow
from workflows.api.views_executions import act_on_execution, start_run, waited_run
from workflows.api.views_workflows import create_workflow_with, update_workflow_with
from workflows.definitions import DefinitionError


def editor_request(info: Info):
    """The request, once REST's role check passed for a write (editors and admins)."""
    request = info.context.request
    HasRole().has_permission(request, SimpleNamespace(required_role=Role.EDITOR))
    return request


def without_none(**values) -> dict:
    return {key: value for key, value in values.items() if value is not None}


IdempotencyKey = Annotated[
    str | None,
    strawberry.argument(
        description="As REST's Idempotency-Key header: the same key on this workflow within 24 hours answers the "
        "run it started (replayed: true); with a different input or version, CONFLICT."
    ),
]
Validate = Annotated[bool, strawberry.argument(description="false saves a definition with problems (a draft).")]


@strawberry.input(description="A workflow's fields; `definition` in any accepted form (nodes, states, configuration).")
class WorkflowInput:
    name: str | None = None
    description: str | None = None
    channel: str | None = None
    definition: JSON | None = None


@strawberry.type
class Mutation:
    @strawberry.mutation(description="Create a draft workflow (as POST /workflows).")
    def create_workflow(self, info: Info, workflow: WorkflowInput, validate: Validate = True) -> types.Workflow | None:
        request = editor_request(info)
        data = without_none(**vars(workflow))
        return types.Workflow(row=create_workflow_with(request, data, validate=validate))

    @strawberry.mutation(description="Change the fields given (as PATCH /workflows/{id}).")
    def update_workflow(
        self, info: Info, id: strawberry.ID, workflow: WorkflowInput, validate: Validate = True
    ) -> types.Workflow | None:
        request = editor_request(info)
        row = get_workflow(request, id)
        data = without_none(**vars(workflow))
        return types.Workflow(row=update_workflow_with(request, row, data, partial=True, validate=validate))

    @strawberry.mutation(description="Freeze the draft as a new version (as POST /workflows/{id}/publish).")
    def publish_workflow(self, info: Info, id: strawberry.ID, note: str = "") -> types.Version | None:
        request = editor_request(info)
        row = get_workflow(request, id)
        payload = serializers.PublishSerializer(data={"note": note})
        payload.is_valid(raise_exception=True)
        try:
            version = services.publish_workflow(
                row, note=payload.validated_data["note"], actor=request.access.actor, api_key=request.access.api_key
            )
        except DefinitionError as error:
            raise definition_error(error, row.definition) from None
        return types.Version(row=version)

    @strawberry.mutation(description="Turn the workflow's triggers on (true) or off (as /activate, /deactivate).")
    def activate_workflow(self, info: Info, id: strawberry.ID, active: bool = True) -> types.Workflow | None:
        request = editor_request(info)
        row = get_workflow(request, id)
        try:
            services.set_workflow_active(row, active, actor=request.access.actor, api_key=request.access.api_key)
        except DefinitionError as error:
            raise definition_error(error, row.definition) from None
        return types.Workflow(row=get_workflow(request, id, with_stats=True))

    @strawberry.mutation(
        description="Run a workflow (as POST /workflows/{id}/execute). `input` must match the workflow's "
        "inputSchema (else INVALID_INPUT naming the path, and nothing runs); `version` is \"draft\" or a "
        "version number (default: the published one, else the draft); with `wait` (seconds, up to 60) the "
        "answer carries the finished execution when the run ends in time."
    )
    def run_flow(
        self, info: Info, id: strawberry.ID, input: JSON | None = None, version: JSON | None = None,
        wait: float | None = None, idempotency_key: IdempotencyKey = None,
    ) -> types.RunResult | None:  # fmt: skip
        request = editor_request(info)
        row = get_workflow(request, id)
        body = without_none(input=input, version=version)
        payload = serializers.ExecuteSerializer(data=without_none(**body, wait=wait))
        payload.is_valid(raise_exception=True)
        try:
            key = idempotency.clean_key(idempotency_key)
        except idempotency.InvalidIdempotencyKey as error:
            raise ApiError(400, "VALIDATION_ERROR", str(error), field="idempotencyKey") from None
        # The same body hash as REST's (the body without `wait`): one key works across both.
        body_hash = idempotency.hash_body(body) if key else None
        started, inline = start_run(request, row, payload.validated_data, key=key, body_hash=body_hash)
        queued = started.replayed or not inline
        execution = waited_run(started.execution, payload.validated_data["wait"], queued=queued)
        finished = types.Execution(row=execution) if execution.is_terminal and wait else None
        return types.RunResult(
            execution_id=execution.id, status=execution.status, started_at=execution.started_at,
            execution=finished, replayed=started.replayed,
        )  # fmt: skip

    @strawberry.mutation(description="Stop a run (as POST /executions/{id}/cancel).")
    def cancel_execution(self, info: Info, id: strawberry.ID) -> types.Execution | None:
        return types.Execution(row=act_on_execution(editor_request(info), id, "cancel", {}))

    @strawberry.mutation(description="Run a failed execution again from its failed step (as /retry).")
    def retry_execution(self, info: Info, id: strawberry.ID) -> types.Execution | None:
        return types.Execution(row=act_on_execution(editor_request(info), id, "retry", {}))

    @strawberry.mutation(description="Feed a waiting step and let the run go on (as /resume).")
    def resume_execution(
        self, info: Info, id: strawberry.ID, payload: JSON | None = None, node_id: str | None = None
    ) -> types.Execution | None:
        data = without_none(payload=payload, node_id=node_id)
        return types.Execution(row=act_on_execution(editor_request(info), id, "resume", data))
