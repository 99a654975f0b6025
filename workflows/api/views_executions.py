"""Executions: start, list (pages or cursor), show, cancel, retry, resume; node types."""

from __future__ import annotations

import base64
import datetime as dt
import re
from functools import partial

from django.conf import settings
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse, PolymorphicProxySerializer, extend_schema
from redis.exceptions import RedisError
from rest_framework import serializers as drf_serializers
from rest_framework import status
from rest_framework.exceptions import ValidationError
from rest_framework.generics import ListAPIView
from rest_framework.response import Response
from rest_framework.views import APIView

from accounts.services import ConflictError
from flowbuilder.api.envelope import success_body
from flowbuilder.api.exceptions import ApiError
from flowbuilder.api.pagination import EnvelopePagination, page_limit
from flowbuilder.api.views import ScopedQuerysetMixin
from workflows import idempotency, services
from workflows.api import serializers
from workflows.api.filters import ExecutionFilter
from workflows.api.helpers import definition_error, get_execution, get_workflow
from workflows.definitions import DefinitionError
from workflows.event_log import read_sequences
from workflows.inline import inline_enabled, run_and_wait
from workflows.models import TEST_MODE, Execution
from workflows.nodes import get_registry


class ExecutionPagination(EnvelopePagination):
    """Pages like every list, or a cursor (`cursor`, `meta.next_cursor`) for long histories."""

    def paginate_queryset(self, queryset, request, view=None):
        cursors = request.query_params.getlist("cursor")
        if cursors and (len(cursors) > 1 or not cursors[0]):  # like every parameter (D12): once, not empty
            raise ValidationError({"cursor": ["Give cursor once, with a value from meta.next_cursor."]})
        cursor = cursors[0] if cursors else None
        if not cursor:
            page = super().paginate_queryset(queryset, request, view)
            self.has_more = self.offset + len(page) < self.total
            self.next_cursor = encode_cursor(page[-1]) if page and self.has_more else None
            return page
        self.limit = page_limit(request)
        after = rows_after(queryset, cursor, ascending=request.query_params.get("order") == "asc")
        rows = list(after[: self.limit + 1])
        self.has_more = len(rows) > self.limit
        rows = rows[: self.limit]
        self.next_cursor = encode_cursor(rows[-1]) if rows and self.has_more else None
        self.total = None
        return rows

    def get_schema_operation_parameters(self, view):
        cursor = {"name": "cursor", "required": False, "in": "query",
                  "schema": {"type": "string", "pattern": "^[A-Za-z0-9_-]+$", "maxLength": 200},
                  "description": "From meta.next_cursor of the previous page (unpadded URL-safe base64); "
                                 "replaces page and offset. Opaque: a cursor this API did not give out "
                                 "is a 400 naming cursor."}
        return [*super().get_schema_operation_parameters(view), cursor]

    def get_meta(self) -> dict:
        if self.total is None:
            meta = {"limit": self.limit}
        else:
            meta = super().get_meta()
        meta.update(next_cursor=self.next_cursor, has_more=self.has_more)
        return meta


def run_mode(request, test: bool) -> str:
    """A test run from the editor, a call with an API key, or a person's manual run."""
    if test:
        return TEST_MODE
    return "api" if request.access.api_key else "manual"


def encode_cursor(execution: Execution) -> str:
    raw = f"{execution.created_at.isoformat()}|{execution.id}"
    return base64.urlsafe_b64encode(raw.encode()).decode().rstrip("=")


def rows_after(queryset, cursor: str, *, ascending: bool):
    """The rows after `cursor`, for a queryset already in the asked order (ExecutionFilter)."""
    created_at, last_id = decode_cursor(cursor)
    if ascending:
        return queryset.filter(created_at__gte=created_at).exclude(created_at=created_at, id__lte=last_id)
    return queryset.filter(created_at__lte=created_at).exclude(created_at=created_at, id__gte=last_id)


def decode_cursor(cursor: str) -> tuple[dt.datetime, str]:
    try:
        if len(cursor) > 200 or not re.fullmatch(r"[A-Za-z0-9_-]+", cursor):
            raise ValueError(cursor)  # the schema's pattern: base64 would skip other characters
        raw = base64.urlsafe_b64decode(cursor + "=" * (-len(cursor) % 4)).decode()
        moment, execution_id = raw.split("|", 1)
        created_at = dt.datetime.fromisoformat(moment)
    except ValueError:
        created_at = execution_id = None
    # Only what encode_cursor writes: an aware time and an id (no NUL or odd characters for the database).
    if created_at is None or created_at.tzinfo is None or not re.fullmatch(r"exec_[A-Za-z0-9_-]{1,60}", execution_id):
        raise ValidationError({"cursor": ["cursor is not one this API gave out."]})
    return created_at, execution_id


class ExecutionListView(ScopedQuerysetMixin, ListAPIView):
    """Executions of the project (or of one workflow), newest first (`order=asc`: oldest first)."""

    serializer_class = serializers.ExecutionListSerializer
    pagination_class = ExecutionPagination
    queryset = Execution.objects.none()
    filterset_class = ExecutionFilter

    def scoped_queryset(self, access):
        executions = Execution.objects.filter(project=access.project).select_related("workflow")
        if self.kwargs.get("workflow_id"):
            executions = executions.filter(workflow=get_workflow(self.request, self.kwargs["workflow_id"]))
        return executions.order_by("-created_at", "-id")


class ExecutionDetailView(APIView):
    @extend_schema(responses=serializers.ExecutionSerializer)
    def get(self, request, execution_id: str, workflow_id: str | None = None):
        execution = get_execution(request, execution_id, workflow_id)
        # Read before the steps: every event up to this seq is then reflected in them.
        try:
            event_seq = read_sequences([execution.id])[execution.id]
        except (RedisError, OSError):
            event_seq = None
        return Response(serializers.ExecutionSerializer(execution, context={"event_seq": event_seq}).data)


IDEMPOTENCY_KEY_PARAMETER = OpenApiParameter(
    "Idempotency-Key",
    {"type": "string", "minLength": 1, "maxLength": 255, "pattern": "^[ -~]*[!-~][ -~]*$"},
    location=OpenApiParameter.HEADER,
    required=False,
    description=(
        "Up to 255 printable ASCII characters. The same key on the same workflow within 24 hours "
        "answers 200 with the run it started (and the header Idempotent-Replayed: true) instead of "
        "starting another; the same key with a different body (ignoring `wait`) answers 409 CONFLICT."
    ),
)


def invalid_input(error: services.InvalidInput) -> ApiError:
    problems = [problem.to_dict() for problem in error.problems]
    return ApiError(400, "INVALID_INPUT", str(error), details={"problems": problems}, field=error.field)


class WorkflowExecuteView(APIView):
    schema_errors = {
        "POST": {
            400: "VALIDATION_ERROR (body, version, trigger_node_id, Idempotency-Key), "
            "INVALID_WORKFLOW_CONFIG (the version to run has definition problems) or INVALID_INPUT: `input` does "
            "not match the trigger's `input_schema` (see the workflow's `input_schema`); `field` is the failing "
            "value's path (`input.amount`), `details.problems` lists each {path, message}; no run is stored or queued.",
            409: "CONFLICT: the Idempotency-Key was used with a different body, or its first request is in progress.",
            422: "INVALID_NODE_CONFIG: a node's config in the version to run fails its JSON Schema.",
        }
    }

    @extend_schema(
        request=serializers.ExecuteSerializer,
        parameters=[IDEMPOTENCY_KEY_PARAMETER],
        responses={
            202: serializers.ExecutionStartedSerializer,
            200: OpenApiResponse(
                PolymorphicProxySerializer(
                    "ExecutionOrStarted",
                    [serializers.ExecutionSerializer, serializers.ExecutionStartedSerializer],
                    resource_type_field_name=None,
                ),
                description="The run ended within `wait` (the execution), or a replay of an Idempotency-Key "
                "(the started shape, or the finished execution when it ended within `wait`).",
            ),
        },
    )
    def post(self, request, workflow_id: str):
        workflow = get_workflow(request, workflow_id)
        try:
            key = idempotency.clean_key(request.headers.get("Idempotency-Key"))
        except idempotency.InvalidIdempotencyKey as error:
            raise ApiError(400, "VALIDATION_ERROR", str(error), field="Idempotency-Key") from None
        payload = serializers.ExecuteSerializer(data=request.data)
        payload.is_valid(raise_exception=True)
        body_hash = self._body_hash(request) if key is not None else None
        started, inline = start_run(request, workflow, payload.validated_data, key=key, body_hash=body_hash)
        return self._answer(started, payload.validated_data["wait"], queued=started.replayed or not inline)

    @staticmethod
    def _body_hash(request) -> str:
        """What makes two requests "the same": everything but `wait` (how long to wait for the answer)."""
        body = request.data.dict() if hasattr(request.data, "dict") else dict(request.data)
        body.pop("wait", None)
        return idempotency.hash_body(body)

    @staticmethod
    def _answer(started: idempotency.StartedRun, wait: float | None, *, queued: bool = True) -> Response:
        """202 with the started run, or 200 once it ended within `wait`; a replay is always 200."""
        execution = waited_run(started.execution, wait, queued=queued)
        if execution.is_terminal and wait:
            response = Response(serializers.ExecutionSerializer(execution).data)
        else:
            body = {"execution_id": execution.id, "status": execution.status, "started_at": execution.started_at}
            response = Response(body, status=status.HTTP_200_OK if started.replayed else status.HTTP_202_ACCEPTED)
        if started.replayed:
            response["Idempotent-Replayed"] = "true"
        return response


def run_version(workflow, requested) -> int | None:
    """`"draft"` runs the draft; a number runs that version; default: published, else draft."""
    if requested is None:
        return workflow.published_version
    if requested == "draft":
        return None
    if isinstance(requested, int) and workflow.versions.filter(number=requested).exists():
        return requested
    raise ApiError(400, "VALIDATION_ERROR", f"version must be \"draft\" or a published number; got {requested!r}.",
                   field="version")  # fmt: skip


def start_run(request, workflow, data: dict, *, key: str | None = None, body_hash: str | None = None):
    """Start a run of `workflow` from a validated ExecuteSerializer body (REST execute, GraphQL runFlow).

    Answers (StartedRun, inline): `inline` when the caller runs it here while it waits.
    """
    version = run_version(workflow, data["version"])
    # With `wait`, the run runs here (no queue hop) until it ends, parks or uses its budget.
    inline = bool(data["wait"]) and inline_enabled()
    start = partial(
        services.start_execution,
        workflow,
        input=data["input"],
        version=version,
        mode=run_mode(request, data["test"]),
        trigger_node_id=data["trigger_node_id"],
        actor=request.access.actor,
        checked_payload=("input", data["input"]),
        enqueue=not inline,
        run_here=inline,
    )
    try:
        if key is None:
            return idempotency.StartedRun(execution=start(), replayed=False), inline
        started = idempotency.start_once(workflow, key=key, body_hash=body_hash, start=start)
    except DefinitionError as error:
        raise definition_error(error, workflow.definition) from None
    except services.UnknownTriggerError as error:
        raise ApiError(400, "VALIDATION_ERROR", str(error), field="trigger_node_id") from None
    except services.InvalidInput as error:
        raise invalid_input(error) from None
    except ConflictError as error:
        raise ApiError(409, "CONFLICT", str(error), field="Idempotency-Key") from None
    return started, inline


def waited_run(execution: Execution, wait: float | None, *, queued: bool) -> Execution:
    """The run after waiting up to `wait` seconds (capped) for it to end; as it is without `wait`."""
    if not wait:
        return execution
    return run_and_wait(execution, min(wait, settings.FLOWBUILDER_EXECUTE_MAX_WAIT_SECONDS), queued=queued)


class ExecutionActionView(APIView):
    """cancel, retry, resume: each a service call that may answer 409 for the wrong state."""

    action_name = ""
    schema_errors = {"POST": {409: "CONFLICT: the execution is not in a state this action applies to."}}

    @extend_schema(request=serializers.ResumeSerializer, responses=serializers.ExecutionSerializer)
    def post(self, request, execution_id: str):
        execution = act_on_execution(request, execution_id, self.action_name, request.data)
        return Response(serializers.ExecutionSerializer(execution).data)


def act_on_execution(request, execution_id: str, action: str, data) -> Execution:
    """cancel, retry or resume (`data`: the ResumeSerializer body) an execution of the request's project."""
    execution = get_execution(request, execution_id)
    who = {"actor": request.access.actor, "api_key": request.access.api_key}
    try:
        if action == "cancel":
            return services.cancel_execution(execution, **who)
        if action == "retry":
            return services.retry_execution(execution, **who)
        payload = serializers.ResumeSerializer(data=data)
        payload.is_valid(raise_exception=True)
        return services.resume_execution(execution, **payload.validated_data, **who)
    except ConflictError as error:
        raise ApiError(409, "CONFLICT", str(error)) from None


class NodeTypeSerializer(drf_serializers.Serializer):
    """Documents GET /node-types (the registry describes itself)."""

    type = drf_serializers.CharField()
    category = drf_serializers.CharField()
    label = drf_serializers.CharField()
    description = drf_serializers.CharField()
    inputs = drf_serializers.ListField(child=drf_serializers.CharField())
    outputs = drf_serializers.ListField(child=drf_serializers.CharField())
    config_schema = drf_serializers.DictField(help_text="JSON Schema of the node's config.")
    example = drf_serializers.DictField()
    retry_schema = drf_serializers.DictField()
    default_retry = drf_serializers.DictField()


class NodeTypeCountSerializer(drf_serializers.Serializer):
    total = drf_serializers.IntegerField()


class NodeTypeListSerializer(drf_serializers.Serializer):
    """The whole answer (already an envelope: every node type at once, with a count)."""

    success = drf_serializers.BooleanField()
    data = NodeTypeSerializer(many=True)
    meta = NodeTypeCountSerializer()


NODE_CATEGORIES = ["action", "data", "logic", "trigger"]


class NodeTypeListView(APIView):
    """Every node type: ports, the JSON Schema of its config, and an example."""

    @extend_schema(
        parameters=[OpenApiParameter("category", str, enum=NODE_CATEGORIES, description="Only this category.")],
        responses=NodeTypeListSerializer,
    )
    def get(self, request):
        types = get_registry().describe()
        category = request.query_params.get("category")
        if category is not None and category not in NODE_CATEGORIES:
            raise ApiError(400, "VALIDATION_ERROR", f"category must be one of {', '.join(NODE_CATEGORIES)}.",
                           field="category")  # fmt: skip
        if category:
            types = [node_type for node_type in types if node_type["category"] == category]
        response = Response(success_body(types, {"total": len(types)}))
        response.is_enveloped = True
        return response
