"""The editor's test-data endpoints: run one step, preview an expression's value (D24)."""

from __future__ import annotations

from drf_spectacular.utils import extend_schema
from rest_framework import serializers
from rest_framework import status as http
from rest_framework.response import Response
from rest_framework.views import APIView

from flowbuilder.api.exceptions import ApiError
from workflows import editor_runs
from workflows.api.helpers import definition_error, get_workflow
from workflows.api.serializers import ExecutionStartedSerializer
from workflows.definitions import DefinitionError
from workflows.engine.editor_data import NoTestData

EXECUTION_ID_HELP = "The run whose data is used (one of this workflow's); by default its newest run."


class TestStepSerializer(serializers.Serializer):
    node_id = serializers.CharField(max_length=100, help_text="The node to run, in the saved draft.")
    execution_id = serializers.CharField(max_length=40, required=False, allow_null=True, default=None,
                                         help_text=EXECUTION_ID_HELP)  # fmt: skip


class PreviewSerializer(TestStepSerializer):
    node_id = serializers.CharField(max_length=100, help_text="The node whose settings hold the text.")
    text = serializers.CharField(max_length=10_000, allow_blank=True, trim_whitespace=False,
                                 help_text="A setting's text, with its {{ }} expressions.")  # fmt: skip


class PreviewResultSerializer(serializers.Serializer):
    value = serializers.JSONField(allow_null=True, help_text="What the text gives (null when it failed).")
    error = serializers.CharField(allow_null=True, help_text="Why it failed, in words; null when it worked.")
    data_from = serializers.ChoiceField(["pinned", "run", "none"], help_text="Where the data came from.")
    execution_id = serializers.CharField(allow_null=True, help_text="The run the data came from.")


def _workflow_and_body(request, workflow_id: str, serializer_class) -> tuple:
    workflow = get_workflow(request, workflow_id)
    body = serializer_class(data=request.data)
    body.is_valid(raise_exception=True)
    return workflow, body.validated_data


def unreadable_draft() -> ApiError:
    return ApiError(400, "INVALID_WORKFLOW_CONFIG", "The draft cannot be read; fix its problems first.")


def _unknown(field: str, what: str) -> ApiError:
    return ApiError(400, "VALIDATION_ERROR", what, field=field)


class WorkflowTestStepView(APIView):
    schema_errors = {
        "POST": {
            400: "VALIDATION_ERROR (node_id not in the draft, execution_id not a run of this workflow), "
            "NO_TEST_DATA (a step before the node has neither pinned data nor an output in the run; "
            "`details.node_ids` names them) or INVALID_WORKFLOW_CONFIG (the draft has problems).",
            422: "INVALID_NODE_CONFIG: a node's config in the draft fails its JSON Schema.",
        }
    }

    @extend_schema(
        request=TestStepSerializer,
        responses={202: ExecutionStartedSerializer},
        description="Run one node of the draft as a test run (mode \"test\"): every step before it uses its "
        "pinned data, else its output in the run named (default: the newest). Follow it like any execution.",
    )
    def post(self, request, workflow_id: str):
        workflow, data = _workflow_and_body(request, workflow_id, TestStepSerializer)
        try:
            execution = editor_runs.start_test_step(workflow, data["node_id"], data["execution_id"],
                                                    actor=request.access.actor)  # fmt: skip
        except KeyError:
            raise _unknown("node_id", f"The draft has no node “{data['node_id']}”.") from None
        except editor_runs.UnknownExecution:
            raise _unknown("execution_id", f"No run {data['execution_id']} of this workflow.") from None
        except NoTestData as missing:
            message = f"Run the workflow once, or pin data on {', '.join(missing.node_ids)}, to test this step."
            details = {"node_ids": missing.node_ids}
            raise ApiError(400, "NO_TEST_DATA", message, field="node_id", details=details) from None
        except DefinitionError as error:
            raise definition_error(error, workflow.definition) from None
        except (TypeError, ValueError, AttributeError, IndexError):
            raise unreadable_draft() from None
        body = {"execution_id": execution.id, "status": execution.status, "started_at": execution.started_at}
        return Response(body, status=http.HTTP_202_ACCEPTED)


class WorkflowPreviewView(APIView):
    schema_errors = {"POST": {400: "VALIDATION_ERROR: node_id not in the draft, execution_id not a run of it."}}

    @extend_schema(
        request=PreviewSerializer,
        responses=PreviewResultSerializer,
        description="The value a setting's text gives with the real expression engine, from the draft's pinned "
        "data and the run named (default: the newest). An expression that fails is a 200 with `error`.",
    )
    def post(self, request, workflow_id: str):
        workflow, data = _workflow_and_body(request, workflow_id, PreviewSerializer)
        try:
            result = editor_runs.preview_expression(workflow, data["node_id"], data["text"], data["execution_id"])
        except KeyError:
            raise _unknown("node_id", f"The draft has no node “{data['node_id']}”.") from None
        except editor_runs.UnknownExecution:
            raise _unknown("execution_id", f"No run {data['execution_id']} of this workflow.") from None
        except (TypeError, ValueError, AttributeError, IndexError):
            raise unreadable_draft() from None
        return Response(result)
