"""The queue picture an admin needs to spot and fix a stuck run.

Queue and worker figures come from RQ's own keys in Redis, so they describe the whole
installation; executions come from the database and only those of one organization.
Everything here only reads: registries are counted without RQ's cleanup, so looking at
the page never moves a job.
"""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any

from django.conf import settings
from django.db.models import Q
from django.utils import timezone
from rq import Worker
from rq.exceptions import DeserializationError, NoSuchJobError
from rq.job import Job

from accounts.models import Organization
from flowbuilder.redis import get_queue, get_redis
from workflows.models import Execution, ExecutionStatus

RUN_EXECUTION_JOB = "workflows.jobs.run_execution"
# A healthy worker claims a pending run within milliseconds; a minute means nobody will.
PENDING_STUCK_AFTER = timedelta(seconds=60)
RECOVERED_WINDOW = timedelta(hours=24)
# How many jobs at the head of a queue to inspect: jobs enqueued `at_front` jump the line.
OLDEST_SCAN = 10
LIST_LIMIT = 50
# Only these keys of `waiting_for` are shown: a sub-workflow's `input` is user data.
WAITING_FOR_KEYS = ("kind", "node_id", "event", "workflow_id")


def queue_overview(organization: Organization) -> dict[str, Any]:
    """Queues, workers, and this organization's running, stuck, waiting and recovered runs."""
    now = timezone.now()
    return {
        "generated_at": now,
        "queues": [describe_queue(name, now) for name in settings.RQ_QUEUE_NAMES],
        "workers": describe_workers(organization, now),
        "executions": describe_executions(organization, now),
    }


def seconds_since(moment: datetime | None, now: datetime) -> int | None:
    return None if moment is None else max(0, int((now - moment).total_seconds()))


def describe_queue(name: str, now: datetime) -> dict[str, Any]:
    queue = get_queue(name)
    head = Job.fetch_many(queue.get_job_ids(0, OLDEST_SCAN), connection=queue.connection)
    enqueued = [job.enqueued_at for job in head if job is not None and job.enqueued_at is not None]
    oldest = min(enqueued, default=None)
    return {
        "name": name,
        "depth": queue.count,
        "oldest_enqueued_at": oldest,
        "oldest_age_seconds": seconds_since(oldest, now),
        "scheduled": queue.scheduled_job_registry.get_job_count(cleanup=False),
        "started": queue.started_job_registry.get_job_count(cleanup=False),
        "failed": queue.failed_job_registry.get_job_count(cleanup=False),
    }


def execution_id_of(job_id: str | None, connection) -> str | None:
    """The execution a `run_execution` job works on, if that is what the job is."""
    if not job_id:
        return None
    try:
        job = Job.fetch(job_id, connection=connection)
        if job.func_name != RUN_EXECUTION_JOB or not job.args:
            return None
        return str(job.args[0])
    except (NoSuchJobError, DeserializationError):
        # The job finished (or belongs to code this process cannot load) since the worker said so.
        return None


def describe_workers(organization: Organization, now: datetime) -> list[dict[str, Any]]:
    connection = get_redis()
    workers = sorted(Worker.all(connection=connection), key=lambda worker: worker.name)
    rows = []
    for worker in workers:
        job_id = worker.get_current_job_id()
        heartbeat_age = seconds_since(worker.last_heartbeat, now)
        rows.append(
            {
                "name": worker.name,
                "state": worker.get_state(),
                "queues": worker.queue_names(),
                "birth_date": worker.birth_date,
                "last_heartbeat": worker.last_heartbeat,
                "heartbeat_age_seconds": heartbeat_age,
                # RQ renews the heartbeat well within worker_ttl; twice that means the process is gone.
                "stale": heartbeat_age is None or heartbeat_age > 2 * worker.worker_ttl,
                "current_job_id": job_id,
                "execution_id": execution_id_of(job_id, connection),
                "workflow_name": None,
            }
        )
    attach_own_executions(rows, organization)
    return rows


def attach_own_executions(rows: list[dict[str, Any]], organization: Organization) -> None:
    """Workers are shared by every tenant: name only this organization's runs, hide the others'."""
    wanted = {row["execution_id"] for row in rows if row["execution_id"]}
    own = dict(
        Execution.objects.filter(pk__in=wanted, project__organization=organization).values_list("id", "workflow__name")
    )
    for row in rows:
        if row["execution_id"] in own:
            row["workflow_name"] = own[row["execution_id"]]
        elif row["execution_id"]:
            row["execution_id"] = None


def describe_executions(organization: Organization, now: datetime) -> dict[str, list[dict[str, Any]]]:
    runs = Execution.objects.filter(project__organization=organization).select_related("workflow", "project")
    running = runs.filter(status=ExecutionStatus.RUNNING).order_by("lease_expires_at", "id")[:LIST_LIMIT]
    # created_at is the best "pending since" we store; a resumed run is only pending for an instant.
    stuck_pending = runs.filter(status=ExecutionStatus.PENDING, created_at__lt=now - PENDING_STUCK_AFTER)
    waiting = runs.filter(status=ExecutionStatus.WAITING).order_by("resume_at", "created_at")[:LIST_LIMIT]
    # There is no recovered_at: a recovered run counts while it is unfinished or ended in the window.
    recovered = runs.filter(recovered_count__gt=0).filter(
        Q(completed_at__isnull=True) | Q(completed_at__gte=now - RECOVERED_WINDOW)
    )
    return {
        "running": [describe_execution(run, now) for run in running],
        "stuck_pending": [describe_execution(run, now) for run in stuck_pending.order_by("created_at")[:LIST_LIMIT]],
        "waiting": [describe_execution(run, now) for run in waiting],
        "recovered": [describe_execution(run, now) for run in recovered.order_by("-created_at")[:LIST_LIMIT]],
    }


def is_stuck(execution: Execution, now: datetime) -> bool:
    """A zombie (its worker stopped renewing the lease) or a pending run nobody picked up."""
    if execution.status == ExecutionStatus.RUNNING:
        return execution.lease_expires_at is None or execution.lease_expires_at < now
    if execution.status == ExecutionStatus.PENDING:
        return execution.created_at < now - PENDING_STUCK_AFTER
    return False


def describe_execution(execution: Execution, now: datetime) -> dict[str, Any]:
    waiting_for = execution.waiting_for or {}
    return {
        "id": execution.id,
        "workflow_id": execution.workflow_id,
        "workflow_name": execution.workflow.name,
        "project_id": execution.project_id,
        "project_name": execution.project.name,
        "status": execution.status,
        "stuck": is_stuck(execution, now),
        "created_at": execution.created_at,
        "started_at": execution.started_at,
        "completed_at": execution.completed_at,
        "lease_owner": execution.lease_owner,
        "lease_expires_at": execution.lease_expires_at,
        "resume_at": execution.resume_at,
        "waiting_for": {key: waiting_for[key] for key in WAITING_FOR_KEYS if key in waiting_for} or None,
        "recovered_count": execution.recovered_count,
        "cancel_requested": execution.cancel_requested,
    }
