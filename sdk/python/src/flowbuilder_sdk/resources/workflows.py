"""Workflows and their executions."""

from __future__ import annotations

import builtins
import uuid
from collections.abc import Iterator, Mapping
from typing import Any

from flowbuilder_sdk._base import Page
from flowbuilder_sdk._pagination import CURSOR, SyncPager
from flowbuilder_sdk.models import (
    Execution,
    ExecutionList,
    ExecutionOrStarted,
    ExecutionsEventsRetrieveItem,
    ExecutionStarted,
    Export,
    InboundHook,
    PreviewResult,
    Step,
    ValidationResult,
    Version,
    VersionDetail,
    Workflow,
    WorkflowList,
)
from flowbuilder_sdk.resources._resource import Resource, if_match, merge_body

WAIT_MARGIN = 15.0  # seconds beyond execute's `wait` for the answer to arrive


class Workflows(Resource):
    """`client.workflows`: CRUD, validate, publish, versions, activate, import/export, execute."""

    def list(self, *, status: str | None = None, channel: str | None = None, search: str | None = None,
             sort: str | None = None, order: str | None = None, limit: int | None = None,
             project_id: str | None = None) -> SyncPager[WorkflowList]:  # fmt: skip
        """Every workflow, lazily (`for workflow in client.workflows.list(): ...`); items are WorkflowList."""
        params = {"status": status, "channel": channel, "search": search, "sort": sort, "order": order, "limit": limit}
        return self._list("workflows_list", params=params, project_id=project_id)

    def create(self, body: Mapping[str, Any] | None = None, /, *, project_id: str | None = None, **fields: Any
               ) -> Workflow:  # fmt: skip
        """A new draft: `name`, `description`, and a definition (`nodes`+`edges`, `states` or `configuration`)."""
        return self._call("workflows_create", body=merge_body(body, fields), project_id=project_id)

    def get(self, workflow_id: str, *, project_id: str | None = None) -> Workflow:
        return self._call("workflows_retrieve", path={"workflow_id": workflow_id}, project_id=project_id)

    def update(self, workflow_id: str, body: Mapping[str, Any] | None = None, /, *, etag: str | None = None,
               project_id: str | None = None, **fields: Any) -> Workflow:  # fmt: skip
        """A partial update (PATCH); `etag` makes it conditional (412 PreconditionFailed when stale)."""
        return self._call("workflows_partial_update", path={"workflow_id": workflow_id}, body=merge_body(body, fields),
                          headers=if_match(etag), project_id=project_id)  # fmt: skip

    def replace(self, workflow_id: str, body: Mapping[str, Any] | None = None, /, *, etag: str | None = None,
                project_id: str | None = None, **fields: Any) -> Workflow:  # fmt: skip
        """A whole update (PUT)."""
        return self._call("workflows_update", path={"workflow_id": workflow_id}, body=merge_body(body, fields),
                          headers=if_match(etag), project_id=project_id)  # fmt: skip

    def delete(self, workflow_id: str, *, etag: str | None = None, project_id: str | None = None) -> None:
        return self._call("workflows_destroy", path={"workflow_id": workflow_id}, headers=if_match(etag),
                          project_id=project_id)  # fmt: skip

    def validate(self, workflow_id: str, definition: Mapping[str, Any] | None = None, *,
                 project_id: str | None = None) -> ValidationResult:  # fmt: skip
        """Problems with paths, without saving (the draft's, or those of `definition`)."""
        body = {"definition": definition} if definition is not None else {}
        return self._call("workflows_validate_create", path={"workflow_id": workflow_id}, body=body,
                          project_id=project_id)  # fmt: skip

    def test_step(self, workflow_id: str, node_id: str, *, execution_id: str | None = None,
                  project_id: str | None = None) -> ExecutionStarted:  # fmt: skip
        """Run one node of the draft as a test run; the steps before it use their pinned data, else their
        output in the run `execution_id` (default: the workflow's newest)."""
        body = {"node_id": node_id, "execution_id": execution_id}
        return self._call("workflows_test_step_create", path={"workflow_id": workflow_id},
                          body={k: v for k, v in body.items() if v is not None}, project_id=project_id)  # fmt: skip

    def preview(self, workflow_id: str, node_id: str, text: str, *, execution_id: str | None = None,
                project_id: str | None = None) -> PreviewResult:  # fmt: skip
        """The value the engine gives `text` in that node's settings, on pinned data or the run's (an
        expression that fails answers `error`)."""
        body = {"node_id": node_id, "text": text, "execution_id": execution_id}
        return self._call("workflows_preview_create", path={"workflow_id": workflow_id},
                          body={k: v for k, v in body.items() if v is not None}, project_id=project_id)  # fmt: skip

    def publish(self, workflow_id: str, *, note: str | None = None, project_id: str | None = None) -> Version:
        body = {"note": note} if note is not None else {}
        return self._call("workflows_publish_create", path={"workflow_id": workflow_id}, body=body,
                          project_id=project_id)  # fmt: skip

    def activate(self, workflow_id: str, *, project_id: str | None = None) -> Workflow:
        return self._call("workflows_activate_create", path={"workflow_id": workflow_id}, project_id=project_id)

    def deactivate(self, workflow_id: str, *, project_id: str | None = None) -> Workflow:
        return self._call("workflows_deactivate_create", path={"workflow_id": workflow_id}, project_id=project_id)

    def versions(self, workflow_id: str, *, limit: int | None = None, project_id: str | None = None
                 ) -> SyncPager[Version]:  # fmt: skip
        """Published versions, lazily (items are Version)."""
        return self._list("workflows_versions_list", path={"workflow_id": workflow_id}, params={"limit": limit},
                          project_id=project_id)  # fmt: skip

    def get_version(self, workflow_id: str, number: int, *, project_id: str | None = None) -> VersionDetail:
        return self._call("workflows_versions_retrieve", path={"workflow_id": workflow_id, "number": number},
                          project_id=project_id)  # fmt: skip

    def restore_version(self, workflow_id: str, number: int, *, project_id: str | None = None) -> Workflow:
        """Copy version `number` into the draft."""
        return self._call("workflows_versions_restore_create", path={"workflow_id": workflow_id, "number": number},
                          project_id=project_id)  # fmt: skip

    def export(self, workflow_id: str, *, format: str = "nodes", project_id: str | None = None) -> Export:
        """The definition in the `nodes`, `states` or `configuration` form."""
        return self._call("workflows_export_retrieve", path={"workflow_id": workflow_id}, params={"format": format},
                          project_id=project_id)  # fmt: skip

    def import_(self, body: Mapping[str, Any] | None = None, /, *, project_id: str | None = None, **fields: Any
                ) -> Workflow:  # fmt: skip
        """A new workflow from an export (any of the three forms)."""
        return self._call("workflows_import_create", body=merge_body(body, fields), project_id=project_id)

    def execute(self, workflow_id: str, input: Mapping[str, Any] | None = None, *, version: int | str | None = None,
                wait: float | None = None, trigger_node_id: str | None = None, test: bool | None = None,
                idempotency_key: str | None = None, project_id: str | None = None
                ) -> ExecutionStarted | ExecutionOrStarted:  # fmt: skip
        """Start a run. An `Idempotency-Key` goes with it (a fresh one unless given), so a retry never starts a second.

        Answers ExecutionStarted, or the finished Execution when `wait` seconds (≤ 60) were enough.
        """
        body = {"input": dict(input or {}), "version": version, "wait": wait, "trigger_node_id": trigger_node_id,
                "test": test}  # fmt: skip
        headers = {"Idempotency-Key": idempotency_key or f"sdk-{uuid.uuid4()}"}
        # The server holds the answer up to `wait` seconds: the read timeout must outlast it.
        return self._call("workflows_execute_create", path={"workflow_id": workflow_id},
                          body={k: v for k, v in body.items() if v is not None}, headers=headers,
                          project_id=project_id, read_timeout=wait + WAIT_MARGIN if wait else None)  # fmt: skip

    def execute_and_wait(self, workflow_id: str, input: Mapping[str, Any] | None = None, *, timeout: float = 300,
                         poll_interval: float = 1.0, **options: Any) -> Execution:  # fmt: skip
        """Start a run and return it once it has ended (completed, failed or cancelled).

        The server holds the call up to 60 s (`wait`); after that the SDK polls the execution every
        `poll_interval` seconds. Past `timeout` it raises WaitTimeoutError (the run goes on).
        """
        return self._client._execute_and_wait(self, workflow_id, input, timeout=timeout,
                                              poll_interval=poll_interval, options=options)  # fmt: skip

    def executions(self, workflow_id: str, *, paging: str = CURSOR, status: str | None = None,
                   limit: int | None = None, order: str | None = None, from_: str | None = None,
                   to: str | None = None, project_id: str | None = None, **filters: Any
                   ) -> SyncPager[ExecutionList]:  # fmt: skip
        """This workflow's executions, newest first, lazily (see `Executions.list`)."""
        params = {"status": status, "limit": limit, "order": order, "from": from_, "to": to, **filters}
        return self._list("workflows_executions_list", path={"workflow_id": workflow_id}, params=params,
                          project_id=project_id, style=paging)  # fmt: skip

    def get_execution(self, workflow_id: str, execution_id: str, *, project_id: str | None = None) -> Execution:
        return self._call("workflows_executions_retrieve",
                          path={"workflow_id": workflow_id, "execution_id": execution_id},
                          project_id=project_id)  # fmt: skip

    def hooks(self, workflow_id: str, *, project_id: str | None = None) -> builtins.list[InboundHook]:
        """The inbound webhook URLs of the workflow's trigger.webhook nodes."""
        return self._call("workflows_hooks_list", path={"workflow_id": workflow_id}, project_id=project_id)

    def regenerate_hook(self, workflow_id: str, node_id: str, *, project_id: str | None = None) -> InboundHook:
        """A new token for one inbound hook; the old URL stops at once."""
        return self._call("workflows_hooks_regenerate_create", path={"workflow_id": workflow_id, "node_id": node_id},
                          project_id=project_id)  # fmt: skip


class Executions(Resource):
    """`client.executions`: list, get, cancel, retry, resume, steps, events, stream."""

    def list(self, *, paging: str = CURSOR, status: str | None = None, limit: int | None = None,
             order: str | None = None, from_: str | None = None, to: str | None = None,
             project_id: str | None = None, **filters: Any) -> SyncPager[ExecutionList]:  # fmt: skip
        """The project's executions, newest first (`order="asc"`: oldest first), lazily; items are ExecutionList.

        `paging="cursor"` (default) follows `meta.next_cursor`, steady while runs are added;
        `paging="page"` walks page numbers. `from_`/`to` (ISO dates or times, sent as `from`/`to`),
        and `start_date`/`end_date` as keywords, bound the creation time.
        """
        params = {"status": status, "limit": limit, "order": order, "from": from_, "to": to, **filters}
        return self._list("executions_list", params=params, project_id=project_id, style=paging)

    def get(self, execution_id: str, *, project_id: str | None = None) -> Execution:
        return self._call("executions_retrieve", path={"execution_id": execution_id}, project_id=project_id)

    def cancel(self, execution_id: str, *, project_id: str | None = None) -> Execution:
        return self._call("executions_cancel_create", path={"execution_id": execution_id}, project_id=project_id)

    def retry(self, execution_id: str, *, project_id: str | None = None) -> Execution:
        """Run a failed execution again from its failed step."""
        return self._call("executions_retry_create", path={"execution_id": execution_id}, project_id=project_id)

    def resume(self, execution_id: str, payload: Mapping[str, Any] | None = None, *, node_id: str | None = None,
               project_id: str | None = None) -> Execution:  # fmt: skip
        """Feed a waiting node (an approval, an event) and let the run go on."""
        body = {"payload": dict(payload or {}), **({"node_id": node_id} if node_id else {})}
        return self._call("executions_resume_create", path={"execution_id": execution_id}, body=body,
                          project_id=project_id)  # fmt: skip

    def steps(self, execution_id: str, *, full: bool | None = None, limit: int | None = None,
              project_id: str | None = None) -> SyncPager[Step]:  # fmt: skip
        """Every step attempt, lazily (items are Step); `full=True` for whole values instead of previews."""
        return self._list("executions_steps_retrieve", path={"execution_id": execution_id},
                          params={"full": full, "limit": limit}, project_id=project_id, style=CURSOR)  # fmt: skip

    def events(self, execution_id: str, *, after: int = 0, limit: int | None = None,
               project_id: str | None = None) -> Page:  # fmt: skip
        """One page of the run's event log after seq `after` (a Page: items and meta)."""
        return self._call("executions_events_retrieve", path={"execution_id": execution_id},
                          params={"after": after, "limit": limit}, project_id=project_id)  # fmt: skip

    def stream(self, execution_id: str, *, after: int = 0, poll_interval: float = 0.5,
               project_id: str | None = None) -> Iterator[ExecutionsEventsRetrieveItem]:  # fmt: skip
        """The run's live events (ExecutionEvent) in order, until it has ended: polls the event log."""
        return self._client._stream(self, execution_id, after=after, poll_interval=poll_interval,
                                    project_id=project_id)  # fmt: skip

    def wait(self, execution_id: str, *, timeout: float = 300, poll_interval: float = 1.0,
             project_id: str | None = None) -> Execution:  # fmt: skip
        """The execution once it has ended, polling every `poll_interval` s; WaitTimeoutError past `timeout`."""
        return self._client._wait(self, execution_id, timeout=timeout, poll_interval=poll_interval,
                                  project_id=project_id)  # fmt: skip

