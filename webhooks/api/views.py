"""Outbound webhook subscriptions and their deliveries. Thin: parse, authorize, call, shape."""

from __future__ import annotations

from django.shortcuts import get_object_or_404
from drf_spectacular.utils import extend_schema
from rest_framework import generics, status
from rest_framework.exceptions import NotFound
from rest_framework.response import Response
from rest_framework.views import APIView

from accounts.services import ConflictError
from flowbuilder.api.exceptions import ApiError
from flowbuilder.api.preconditions import (
    etag_read_schema,
    etag_write_schema,
    expected_revisions,
    not_modified,
    revision_write,
    with_etag,
)
from flowbuilder.api.views import ScopedQuerysetMixin
from webhooks import services
from webhooks.api import serializers
from webhooks.api.filters import DeliveryFilter, WebhookFilter
from webhooks.models import Delivery, WebhookSubscription


def _subscriptions(access):
    return WebhookSubscription.objects.filter(project=access.project)


def _conflict(error: ConflictError) -> ApiError:
    return ApiError(409, "CONFLICT", str(error))


class WebhookListCreateView(ScopedQuerysetMixin, generics.ListAPIView):
    """List the project's outbound webhooks, or subscribe one (the secret is shown once)."""

    serializer_class = serializers.WebhookSerializer
    queryset = WebhookSubscription.objects.none()
    filterset_class = WebhookFilter

    def scoped_queryset(self, access):
        return _subscriptions(access)

    @extend_schema(request=serializers.WebhookWriteSerializer, responses={201: serializers.WebhookCreatedSerializer})
    def post(self, request):
        payload = serializers.WebhookWriteSerializer(data=request.data)
        payload.is_valid(raise_exception=True)
        access = request.access
        created = services.create_subscription(
            access.project, actor=access.actor, api_key=access.api_key, **payload.validated_data
        )
        created.subscription.secret = created.secret
        body = serializers.WebhookCreatedSerializer(created.subscription).data
        return with_etag(Response(body, status=status.HTTP_201_CREATED), created.subscription)


def _respond(subscription: WebhookSubscription) -> Response:
    return with_etag(Response(serializers.WebhookSerializer(subscription).data), subscription)


class WebhookDetailView(ScopedQuerysetMixin, generics.RetrieveUpdateDestroyAPIView):
    """Show, change (partially), pause (`enabled: false`) or delete a webhook."""

    serializer_class = serializers.WebhookSerializer
    queryset = WebhookSubscription.objects.none()
    http_method_names = ["get", "patch", "delete", "head", "options"]

    def scoped_queryset(self, access):
        return _subscriptions(access)

    @extend_schema(**etag_read_schema(serializers.WebhookSerializer))
    def get(self, request, *args, **kwargs):
        subscription = self.get_object()
        return not_modified(request, subscription) or _respond(subscription)

    @extend_schema(**etag_write_schema(serializers.WebhookSerializer, request=serializers.WebhookWriteSerializer))
    def patch(self, request, *args, **kwargs):
        subscription = self.get_object()
        expected = expected_revisions(request, subscription)
        payload = serializers.WebhookWriteSerializer(data=request.data, partial=True)
        payload.is_valid(raise_exception=True)
        with revision_write(NotFound()):
            subscription = services.update_subscription(
                subscription,
                changes=payload.validated_data,
                expected_revisions=expected,
                actor=request.access.actor,
                api_key=request.access.api_key,
            )
            return _respond(subscription)

    @extend_schema(**etag_write_schema())
    def delete(self, request, *args, **kwargs):
        subscription = self.get_object()
        expected = expected_revisions(request, subscription)
        with revision_write(NotFound()):
            services.delete_subscription(
                subscription, expected_revisions=expected, actor=request.access.actor, api_key=request.access.api_key
            )
        return Response(status=status.HTTP_204_NO_CONTENT)


class WebhookTestView(APIView):
    """Send a `webhook.test` event to this subscription only."""

    schema_errors = {"POST": {409: "CONFLICT: the subscription is paused."}}

    @extend_schema(request=None, responses={202: serializers.DeliverySerializer})
    def post(self, request, pk: str):
        subscription = get_object_or_404(_subscriptions(request.access), pk=pk)
        try:
            delivery = services.send_test_event(
                subscription, actor=request.access.actor, api_key=request.access.api_key
            )
        except ConflictError as error:
            raise _conflict(error) from None
        return Response(serializers.DeliverySerializer(delivery).data, status=status.HTTP_202_ACCEPTED)


class DeliveryListView(generics.ListAPIView):
    """The deliveries of one webhook, newest first, each with its attempts."""

    serializer_class = serializers.DeliverySerializer
    queryset = Delivery.objects.none()
    filterset_class = DeliveryFilter

    def get_queryset(self):
        if getattr(self, "swagger_fake_view", False):
            return self.queryset
        subscription = get_object_or_404(_subscriptions(self.request.access), pk=self.kwargs["pk"])
        return subscription.deliveries.prefetch_related("attempts")


class DeliveryRetryView(APIView):
    """Send a finished delivery again now (same id and body)."""

    schema_errors = {"POST": {409: "CONFLICT: the delivery is still being sent, or the subscription is paused."}}

    @extend_schema(request=None, responses={202: serializers.DeliverySerializer})
    def post(self, request, pk: str, delivery_id: str):
        delivery = get_object_or_404(
            Delivery.objects.filter(subscription__in=_subscriptions(request.access), subscription_id=pk),
            pk=delivery_id,
        )
        try:
            delivery = services.retry_delivery(delivery, actor=request.access.actor, api_key=request.access.api_key)
        except ConflictError as error:
            raise _conflict(error) from None
        return Response(serializers.DeliverySerializer(delivery).data, status=status.HTTP_202_ACCEPTED)
