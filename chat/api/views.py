"""Channels and conversations. Thin: parse, authorize, call chat.services, shape."""

from __future__ import annotations

from drf_spectacular.utils import extend_schema
from rest_framework import generics, status
from rest_framework.response import Response
from rest_framework.views import APIView

from chat import services
from chat.adapters import SettingsInvalid
from chat.api import serializers
from chat.api.filters import ChannelFilter, ConversationFilter
from chat.models import Channel, Conversation
from flowbuilder.api.exceptions import ApiError
from flowbuilder.api.views import ScopedQuerysetMixin


def _channels(access):
    return Channel.objects.filter(project=access.project).select_related("project")


def _settings_error(error: SettingsInvalid) -> ApiError:
    key = next(iter(error.errors))
    return ApiError(400, "VALIDATION_ERROR", str(error), field=f"settings.{key}", details={"settings": error.errors})


def _fields(project, data: dict) -> dict:
    """The serializer's fields as chat.services takes them (a workflow id becomes the workflow)."""
    fields = dict(data)
    if "default_workflow_id" in fields:
        try:
            fields["default_workflow"] = services.project_workflow(project, fields.pop("default_workflow_id"))
        except LookupError as error:
            raise ApiError(400, "VALIDATION_ERROR", str(error), field="default_workflow_id") from None
    return fields


class ChannelListCreateView(ScopedQuerysetMixin, generics.ListAPIView):
    """List the project's chat channels, or create one (its signing secret, for generic, is shown once)."""

    serializer_class = serializers.ChannelSerializer
    queryset = Channel.objects.none()
    filterset_class = ChannelFilter
    schema_errors = {"POST": {409: "CONFLICT: a channel of that name exists in the project."}}

    def scoped_queryset(self, access):
        return _channels(access)

    @extend_schema(request=serializers.ChannelWriteSerializer, responses={201: serializers.ChannelCreatedSerializer})
    def post(self, request):
        payload = serializers.ChannelWriteSerializer(data=request.data)
        payload.is_valid(raise_exception=True)
        access = request.access
        fields = _fields(access.project, payload.validated_data)
        try:
            created = services.create_channel(access.project, actor=access.actor, api_key=access.api_key, **fields)
        except SettingsInvalid as error:
            raise _settings_error(error) from None
        except services.NameTaken as error:
            raise ApiError(409, "CONFLICT", str(error)) from None
        created.channel.signing_secret = created.signing_secret
        body = serializers.ChannelCreatedSerializer(created.channel, context={"request": request}).data
        return Response(body, status=status.HTTP_201_CREATED)


class ChannelDetailView(ScopedQuerysetMixin, generics.RetrieveDestroyAPIView):
    """Show, change (partially) or delete a channel; `active: false` stops it taking messages."""

    serializer_class = serializers.ChannelSerializer
    queryset = Channel.objects.none()
    http_method_names = ["get", "patch", "delete", "head", "options"]
    schema_errors = {"PATCH": {409: "CONFLICT: a channel of that name exists in the project."}}

    def scoped_queryset(self, access):
        return _channels(access)

    @extend_schema(request=serializers.ChannelWriteSerializer, responses={200: serializers.ChannelSerializer})
    def patch(self, request, *args, **kwargs):
        channel = self.get_object()
        payload = serializers.ChannelWriteSerializer(data=request.data, partial=True)
        payload.is_valid(raise_exception=True)
        try:
            channel = services.update_channel(
                channel, changes=_fields(channel.project, payload.validated_data),
                actor=request.access.actor, api_key=request.access.api_key,
            )  # fmt: skip
        except SettingsInvalid as error:
            raise _settings_error(error) from None
        except services.NameTaken as error:
            raise ApiError(409, "CONFLICT", str(error)) from None
        return Response(serializers.ChannelSerializer(channel, context={"request": request}).data)

    def perform_destroy(self, instance):
        services.delete_channel(instance, actor=self.request.access.actor, api_key=self.request.access.api_key)


class ChannelMetricsView(APIView):
    """Counts for one channel: conversations, messages in and out, runs started."""

    @extend_schema(responses={200: serializers.ChannelMetricsSerializer})
    def get(self, request, pk: str):
        channel = generics.get_object_or_404(_channels(request.access), pk=pk)
        return Response(services.channel_metrics([channel])[channel.id])


class ConversationListView(ScopedQuerysetMixin, generics.ListAPIView):
    """The project's conversations, newest first; filter by channel, customer and status."""

    serializer_class = serializers.ConversationSerializer
    queryset = Conversation.objects.none()
    filterset_class = ConversationFilter

    def scoped_queryset(self, access):
        return Conversation.objects.filter(project=access.project)


class ConversationDetailView(ScopedQuerysetMixin, generics.RetrieveAPIView):
    """One conversation with its messages, oldest first, each with the run it belongs to."""

    serializer_class = serializers.ConversationDetailSerializer
    queryset = Conversation.objects.none()

    def scoped_queryset(self, access):
        return Conversation.objects.filter(project=access.project).prefetch_related("messages")
