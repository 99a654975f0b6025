"""Batch loaders: one query per kind of child for a whole list of parents, never one per parent.

Execution is synchronous (the ORM is), so Strawberry's asyncio DataLoader does not apply.
These do the same job for a sync executor: a list resolver `want`s the keys of every row it
returns; the first child resolver that asks for one key loads all the wanted keys at once
and the others read the cache. A key asked for that nobody announced is loaded with the
batch in progress (never alone, unless it is alone).
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable, Hashable, Iterable
from typing import Any

from django.db.models import F, Window
from django.db.models.functions import RowNumber

from workflows.models import Execution, ExecutionLog, ExecutionStep, WorkflowVersion

BatchFunction = Callable[[list[Hashable]], dict[Hashable, Any]]


class BatchLoader:
    def __init__(self, batch: BatchFunction, default: Any = None) -> None:
        self.batch = batch
        self.default = default
        self.wanted: set[Hashable] = set()
        self.cache: dict[Hashable, Any] = {}

    def want(self, keys: Iterable[Hashable]) -> None:
        self.wanted.update(key for key in keys if key not in self.cache)

    def load(self, key: Hashable) -> Any:
        if key not in self.cache:
            keys = sorted({*self.wanted, key}, key=str)
            found = self.batch(keys)
            for each in keys:
                self.cache[each] = found.get(each, self.default() if callable(self.default) else self.default)
            self.wanted.clear()
        return self.cache[key]


def grouped(rows: Iterable[Any], attribute: str) -> dict[Hashable, list[Any]]:
    groups: dict[Hashable, list[Any]] = defaultdict(list)
    for row in rows:
        groups[getattr(row, attribute)].append(row)
    return groups


def versions_of(workflow_ids: list[Hashable]) -> dict[Hashable, list[WorkflowVersion]]:
    rows = WorkflowVersion.objects.filter(workflow_id__in=workflow_ids).select_related("created_by")
    return grouped(rows.order_by("workflow_id", "-number"), "workflow_id")


def steps_of(execution_ids: list[Hashable]) -> dict[Hashable, list[ExecutionStep]]:
    return grouped(ExecutionStep.objects.filter(execution_id__in=execution_ids).order_by("id"), "execution_id")


def log_lines_of(execution_ids: list[Hashable]) -> dict[Hashable, list[ExecutionLog]]:
    return grouped(ExecutionLog.objects.filter(execution_id__in=execution_ids).order_by("id"), "execution_id")


def recent_executions_of(keys: list[Hashable]) -> dict[Hashable, list[Execution]]:
    """Keys are (workflow id, how many): the newest runs of each workflow, in one query."""
    found: dict[Hashable, list[Execution]] = {}
    for limit in {limit for _, limit in keys}:
        ids = [workflow_id for workflow_id, each in keys if each == limit]
        newest = Window(RowNumber(), partition_by=[F("workflow_id")], order_by=[F("created_at").desc(), F("id").desc()])
        rows = (
            Execution.objects.filter(workflow_id__in=ids)
            .select_related("workflow")
            .annotate(rank=newest)
            .filter(rank__lte=limit)
            .order_by("workflow_id", "rank")
        )
        for workflow_id, runs in grouped(rows, "workflow_id").items():
            found[(workflow_id, limit)] = runs
    return found


class Loaders:
    """The loaders of one request (their caches live as long as it does)."""

    def __init__(self) -> None:
        self.versions = BatchLoader(versions_of, default=list)
        self.steps = BatchLoader(steps_of, default=list)
        self.log_lines = BatchLoader(log_lines_of, default=list)
        self.recent_executions = BatchLoader(self._recent_executions_of, default=list)
        self.listed_workflows: set[str] = set()  # every workflow a list returned: their runs load together

    def list_workflows(self, workflow_ids: Iterable[str]) -> None:
        workflow_ids = set(workflow_ids)
        self.listed_workflows |= workflow_ids
        self.versions.want(workflow_ids)

    def recent_runs(self, workflow_id: str, limit: int) -> list[Execution]:
        self.recent_executions.want((listed, limit) for listed in self.listed_workflows)
        return self.recent_executions.load((workflow_id, limit))

    def _recent_executions_of(self, keys: list[Hashable]) -> dict[Hashable, list[Execution]]:
        """The runs of every listed workflow; their steps and log lines will load together too."""
        found = recent_executions_of(keys)
        run_ids = [row.id for rows in found.values() for row in rows]
        self.steps.want(run_ids)
        self.log_lines.want(run_ids)
        return found
