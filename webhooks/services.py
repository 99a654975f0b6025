"""Webhook actions: subscriptions, emitting events, manual retries and test events.

Each action writes its rows in one transaction and queues the sending after commit, so a
worker never looks for a delivery that is not stored yet.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any

from django.core.serializers.json import DjangoJSONEncoder
from django.db import transaction
from django.utils import timezone

from accounts.models import ApiKey, Project
from accounts.services import ConflictError, record_audit
from flowbuilder.compiled_query import CompiledQuery
from flowbuilder.ids import new_id
from flowbuilder.redis import get_queue
from flowbuilder.revisions import locked_row
from webhooks.models import TEST_EVENT, Delivery, DeliveryStatus, WebhookSubscription
from webhooks.signing import generate_secret

QUEUE_NAME = "webhooks"
JOB = "webhooks.jobs.deliver_webhook"
PAUSED_MESSAGE = "Not sent: the subscription was paused."


@dataclass(frozen=True)
class CreatedSubscription:
    subscription: WebhookSubscription
    secret: str


def create_subscription(
    project: Project,
    *,
    url: str,
    events: Iterable[str],
    description: str = "",
    enabled: bool = True,
    secret: str | None = None,
    actor=None,
    api_key: ApiKey | None = None,
) -> CreatedSubscription:
    secret = secret or generate_secret()  # a caller's own secret was checked by signing.secret_problem
    with transaction.atomic():
        subscription = WebhookSubscription(
            project=project,
            url=url,
            events=sorted(set(events)),
            description=description,
            enabled=enabled,
            created_by=actor,
        )
        subscription.seal({"secret": secret})
        subscription.save()
        record_audit(
            project.organization,
            "webhook.created",
            actor=actor,
            api_key=api_key,
            project=project,
            target=subscription,
            details={"url": url, "events": subscription.events},
        )
    return CreatedSubscription(subscription=subscription, secret=secret)


def _with_project():
    return WebhookSubscription.objects.select_related("project__organization")


def update_subscription(
    subscription: WebhookSubscription,
    *,
    changes: Mapping[str, Any],
    expected_revisions=None,
    actor=None,
    api_key: ApiKey | None = None,
) -> WebhookSubscription:
    """Change url, events, description or enabled.

    Pausing also gives up the deliveries still waiting for a retry, so resuming never
    replays what happened while paused (a manual retry still can). `expected_revisions` (from
    If-Match) makes it conditional: StaleRevision when the row moved on.
    """
    with transaction.atomic():
        subscription = locked_row(_with_project(), subscription.pk, expected_revisions)
        was_enabled = subscription.enabled
        for name in ("url", "description", "enabled"):
            if name in changes:
                setattr(subscription, name, changes[name])
        if "events" in changes:
            subscription.events = sorted(set(changes["events"]))
        subscription.save()
        if was_enabled and not subscription.enabled:
            subscription.deliveries.filter(status=DeliveryStatus.PENDING).update(
                status=DeliveryStatus.FAILED,
                last_error=PAUSED_MESSAGE,
                next_attempt_at=None,
                completed_at=timezone.now(),
            )
        record_audit(
            subscription.project.organization,
            "webhook.updated",
            actor=actor,
            api_key=api_key,
            project=subscription.project,
            target=subscription,
            details={"changed": sorted(changes)},
        )
    return subscription


def delete_subscription(
    subscription: WebhookSubscription, *, expected_revisions=None, actor=None, api_key: ApiKey | None = None
):
    with transaction.atomic():
        subscription = locked_row(_with_project(), subscription.pk, expected_revisions)
        record_audit(
            subscription.project.organization,
            "webhook.deleted",
            actor=actor,
            api_key=api_key,
            project=subscription.project,
            target=subscription,
            details={"url": subscription.url},
        )
        subscription.delete()


# Asked at the end of every run (webhooks.receivers): its SQL is built once per process.
ENABLED_SUBSCRIPTIONS = CompiledQuery(
    lambda project_id: WebhookSubscription.objects.filter(project_id=project_id, enabled=True)
)


def emit_event(project: Project, event_type: str, payload: Mapping[str, Any]) -> list[Delivery]:
    """One delivery per enabled subscription of the project listening to `event_type`.

    Call it inside the transaction that makes the event true: the deliveries commit with
    it and are queued only once it commits.
    """
    # Filtered in Python: JSON containment lookups do not exist on SQLite (embedded mode),
    # and a project has few subscriptions.
    subscriptions = [
        subscription for subscription in ENABLED_SUBSCRIPTIONS.all(project.pk) if subscription.listens_to(event_type)
    ]
    if not subscriptions:
        return []
    with transaction.atomic():
        return [_create_delivery(subscription, event_type, payload) for subscription in subscriptions]


def send_test_event(subscription: WebhookSubscription, *, actor=None, api_key: ApiKey | None = None) -> Delivery:
    if not subscription.enabled:
        raise ConflictError("The subscription is paused; resume it to send a test event.")
    payload = {"message": "A test event from Flowbuilder.", "webhook_id": subscription.id}
    with transaction.atomic():
        delivery = _create_delivery(subscription, TEST_EVENT, payload)
        record_audit(
            subscription.project.organization,
            "webhook.test_sent",
            actor=actor,
            api_key=api_key,
            project=subscription.project,
            target=subscription,
            details={"delivery": delivery.id},
        )
    return delivery


def retry_delivery(delivery: Delivery, *, actor=None, api_key: ApiKey | None = None) -> Delivery:
    """Send a finished delivery once more, now (same id and body, so receivers can de-duplicate)."""
    with transaction.atomic():
        delivery = Delivery.objects.select_for_update().select_related("subscription__project").get(pk=delivery.pk)
        if delivery.status == DeliveryStatus.PENDING:
            raise ConflictError("This delivery is still being sent; wait for it to finish.")
        if not delivery.subscription.enabled:
            raise ConflictError("The subscription is paused; resume it to retry deliveries.")
        delivery.status = DeliveryStatus.PENDING
        delivery.completed_at = None
        delivery.last_error = ""
        delivery.next_attempt_at = timezone.now()
        delivery.save(update_fields=["status", "completed_at", "last_error", "next_attempt_at"])
        record_audit(
            delivery.subscription.project.organization,
            "webhook.delivery_retried",
            actor=actor,
            api_key=api_key,
            project=delivery.subscription.project,
            target=delivery,
        )
        number = delivery.attempt_count + 1
        transaction.on_commit(lambda: enqueue_attempt(delivery.id, number, automatic_retries=False))
    return delivery


def enqueue_attempt(delivery_id: str, number: int, *, automatic_retries: bool = True, at=None) -> None:
    """Queue attempt `number` of a delivery, now or at `at` (RQ's scheduler holds it until then)."""
    queue = get_queue(QUEUE_NAME)
    arguments = (JOB, delivery_id, number, automatic_retries)
    options = {"job_id": attempt_job_id(delivery_id, number), "job_timeout": 60}
    if at is None:
        queue.enqueue(*arguments, **options)
    else:
        queue.enqueue_at(at, *arguments, **options)


def attempt_job_id(delivery_id: str, number: int) -> str:
    return f"{delivery_id}-{number}"


def _create_delivery(subscription: WebhookSubscription, event_type: str, payload: Mapping[str, Any]):
    delivery_id = new_id("dlv")
    envelope = {
        "id": delivery_id,
        "type": event_type,
        "timestamp": timezone.now().isoformat(),
        "data": payload,
    }
    delivery = Delivery.objects.create(
        id=delivery_id,
        subscription=subscription,
        event_type=event_type,
        body=json.dumps(envelope, cls=DjangoJSONEncoder, separators=(",", ":")),
        next_attempt_at=timezone.now(),
    )
    transaction.on_commit(lambda: enqueue_attempt(delivery.id, 1))
    return delivery
