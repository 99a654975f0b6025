"""The GraphQL object types: workflows with versions and input schema, executions with steps,
logs and the failing node, node types, usage. Fields read the same rows and helpers as REST."""

from __future__ import annotations

import datetime as dt
from typing import Annotated

import strawberry
from strawberry.scalars import JSON
from strawberry.types import Info

from workflows import models
from workflows.api.serializers import execute_input_schema
from workflows.run_log import execution_logs


@strawberry.type(description="A published, frozen version of a workflow.")
class Version:
    row: strawberry.Private[models.WorkflowVersion]

    @strawberry.field
    def id(self) -> strawberry.ID:
        return self.row.id

    @strawberry.field
    def number(self) -> int:
        return self.row.number

    @strawberry.field
    def note(self) -> str:
        return self.row.note

    @strawberry.field
    def created_at(self) -> dt.datetime:
        return self.row.created_at

    @strawberry.field(description="The version's definition (canonical nodes + edges).")
    def definition(self) -> JSON:
        return self.row.definition


@strawberry.type(description="One attempt of one node in a run.")
class Step:
    row: strawberry.Private[models.ExecutionStep]

    @strawberry.field
    def step_key(self) -> str:
        return self.row.step_key

    @strawberry.field
    def node_id(self) -> str:
        return self.row.node_id

    @strawberry.field(description="The node's type, e.g. http.request.")
    def type(self) -> str:
        return self.row.node_type

    @strawberry.field(description="running, succeeded, failed, retrying, waiting or skipped.")
    def status(self) -> str:
        return self.row.status

    @strawberry.field
    def attempt(self) -> int:
        return self.row.attempt

    @strawberry.field
    def output_port(self) -> str | None:
        return self.row.output_port

    @strawberry.field
    def started_at(self) -> dt.datetime | None:
        return self.row.started_at

    @strawberry.field
    def completed_at(self) -> dt.datetime | None:
        return self.row.finished_at

    @strawberry.field
    def duration_ms(self) -> int | None:
        return self.row.duration_ms

    @strawberry.field
    def input(self) -> JSON | None:
        return self.row.input

    @strawberry.field
    def output(self) -> JSON | None:
        return self.row.output

    @strawberry.field(description="{code, message, …} when the attempt failed.")
    def error(self) -> JSON | None:
        return self.row.error


@strawberry.type(description="A line of a run's log (workflows/run_log.py): the run, a step, or a node's own line.")
class LogEntry:
    timestamp: dt.datetime
    level: str
    node_id: str | None = strawberry.field(description="null for the run itself.")
    message: str


@strawberry.type(description="Where a failed run broke: the node named by its error, and that node's last attempt.")
class FailingNode:
    node_id: str
    code: str | None
    message: str | None
    step: Step | None


def steps_for(info: Info, execution: models.Execution) -> list[models.ExecutionStep]:
    return info.context.loaders.steps.load(execution.id)


@strawberry.type(description="A run of a workflow.")
class Execution:
    row: strawberry.Private[models.Execution]

    @strawberry.field
    def id(self) -> strawberry.ID:
        return self.row.id

    @strawberry.field
    def workflow_id(self) -> str:
        return self.row.workflow_id

    @strawberry.field
    def workflow_name(self) -> str:
        return self.row.workflow.name

    @strawberry.field(description="The workflow this run belongs to (its draft as it is now).")
    def workflow(self) -> Workflow:
        return Workflow(row=self.row.workflow)

    @strawberry.field(description="The version that ran; null for the draft.")
    def version(self) -> int | None:
        return self.row.version

    @strawberry.field(description="manual, api, webhook, schedule, form or test.")
    def mode(self) -> str:
        return self.row.mode

    @strawberry.field(description="pending, running, waiting, completed, failed or cancelled.")
    def status(self) -> str:
        return self.row.status

    @strawberry.field
    def trigger_node_id(self) -> str:
        return self.row.trigger_node_id

    @strawberry.field
    def input(self) -> JSON:
        return self.row.input

    @strawberry.field
    def output(self) -> JSON | None:
        return self.row.output

    @strawberry.field(description="{node_id, code, message} when the run failed.")
    def error(self) -> JSON | None:
        return self.row.error

    @strawberry.field
    def waiting_for(self) -> JSON | None:
        return self.row.waiting_for

    @strawberry.field
    def created_at(self) -> dt.datetime:
        return self.row.created_at

    @strawberry.field
    def started_at(self) -> dt.datetime | None:
        return self.row.started_at

    @strawberry.field
    def completed_at(self) -> dt.datetime | None:
        return self.row.completed_at

    @strawberry.field
    def duration_ms(self) -> int | None:
        return self.row.duration_ms

    @strawberry.field(description="Every step attempt, in order (loaded for all listed runs at once).")
    def steps(self, info: Info) -> list[Step]:
        return [Step(row=step) for step in steps_for(info, self.row)]

    @strawberry.field(description="What happened, oldest first: the run, each step attempt, the nodes' lines.")
    def logs(self, info: Info) -> list[LogEntry]:
        lines = info.context.loaders.log_lines.load(self.row.id)
        return [LogEntry(**item) for item in execution_logs(self.row, steps_for(info, self.row), lines)]

    @strawberry.field(description="The node a failed run broke at; null unless the run failed.")
    def failing_node(self, info: Info) -> FailingNode | None:
        error = self.row.error or {}
        if self.row.status != models.ExecutionStatus.FAILED:
            return None
        node_id = error.get("node_id") or ""
        failed = [step for step in steps_for(info, self.row) if step.node_id == node_id and step.status == "failed"]
        step = Step(row=failed[-1]) if failed else None
        return FailingNode(node_id=node_id, code=error.get("code"), message=error.get("message"), step=step)


@strawberry.type(description="A workflow of the project.")
class Workflow:
    row: strawberry.Private[models.Workflow]

    @strawberry.field
    def id(self) -> strawberry.ID:
        return self.row.id

    @strawberry.field
    def name(self) -> str:
        return self.row.name

    @strawberry.field
    def description(self) -> str:
        return self.row.description

    @strawberry.field
    def channel(self) -> str:
        return self.row.channel

    @strawberry.field(description="draft, active or inactive.")
    def status(self) -> str:
        return self.row.status

    @strawberry.field
    def published_version(self) -> int | None:
        return self.row.published_version

    @strawberry.field
    def created_at(self) -> dt.datetime:
        return self.row.created_at

    @strawberry.field
    def updated_at(self) -> dt.datetime:
        return self.row.updated_at

    @strawberry.field(description="Runs so far; null on a workflow reached through an execution.")
    def execution_count(self) -> int | None:
        return getattr(self.row, "execution_count", None)

    @strawberry.field(description="The draft definition (canonical nodes + edges).")
    def definition(self) -> JSON:
        return self.row.definition

    @strawberry.field(description="Published versions, newest first (loaded for all listed workflows at once).")
    def versions(self, info: Info) -> list[Version]:
        return [Version(row=row) for row in info.context.loaders.versions.load(self.row.id)]

    @strawberry.field(
        description="The JSON Schema that runFlow's `input` must match (the default trigger's `input_schema` in "
        "the version runFlow runs without `version`: the published one, else the draft); null when none."
    )
    def input_schema(self, info: Info) -> JSON | None:
        definition = self.row.definition
        if self.row.published_version is not None:
            versions = info.context.loaders.versions.load(self.row.id)
            published = [row for row in versions if row.number == self.row.published_version]
            definition = published[0].definition if published else definition
        return execute_input_schema(definition)

    @strawberry.field(description="The newest runs (at most 20), loaded for all listed workflows at once.")
    def recent_executions(self, info: Info, limit: int = 5) -> list[Execution]:
        limit = max(1, min(limit, 20))
        return [Execution(row=row) for row in info.context.loaders.recent_runs(self.row.id, limit)]


@strawberry.type(description="A node type: ports, the JSON Schema of its config, an example.")
class NodeType:
    type: str
    category: str
    label: str
    description: str
    inputs: list[str]
    outputs: list[str]
    config_schema: JSON
    example: JSON
    default_retry: JSON


@strawberry.type
class UsageTotals:
    api_calls: int
    executions: int
    steps: int
    ai_tokens: int
    test_executions: int
    editor_calls: int


@strawberry.type
class UsageDay:
    date: dt.date
    api_calls: int
    executions: int
    steps: int
    ai_tokens: int
    test_executions: int
    editor_calls: int


@strawberry.type
class RateLimits:
    requests_per_minute: int
    requests_per_day: int


@strawberry.type
class ModelTokens:
    model: str
    input_tokens: int
    output_tokens: int


@strawberry.type(description="The organization's usage over start_date..end_date, as GET /usage.")
class Usage:
    organization_id: str
    plan: str
    start_date: dt.date
    end_date: dt.date
    totals: UsageTotals
    limits: RateLimits
    days: list[UsageDay]
    ai_tokens_by_model: list[ModelTokens]


@strawberry.type(description="Relay page information.")
class PageInfo:
    has_next_page: bool
    has_previous_page: bool
    start_cursor: str | None
    end_cursor: str | None


@strawberry.type
class ExecutionEdge:
    cursor: str
    node: Execution


@strawberry.type(description="A page of executions (Relay cursor connection; the cursors are REST's next_cursor).")
class ExecutionConnection:
    edges: list[ExecutionEdge]
    page_info: PageInfo
    total_count: Annotated[int | None, strawberry.field(description="null when paging with `after`.")]


@strawberry.type
class WorkflowEdge:
    cursor: str
    node: Workflow


@strawberry.type(description="A page of workflows (Relay cursor connection).")
class WorkflowConnection:
    edges: list[WorkflowEdge]
    page_info: PageInfo
    total_count: int


@strawberry.type(description="What runFlow started; `execution` once the run ended within `wait`.")
class RunResult:
    execution_id: str
    status: str
    started_at: dt.datetime | None
    execution: Execution | None
    replayed: bool = strawberry.field(description="True when idempotencyKey had already started this run.")
