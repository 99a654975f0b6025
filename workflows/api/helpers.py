"""Shared pieces of the workflow views: lookups, definition checks, error mapping."""

from __future__ import annotations

from typing import Any

from django.db.models import Count, Max, Q

from flowbuilder.api.exceptions import ApiError
from flowbuilder.compiled_query import CompiledQuery
from workflows.definitions import DefinitionError, ParsedDefinition, find_problems, parse_definition, problems_as_dicts
from workflows.models import TEST_MODE, Execution, ExecutionStatus, Workflow

DEFINITION_KEYS = ("nodes", "edges", "variables", "settings", "pinned", "notes", "states", "start_at", "configuration")
FINISHED = (ExecutionStatus.COMPLETED, ExecutionStatus.FAILED, ExecutionStatus.CANCELLED)


def workflows_with_stats(project, *, without_tests: bool = False):
    """Workflows with run counts; `without_tests` leaves the editor's test runs out (the pages' figures)."""
    runs = ~Q(executions__mode=TEST_MODE) if without_tests else Q()
    return Workflow.objects.filter(project=project).annotate(
        execution_count=Count("executions", filter=runs),
        finished_count=Count("executions", filter=runs & Q(executions__status__in=FINISHED)),
        completed_count=Count("executions", filter=runs & Q(executions__status=ExecutionStatus.COMPLETED)),
        last_run_at=Max("executions__created_at"),
    )


# Most calls name one workflow by id: its SQL is built once per process (D19 addendum (4)).
WORKFLOW_QUERY = CompiledQuery(lambda workflow_id: Workflow.objects.filter(pk=workflow_id))


def get_workflow(request, workflow_id: str, *, with_stats: bool = False) -> Workflow:
    """The request's project's workflow `workflow_id`, with that project (and organization) attached."""
    project = request.access.project
    if with_stats:
        workflow = workflows_with_stats(project).select_related("project__organization").filter(pk=workflow_id).first()
    else:
        workflow = WORKFLOW_QUERY.first(workflow_id)
        if workflow is not None and workflow.project_id == project.pk:
            workflow.project = project
        else:
            workflow = None
    if workflow is None:
        raise workflow_not_found(workflow_id)
    return workflow


def workflow_not_found(workflow_id: str) -> ApiError:
    return ApiError(404, "WORKFLOW_NOT_FOUND", f"No workflow {workflow_id} in this project.")


def get_execution(request, execution_id: str, workflow_id: str | None = None) -> Execution:
    executions = Execution.objects.filter(project=request.access.project).select_related("workflow", "project")
    if workflow_id:
        executions = executions.filter(workflow_id=workflow_id)
    execution = executions.filter(pk=execution_id).first()
    if execution is None:
        raise ApiError(404, "NOT_FOUND", f"No execution {execution_id} in this project.")
    return execution


def raw_definition(data: dict[str, Any]) -> dict[str, Any] | None:
    """The definition in a request body: `definition`, or the form's keys at the top level."""
    if "definition" in data:
        return data["definition"]
    found = {key: data[key] for key in DEFINITION_KEYS if key in data}
    return found or None


def definition_error(error: DefinitionError, canonical: dict[str, Any] | None = None) -> ApiError:
    problems = problems_as_dicts(canonical or {}, error.problems)
    first = problems[0] if problems else {"path": "definition", "message": "Invalid definition."}
    if first.get("code") == "INVALID_NODE_CONFIG":
        status, code = 422, "INVALID_NODE_CONFIG"
    else:
        status, code = 400, "INVALID_WORKFLOW_CONFIG"
    more = f" ({len(problems) - 1} more problem(s) in details)" if len(problems) > 1 else ""
    return ApiError(
        status, code, f"{first['path']}: {first['message']}{more}", details={"problems": problems}, field=first["path"]
    )


def checked_definition(raw: Any, *, validate: bool) -> ParsedDefinition:
    """Parse any accepted form; unless `validate` is off, refuse definitions with problems."""
    try:
        parsed = parse_definition(raw)
    except DefinitionError as error:
        raise definition_error(error) from None
    if validate:
        problems = find_problems(parsed.canonical)
        if problems:
            raise definition_error(DefinitionError(problems), parsed.canonical)
    return parsed


def wants_validation(request) -> bool:
    """`?validate=false` saves a definition with problems; anything but true/false is a 400."""
    values = request.query_params.getlist("validate")
    if not values:
        return True
    if len(values) > 1 or values[0] not in ("true", "false"):
        raise ApiError(400, "VALIDATION_ERROR", "validate must be true or false.", field="validate")
    return values[0] == "true"
