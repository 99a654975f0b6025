"""API keys, members, projects, usage and the audit log. Thin: parse, authorize, call, shape."""

from __future__ import annotations

import datetime as dt

from django.conf import settings
from django.db.models import Sum
from django.shortcuts import get_object_or_404
from django.utils import timezone
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema, extend_schema_view
from rest_framework import generics, status
from rest_framework.exceptions import ValidationError
from rest_framework.response import Response
from rest_framework.views import APIView

from accounts import billing, services
from accounts.api import serializers
from accounts.api.filters import AuditEventFilter
from accounts.models import ApiKey, AuditEvent, Membership, Project, Role, UsageCounter
from accounts.tickets import issue_ws_ticket
from accounts.usage import flush_usage
from flowbuilder.api.exceptions import ApiError
from flowbuilder.api.views import ScopedQuerysetMixin


class ApiKeyListCreateView(ScopedQuerysetMixin, generics.ListAPIView):
    """List the organization's API keys, or create one (the key is shown once)."""

    serializer_class = serializers.ApiKeySerializer
    required_role = Role.ADMIN
    queryset = ApiKey.objects.none()

    def scoped_queryset(self, access):
        return ApiKey.objects.filter(organization=access.organization).select_related("created_by")

    @extend_schema(
        request=serializers.ApiKeyCreateSerializer, responses={201: serializers.ApiKeyCreatedSerializer}
    )
    def post(self, request):
        payload = serializers.ApiKeyCreateSerializer(data=request.data)
        payload.is_valid(raise_exception=True)
        access = request.access
        created = services.create_api_key(
            access.organization,
            created_by=access.actor,
            acting_key=access.api_key,
            **payload.validated_data,
        )
        created.api_key.key = created.plaintext
        body = serializers.ApiKeyCreatedSerializer(created.api_key).data
        return Response(body, status=status.HTTP_201_CREATED)


@extend_schema_view(
    delete=extend_schema(
        responses={200: serializers.ApiKeySerializer},
        description="Revoke the key (it stops working at once); answers the revoked key.",
    )
)
class ApiKeyDetailView(ScopedQuerysetMixin, generics.RetrieveDestroyAPIView):
    """Show or revoke one API key. Revoking keeps the row for the audit trail."""

    serializer_class = serializers.ApiKeySerializer
    required_role = Role.ADMIN
    queryset = ApiKey.objects.none()

    def scoped_queryset(self, access):
        return ApiKey.objects.filter(organization=access.organization)

    def destroy(self, request, *args, **kwargs):
        api_key = services.revoke_api_key(
            self.get_object(), actor=request.access.actor, acting_key=request.access.api_key
        )
        return Response(serializers.ApiKeySerializer(api_key).data)


class MemberListView(ScopedQuerysetMixin, generics.ListAPIView):
    serializer_class = serializers.MemberSerializer
    queryset = Membership.objects.none()

    def scoped_queryset(self, access):
        return Membership.objects.filter(organization=access.organization).select_related("user")


class MemberDetailView(APIView):
    """Show a member; admins change their role or remove them."""

    required_role = {"GET": Role.VIEWER, "PATCH": Role.ADMIN, "DELETE": Role.ADMIN}
    schema_errors = {
        "PATCH": {409: "CONFLICT: the organization's last admin keeps the admin role."},
        "DELETE": {409: "CONFLICT: the organization's last admin cannot be removed."},
    }

    def get_membership(self, request, member_id: str) -> Membership:
        return get_object_or_404(
            Membership.objects.select_related("user"),
            pk=member_id,
            organization=request.access.organization,
        )

    @extend_schema(responses=serializers.MemberSerializer)
    def get(self, request, member_id: str):
        return Response(serializers.MemberSerializer(self.get_membership(request, member_id)).data)

    @extend_schema(request=serializers.MemberRoleSerializer, responses=serializers.MemberSerializer)
    def patch(self, request, member_id: str):
        membership = self.get_membership(request, member_id)
        # A partial update like every PATCH: `{}` changes nothing and answers the member.
        payload = serializers.MemberRoleSerializer(data=request.data, partial=True)
        payload.is_valid(raise_exception=True)
        if "role" in payload.validated_data:
            try:
                membership = services.change_member_role(
                    membership,
                    role=payload.validated_data["role"],
                    actor=request.access.actor,
                    acting_key=request.access.api_key,
                )
            except services.ConflictError as error:
                raise ApiError(409, "CONFLICT", str(error)) from None
        return Response(serializers.MemberSerializer(membership).data)

    @extend_schema(
        responses={204: None},
        description="Remove a member: their API keys in this organization are revoked and their "
        "sessions end. The last admin cannot be removed (409 CONFLICT).",
    )
    def delete(self, request, member_id: str):
        membership = self.get_membership(request, member_id)
        try:
            services.remove_member(membership, actor=request.access.actor, acting_key=request.access.api_key)
        except services.ConflictError as error:
            raise ApiError(409, "CONFLICT", str(error)) from None
        return Response(status=status.HTTP_204_NO_CONTENT)


class WsTicketView(APIView):
    """A single-use ticket for opening a WebSocket without putting an API key in the URL."""

    @extend_schema(
        request=None,
        responses={201: serializers.WsTicketSerializer},
        description="Valid for 60 s and one connection: `wss://…/ws/executions/{id}/?ticket=<ticket>`, "
        "or the subprotocols `flowbuilder, flowbuilder.ticket.<ticket>` (Sec-WebSocket-Protocol).",
    )
    def post(self, request):
        access = request.access
        issued = issue_ws_ticket(organization_id=access.organization.id, api_key=access.api_key, user=access.user)
        body = {"ticket": issued.ticket, "expires_in": issued.expires_in}
        return Response(serializers.WsTicketSerializer(body).data, status=status.HTTP_201_CREATED)


class ProjectListView(ScopedQuerysetMixin, generics.ListAPIView):
    serializer_class = serializers.ProjectSerializer
    queryset = Project.objects.none()

    def scoped_queryset(self, access):
        return access.organization.projects.all()


def _date_param(request, name: str, default: dt.date) -> dt.date:
    raw = request.query_params.get(name)
    if raw is None:
        return default
    try:
        if len(raw) != 10:
            raise ValueError(raw)
        return dt.date.fromisoformat(raw)
    except ValueError:
        raise ValidationError({name: [f"{name} must be a date like 2026-01-31."]}) from None


class UsageView(APIView):
    """Usage of the organization per day and in total; defaults to this month so far."""

    @extend_schema(
        parameters=[
            OpenApiParameter(
                "start_date",
                OpenApiTypes.DATE,
                description="First day (default: the 1st of end_date's month). Must not be after end_date "
                "(400 VALIDATION_ERROR naming start_date).",
            ),
            OpenApiParameter("end_date", OpenApiTypes.DATE, description="Last day, inclusive (default: today)."),
        ],
        description="Usage per day and in total over start_date..end_date. A start_date after end_date is "
        "a 400 (VALIDATION_ERROR, field start_date): a rule between two parameters that JSON Schema "
        "cannot state.",
        responses=serializers.UsageSerializer,
    )
    def get(self, request):
        end = _date_param(request, "end_date", timezone.now().date())
        start = _date_param(request, "start_date", end.replace(day=1))
        if start > end:
            raise ValidationError({"start_date": ["start_date must not be after end_date."]})
        return Response(serializers.UsageSerializer(usage_report(request.access.organization, start, end)).data)


def usage_report(organization, start: dt.date, end: dt.date) -> dict:
    """An organization's usage over start..end (inclusive): totals, limits, days, AI tokens and cost."""
    flush_usage(organization.id)  # counts still in Redis first: the answer is exact
    days = UsageCounter.objects.filter(organization=organization, date__range=(start, end))
    fields = ["api_calls", "executions", "steps", "ai_tokens", "test_executions", "editor_calls"]
    totals = days.aggregate(**{field: Sum(field) for field in fields})
    per_minute, per_day = settings.RATE_LIMITS.get(organization.plan, settings.RATE_LIMITS["free"])
    models = billing.by_model(organization, start, end)
    return {
        "ai_tokens_by_model": [{**row, "estimated_cost_usd": row["estimated_cost"]} for row in models],
        "ai_tokens_by_workflow": [
            {**row, "estimated_cost_usd": row["estimated_cost"]}
            for row in billing.by_workflow(organization, start, end)
        ],
        "estimated_ai_cost_usd": billing.cost_summary(models)["estimated_cost"],
        "organization_id": organization.id,
        "plan": organization.plan,
        "start_date": start,
        "end_date": end,
        "totals": {field: totals[field] or 0 for field in fields},
        "limits": {"requests_per_minute": per_minute, "requests_per_day": per_day},
        "days": days,
    }


class AuditLogView(ScopedQuerysetMixin, generics.ListAPIView):
    """Who did what, newest first. Filter with `action`, `actor`, `target_id`."""

    serializer_class = serializers.AuditEventSerializer
    required_role = Role.ADMIN
    queryset = AuditEvent.objects.none()

    filterset_class = AuditEventFilter

    def scoped_queryset(self, access):
        return AuditEvent.objects.filter(organization=access.organization)
