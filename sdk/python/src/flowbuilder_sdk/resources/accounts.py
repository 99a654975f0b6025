"""API keys, members, projects, usage, the audit log, metrics and the system views."""

from __future__ import annotations

from flowbuilder_sdk._pagination import SyncPager
from flowbuilder_sdk.models import (
    ApiKey,
    ApiKeyCreated,
    AuditEvent,
    Execution,
    Member,
    Metrics,
    Project,
    QueueOverviewSchema,
    Usage,
    WsTicket,
)
from flowbuilder_sdk.resources._resource import Resource


class ApiKeys(Resource):
    """`client.api_keys` (admins): the plaintext key is answered once, at creation."""

    def list(self, *, limit: int | None = None) -> SyncPager[ApiKey]:
        return self._list("api_keys_list", params={"limit": limit})

    def create(self, name: str, *, role: str = "editor", expires_at: str | None = None) -> ApiKeyCreated:
        body = {"name": name, "role": role, **({"expires_at": expires_at} if expires_at else {})}
        return self._call("api_keys_create", body=body)

    def get(self, id: str) -> ApiKey:
        return self._call("api_keys_retrieve", path={"id": id})

    def revoke(self, id: str) -> ApiKey:
        return self._call("api_keys_destroy", path={"id": id})


class Members(Resource):
    """`client.members`: the organization's people and their roles."""

    def list(self, *, limit: int | None = None) -> SyncPager[Member]:
        return self._list("members_list", params={"limit": limit})

    def get(self, member_id: str) -> Member:
        return self._call("members_retrieve", path={"member_id": member_id})

    def update(self, member_id: str, *, role: str) -> Member:
        return self._call("members_partial_update", path={"member_id": member_id}, body={"role": role})

    def remove(self, member_id: str) -> None:
        """Remove a member: their keys are revoked and their sessions end."""
        return self._call("members_destroy", path={"member_id": member_id})


class Projects(Resource):
    def list(self, *, limit: int | None = None) -> SyncPager[Project]:
        return self._list("projects_list", params={"limit": limit})


class UsageResource(Resource):
    def get(self, *, start_date: str | None = None, end_date: str | None = None) -> Usage:
        """Executions, steps, AI tokens and API calls per day between the dates (default: this month)."""
        return self._call("usage_retrieve", params={"start_date": start_date, "end_date": end_date})


class AuditLog(Resource):
    def list(self, *, action: str | None = None, target_id: str | None = None, limit: int | None = None
             ) -> SyncPager[AuditEvent]:  # fmt: skip
        """Who did what, when (admins), lazily; items are AuditEvent."""
        return self._list("audit_log_list", params={"action": action, "target_id": target_id, "limit": limit})


class MetricsResource(Resource):
    def get(self, workflow_id: str, *, start_date: str | None = None, end_date: str | None = None,
            granularity: str | None = None, project_id: str | None = None) -> Metrics:  # fmt: skip
        """A workflow's totals, success rate, durations and per-bucket series."""
        params = {"start_date": start_date, "end_date": end_date, "granularity": granularity}
        return self._call("workflows_metrics_retrieve", path={"workflow_id": workflow_id}, params=params,
                          project_id=project_id)  # fmt: skip


class System(Resource):
    """Admins: the queues and workers, and re-queueing a stuck run."""

    def queue(self) -> QueueOverviewSchema:
        return self._call("system_queue_retrieve")

    def requeue(self, execution_id: str) -> Execution:
        return self._call("system_executions_requeue_create", path={"execution_id": execution_id})


class WsTickets(Resource):
    def create(self) -> WsTicket:
        """A single-use ticket for the live WebSocket (`/ws/executions/<id>/?ticket=`)."""
        return self._call("ws_tickets_create")
