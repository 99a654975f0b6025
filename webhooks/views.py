"""Pages: webhook subscriptions (the secret shown once) and each one's delivery history."""

from __future__ import annotations

from django.contrib import messages
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_POST

from accounts.models import Role
from accounts.services import ConflictError
from accounts.views import with_membership
from webhooks import services
from webhooks.forms import WebhookForm
from webhooks.models import Delivery, WebhookSubscription

DELIVERIES_SHOWN = 50


def _org_subscription(membership, webhook_id: str) -> WebhookSubscription:
    return get_object_or_404(
        WebhookSubscription.objects.select_related("project"),
        pk=webhook_id,
        project__organization=membership.organization,
    )


@with_membership()
def webhooks_page(request, membership):
    organization = membership.organization
    can_edit = Role.rank(membership.role) >= Role.rank(Role.EDITOR)
    form = WebhookForm(request.POST or None)
    new_secret = None
    if request.method == "POST" and can_edit and form.is_valid():
        created = services.create_subscription(organization.default_project, actor=request.user, **form.cleaned_data)
        new_secret = created.secret
        form = WebhookForm()
    subscriptions = WebhookSubscription.objects.filter(project__organization=organization)
    context = {"form": form, "subscriptions": subscriptions, "new_secret": new_secret, "can_edit": can_edit}
    return render(request, "webhooks/webhooks.html", context)


@with_membership()
def webhook_detail_page(request, membership, webhook_id: str):
    subscription = _org_subscription(membership, webhook_id)
    deliveries = subscription.deliveries.prefetch_related("attempts")[:DELIVERIES_SHOWN]
    context = {
        "subscription": subscription,
        "deliveries": deliveries,
        "can_edit": Role.rank(membership.role) >= Role.rank(Role.EDITOR),
    }
    return render(request, "webhooks/webhook_detail.html", context)


@require_POST
@with_membership(Role.EDITOR)
def toggle_webhook_page(request, membership, webhook_id: str):
    subscription = _org_subscription(membership, webhook_id)
    enabled = not subscription.enabled
    services.update_subscription(subscription, changes={"enabled": enabled}, actor=request.user)
    messages.success(request, "Webhook resumed." if enabled else "Webhook paused; nothing is sent until resumed.")
    return redirect("webhook-page", webhook_id=subscription.id)


@require_POST
@with_membership(Role.EDITOR)
def test_webhook_page(request, membership, webhook_id: str):
    subscription = _org_subscription(membership, webhook_id)
    try:
        services.send_test_event(subscription, actor=request.user)
        messages.success(request, "Test event queued; refresh to see the attempt.")
    except ConflictError as error:
        messages.error(request, str(error))
    return redirect("webhook-page", webhook_id=subscription.id)


@require_POST
@with_membership(Role.EDITOR)
def retry_delivery_page(request, membership, webhook_id: str, delivery_id: str):
    subscription = _org_subscription(membership, webhook_id)
    delivery = get_object_or_404(Delivery, pk=delivery_id, subscription=subscription)
    try:
        services.retry_delivery(delivery, actor=request.user)
        messages.success(request, "Delivery queued again.")
    except ConflictError as error:
        messages.error(request, str(error))
    return redirect("webhook-page", webhook_id=subscription.id)


@require_POST
@with_membership(Role.EDITOR)
def delete_webhook_page(request, membership, webhook_id: str):
    subscription = _org_subscription(membership, webhook_id)
    services.delete_subscription(subscription, actor=request.user)
    messages.success(request, "Webhook deleted.")
    return redirect("webhooks")
