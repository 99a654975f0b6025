"""The delivery sweep: the database, not Redis, decides what still has to be sent.

A delivery row is written in the transaction that makes its event true (a run's end, a
submission) and its job is queued after the commit. Three ways lose the job and leave the
row `pending` forever; `run_scheduler` calls `sweep_deliveries` to repair each of them:

- the process died between the commit and the enqueue, or Redis lost the queued job;
- a retry's scheduled job was lost from Redis (a flush, a failover);
- a worker claimed an attempt and died while sending it (the claim stays, no answer is
  recorded): that attempt is recorded as failed and the next one is queued now.

Each job is queued once: a job that is still queued (or started within the claim timeout)
is left alone, and a Redis `SET NX` marker per (delivery, attempt) keeps two scheduler
processes, or two passes, from queueing the same attempt twice. A job that runs anyway
sends nothing: the attempt's claim only succeeds once.
"""

from __future__ import annotations

import datetime as dt
import logging
from functools import partial

from django.db import transaction
from django.utils import timezone
from rq.job import JobStatus

from flowbuilder.redis import get_queue
from webhooks.delivery import MAX_ATTEMPTS, finish_delivery
from webhooks.models import Delivery, DeliveryAttempt, DeliveryStatus
from webhooks.services import QUEUE_NAME, attempt_job_id, enqueue_attempt

logger = logging.getLogger(__name__)

# A due attempt whose job has not claimed it this long after its time has lost its job.
LOST_JOB_GRACE = dt.timedelta(seconds=60)
# An attempt's job is killed after 60 s (its job_timeout); a claim older than this is dead.
CLAIM_TIMEOUT = dt.timedelta(seconds=120)
SWEEP_EVERY_SECONDS = 10
# How long one sweep's enqueue of an attempt stands before another sweep may try again.
MARKER_TTL_SECONDS = 600
ABANDONED_MESSAGE = "The worker sending this attempt stopped before it recorded an answer; sending again."


def sweep_deliveries(*, now: dt.datetime | None = None, limit: int = 100) -> int:
    """Queue every pending delivery whose job was lost; returns how many were queued."""
    now = now or timezone.now()
    return requeue_lost_jobs(now, limit) + resend_abandoned_claims(now, limit)


def requeue_lost_jobs(now: dt.datetime, limit: int) -> int:
    """Due long ago, never claimed: its job (first send, retry or manual retry) is gone."""
    lost = Delivery.objects.filter(
        status=DeliveryStatus.PENDING, claimed_at=None, next_attempt_at__lt=now - LOST_JOB_GRACE
    ).values_list("id", "attempt_count")[:limit]
    return sum(enqueue_once(delivery_id, attempts + 1) for delivery_id, attempts in lost)


def resend_abandoned_claims(now: dt.datetime, limit: int) -> int:
    """Claimed long ago and never recorded: the worker died sending. Record it failed, go on."""
    taken = 0
    with transaction.atomic():
        abandoned = Delivery.objects.select_for_update(skip_locked=True).filter(
            status=DeliveryStatus.PENDING, claimed_at__lt=now - CLAIM_TIMEOUT
        )[:limit]
        for delivery in abandoned:
            record_abandoned_attempt(delivery, now)
            taken += 1
    return taken


def record_abandoned_attempt(delivery: Delivery, now: dt.datetime) -> None:
    number = delivery.attempt_count
    DeliveryAttempt.objects.get_or_create(
        delivery=delivery,
        number=number,
        defaults={"error": ABANDONED_MESSAGE, "started_at": delivery.claimed_at, "finished_at": now},
    )
    logger.warning("delivery %s attempt %s was abandoned by its worker", delivery.id, number)
    if number >= MAX_ATTEMPTS:
        finish_delivery(delivery, DeliveryStatus.FAILED, ABANDONED_MESSAGE)
        return
    delivery.claimed_at = None
    delivery.next_attempt_at = now
    delivery.last_error = ABANDONED_MESSAGE
    delivery.save(update_fields=["claimed_at", "next_attempt_at", "last_error"])
    transaction.on_commit(partial(enqueue_once, delivery.id, number + 1))


def enqueue_once(delivery_id: str, number: int) -> bool:
    """Queue attempt `number` unless its job is alive or a sweep queued it lately."""
    queue = get_queue(QUEUE_NAME)
    job_id = attempt_job_id(delivery_id, number)
    if job_is_alive(queue.fetch_job(job_id)):
        return False
    if not queue.connection.set(f"webhooks:swept:{job_id}", 1, nx=True, ex=MARKER_TTL_SECONDS):
        return False
    enqueue_attempt(delivery_id, number)
    logger.warning("delivery %s attempt %s had lost its job; queued it again", delivery_id, number)
    return True


def job_is_alive(job) -> bool:
    """Waiting in a queue, or running for less than the claim timeout (a dead worker's job is not)."""
    if job is None:
        return False
    status = job.get_status(refresh=False)
    if status in (JobStatus.QUEUED, JobStatus.DEFERRED):
        return True
    if status == JobStatus.STARTED and job.started_at is not None:
        started_at = job.started_at if job.started_at.tzinfo else job.started_at.replace(tzinfo=dt.UTC)
        return timezone.now() - started_at < CLAIM_TIMEOUT
    return False
