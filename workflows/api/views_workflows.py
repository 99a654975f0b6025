"""Workflows: CRUD, validate, publish and versions, activation, import and export."""

from __future__ import annotations

from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import status
from rest_framework.generics import ListAPIView
from rest_framework.response import Response
from rest_framework.views import APIView

from accounts.services import ConflictError
from flowbuilder.api.exceptions import ApiError
from flowbuilder.api.preconditions import (
    etag_read_schema,
    etag_write_schema,
    expected_revisions,
    revision_write,
    with_etag,
)
from flowbuilder.api.views import ScopedQuerysetMixin
from workflows import services
from workflows.api import serializers
from workflows.api.filters import WorkflowFilter
from workflows.api.helpers import (
    checked_definition,
    definition_error,
    get_workflow,
    raw_definition,
    wants_validation,
    workflow_not_found,
    workflows_with_stats,
)
from workflows.definitions import (
    FORMATS,
    DefinitionError,
    export_definition,
    problems_as_dicts,
    shown_problems,
)
from workflows.error_workflows import error_workflow_problem
from workflows.models import Workflow, WorkflowVersion

INVALID_DEFINITION = {
    400: "VALIDATION_ERROR, MISSING_REQUIRED_FIELD or INVALID_WORKFLOW_CONFIG (a definition problem, "
    "with every problem and its path in details.problems).",
    422: "INVALID_NODE_CONFIG: a node's config fails its JSON Schema (path in `field`).",
}
WRITE_ERRORS = {**INVALID_DEFINITION, 409: "WORKFLOW_ALREADY_EXISTS: a workflow with this name is in the project."}


VALIDATE_PARAMETER = OpenApiParameter(
    "validate", bool, description="false saves a definition with problems (a draft in progress); default true."
)


def conflict(error: ConflictError) -> ApiError:
    code = "WORKFLOW_ALREADY_EXISTS" if isinstance(error, services.NameTakenError) else "CONFLICT"
    return ApiError(409, code, str(error))


def respond(workflow: Workflow, status_code: int = 200) -> Response:
    """The workflow, with its ETag (every answer that carries the whole workflow has one)."""
    return with_etag(Response(serializers.WorkflowSerializer(workflow).data, status=status_code), workflow)


class WorkflowListView(ScopedQuerysetMixin, ListAPIView):
    serializer_class = serializers.WorkflowListSerializer
    queryset = Workflow.objects.none()
    filterset_class = WorkflowFilter
    schema_errors = {"POST": WRITE_ERRORS}

    def scoped_queryset(self, access):
        return workflows_with_stats(access.project)

    @extend_schema(
        request=serializers.WorkflowWriteSerializer, responses={201: serializers.WorkflowSerializer},
        parameters=[VALIDATE_PARAMETER],
    )  # fmt: skip
    def post(self, request):
        return respond(create_workflow_from(request), status.HTTP_201_CREATED)


def create_workflow_from(request) -> Workflow:
    return create_workflow_with(request, request.data, validate=wants_validation(request))


def create_workflow_with(request, data, *, validate: bool) -> Workflow:
    """Create a workflow from a WorkflowWriteSerializer body (REST create and import, GraphQL)."""
    payload = serializers.WorkflowWriteSerializer(data=data)
    payload.is_valid(raise_exception=True)
    raw = raw_definition(data)
    if raw is None:
        raise ApiError(400, "MISSING_REQUIRED_FIELD", "definition: a definition is required.", field="definition")
    parsed = checked_definition(raw, validate=validate)
    error_workflow_id = checked_error_workflow(request, None, payload.validated_data["error_workflow_id"])
    try:
        workflow = services.create_workflow(
            request.access.project,
            name=payload.validated_data["name"],
            description=payload.validated_data["description"],
            channel=payload.validated_data["channel"],
            definition=parsed.canonical,
            source_format=parsed.source_format,
            error_workflow_id=error_workflow_id,
            actor=request.access.actor,
            api_key=request.access.api_key,
        )
    except ConflictError as error:
        raise conflict(error) from None
    return get_workflow(request, workflow.id, with_stats=True)


def checked_error_workflow(request, workflow: Workflow | None, target_id: str | None) -> str | None:
    problem = error_workflow_problem(workflow, request.access.project.id, target_id)
    if problem:
        raise ApiError(400, "VALIDATION_ERROR", f"error_workflow_id: {problem}", field="error_workflow_id")
    return target_id


class WorkflowDetailView(APIView):
    schema_errors = {"PATCH": WRITE_ERRORS, "PUT": WRITE_ERRORS}

    # No 304: execution_count, success_rate and last_run_at change with runs, not revisions (D13).
    @extend_schema(**etag_read_schema(serializers.WorkflowSerializer, cacheable=False))
    def get(self, request, workflow_id: str):
        return respond(get_workflow(request, workflow_id, with_stats=True))

    @extend_schema(
        **etag_write_schema(
            serializers.WorkflowSerializer, request=serializers.WorkflowWriteSerializer, parameters=[VALIDATE_PARAMETER]
        )
    )
    def patch(self, request, workflow_id: str):
        return self._update(request, workflow_id, partial=True)

    @extend_schema(
        **etag_write_schema(
            serializers.WorkflowSerializer, request=serializers.WorkflowWriteSerializer, parameters=[VALIDATE_PARAMETER]
        )
    )
    def put(self, request, workflow_id: str):
        return self._update(request, workflow_id, partial=False)

    def _update(self, request, workflow_id: str, *, partial: bool):
        workflow = get_workflow(request, workflow_id)
        expected = expected_revisions(request, workflow)
        return respond(
            update_workflow_with(
                request, workflow, request.data, partial=partial, validate=wants_validation(request), expected=expected
            )
        )

    @extend_schema(**etag_write_schema())
    def delete(self, request, workflow_id: str):
        workflow = get_workflow(request, workflow_id)
        expected = expected_revisions(request, workflow)
        with revision_write(workflow_not_found(workflow_id)):
            services.delete_workflow(
                workflow, expected_revisions=expected, actor=request.access.actor, api_key=request.access.api_key
            )
        return Response(status=status.HTTP_204_NO_CONTENT)


def update_workflow_with(
    request, workflow: Workflow, data, *, partial: bool, validate: bool, expected=None
) -> Workflow:
    """Change a workflow from a WorkflowWriteSerializer body (REST PATCH/PUT, GraphQL updateWorkflow)."""
    payload = serializers.WorkflowWriteSerializer(data=data, partial=partial)
    payload.is_valid(raise_exception=True)
    # PUT replaces the whole workflow: fields left out go back to their defaults.
    metadata = ("name", "description", "channel")
    changes = {key: payload.validated_data[key] for key in metadata if key in data or not partial}
    if "error_workflow_id" in data or not partial:
        changes["error_workflow_id"] = checked_error_workflow(
            request, workflow, payload.validated_data["error_workflow_id"]
        )
    raw = raw_definition(data)
    if raw is None and not partial:
        raise ApiError(400, "MISSING_REQUIRED_FIELD", "definition: a definition is required.", field="definition")
    if raw is not None:
        parsed = checked_definition(raw, validate=validate)
        changes.update(definition=parsed.canonical, source_format=parsed.source_format)
    with revision_write(workflow_not_found(workflow.id)):
        try:
            services.update_workflow(
                workflow, changes=changes, expected_revisions=expected, actor=request.access.actor,
                api_key=request.access.api_key,
            )  # fmt: skip
        except ConflictError as error:
            raise conflict(error) from None
        return get_workflow(request, workflow.id, with_stats=True)


class WorkflowValidateView(APIView):
    @extend_schema(request=serializers.ValidateSerializer, responses=serializers.ValidationResultSerializer)
    def post(self, request, workflow_id: str):
        workflow = get_workflow(request, workflow_id)
        # The body is what the schema says (an object; `definition` an object): a list where the
        # definition goes is bad input, not a definition with problems (it answered 200 valid:false).
        serializers.ValidateSerializer(data=request.data).is_valid(raise_exception=True)
        raw = raw_definition(request.data)
        try:
            parsed = checked_definition(raw if raw is not None else workflow.definition, validate=False)
        except ApiError as error:
            return Response({"valid": False, "problems": error.details["problems"]})
        problems = problems_as_dicts(parsed.canonical, shown_problems(parsed.canonical, request.access.project))
        return Response({"valid": not problems, "problems": problems})


class WorkflowActivationView(APIView):
    active = True
    schema_errors = {"POST": INVALID_DEFINITION}

    @extend_schema(request=None, responses=serializers.WorkflowSerializer)
    def post(self, request, workflow_id: str):
        workflow = get_workflow(request, workflow_id)
        try:
            services.set_workflow_active(
                workflow, self.active, actor=request.access.actor, api_key=request.access.api_key
            )
        except DefinitionError as error:
            raise definition_error(error, workflow.definition) from None
        return respond(get_workflow(request, workflow_id, with_stats=True))


class WorkflowPublishView(APIView):
    schema_errors = {"POST": INVALID_DEFINITION}
    @extend_schema(request=serializers.PublishSerializer, responses={201: serializers.VersionSerializer})
    def post(self, request, workflow_id: str):
        workflow = get_workflow(request, workflow_id)
        payload = serializers.PublishSerializer(data=request.data)
        payload.is_valid(raise_exception=True)
        try:
            version = services.publish_workflow(
                workflow, note=payload.validated_data["note"], actor=request.access.actor,
                api_key=request.access.api_key,
            )  # fmt: skip
        except DefinitionError as error:
            raise definition_error(error, workflow.definition) from None
        return Response(serializers.VersionSerializer(version).data, status=status.HTTP_201_CREATED)


class VersionListView(ScopedQuerysetMixin, ListAPIView):
    serializer_class = serializers.VersionSerializer
    queryset = WorkflowVersion.objects.none()

    def scoped_queryset(self, access):
        workflow = get_workflow(self.request, self.kwargs["workflow_id"])
        return workflow.versions.select_related("created_by").order_by("-number")


def get_version(workflow: Workflow, number: int) -> WorkflowVersion:
    version = workflow.versions.filter(number=number).first()
    if version is None:
        raise ApiError(404, "NOT_FOUND", f"Workflow {workflow.id} has no version {number}.")
    return version


class VersionDetailView(APIView):
    @extend_schema(responses=serializers.VersionDetailSerializer)
    def get(self, request, workflow_id: str, number: int):
        version = get_version(get_workflow(request, workflow_id), number)
        return Response(serializers.VersionDetailSerializer(version).data)


class VersionRestoreView(APIView):
    @extend_schema(request=None, responses=serializers.WorkflowSerializer)
    def post(self, request, workflow_id: str, number: int):
        workflow = get_workflow(request, workflow_id)
        version = get_version(workflow, number)
        services.restore_version(workflow, version, actor=request.access.actor, api_key=request.access.api_key)
        return respond(get_workflow(request, workflow_id, with_stats=True))


class WorkflowExportView(APIView):
    @extend_schema(
        parameters=[OpenApiParameter("format", str, enum=list(FORMATS), description="Default nodes.")],
        responses=serializers.ExportSerializer,
    )
    def get(self, request, workflow_id: str):
        workflow = get_workflow(request, workflow_id)
        fmt = request.query_params.get("format", "nodes")
        if fmt not in FORMATS:
            raise ApiError(400, "VALIDATION_ERROR", f"format must be one of {', '.join(FORMATS)}.", field="format")
        try:
            exported = export_definition(workflow.definition, fmt)
        except (ValueError, KeyError) as error:
            raise ApiError(400, "VALIDATION_ERROR", f"Cannot export as {fmt}: {error}", field="format") from None
        return Response(
            {"name": workflow.name, "description": workflow.description, "channel": workflow.channel,
             "format": fmt, "definition": exported}
        )  # fmt: skip


class WorkflowImportView(APIView):
    """Create a workflow from an export (any of the three forms)."""

    schema_errors = {"POST": WRITE_ERRORS}

    @extend_schema(
        request=serializers.WorkflowWriteSerializer, responses={201: serializers.WorkflowSerializer},
        parameters=[VALIDATE_PARAMETER],
    )  # fmt: skip
    def post(self, request):
        return respond(create_workflow_from(request), status.HTTP_201_CREATED)
