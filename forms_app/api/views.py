"""Forms and their submissions. Thin: parse, authorize, call, shape."""

from __future__ import annotations

import datetime as dt

from django.shortcuts import get_object_or_404
from django.utils import timezone
from django.utils.dateparse import parse_date, parse_datetime
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import generics, status
from rest_framework.response import Response

from accounts.services import ConflictError
from flowbuilder.api.envelope import EnvelopeJSONRenderer
from flowbuilder.api.exceptions import ApiError
from flowbuilder.api.views import ScopedQuerysetMixin
from forms_app import services
from forms_app.api import serializers
from forms_app.exports import csv_response
from forms_app.models import Form, Submission, SubmissionSource
from forms_app.validation import SubmissionInvalid


def _forms(access):
    return Form.objects.filter(project=access.project).prefetch_related("fields")


def _write_form(call):
    try:
        return call()
    except ConflictError as error:
        raise ApiError(409, "CONFLICT", str(error), field="slug") from None


class FormListCreateView(ScopedQuerysetMixin, generics.ListAPIView):
    """List the project's forms with their fields, or create one."""

    serializer_class = serializers.FormSerializer
    queryset = Form.objects.none()

    def scoped_queryset(self, access):
        return _forms(access)

    @extend_schema(request=serializers.FormWriteSerializer, responses={201: serializers.FormSerializer})
    def post(self, request):
        payload = serializers.FormWriteSerializer(data=request.data)
        payload.is_valid(raise_exception=True)
        access = request.access
        form = _write_form(
            lambda: services.create_form(
                access.project, actor=access.actor, api_key=access.api_key, **payload.validated_data
            )
        )
        return Response(serializers.FormSerializer(_forms(access).get(pk=form.pk)).data, status=201)


class FormDetailView(ScopedQuerysetMixin, generics.RetrieveUpdateDestroyAPIView):
    """Show, change (partially; `fields` replaces the list, ordered by `position`) or delete a form."""

    serializer_class = serializers.FormSerializer
    queryset = Form.objects.none()
    http_method_names = ["get", "patch", "delete", "head", "options"]

    def scoped_queryset(self, access):
        return _forms(access)

    @extend_schema(request=serializers.FormWriteSerializer, responses=serializers.FormSerializer)
    def patch(self, request, *args, **kwargs):
        form = self.get_object()
        payload = serializers.FormWriteSerializer(data=request.data, partial=True)
        payload.is_valid(raise_exception=True)
        changes = dict(payload.validated_data)
        fields = changes.pop("fields", None)
        access = request.access
        _write_form(
            lambda: services.update_form(
                form, changes=changes, fields=fields, actor=access.actor, api_key=access.api_key
            )
        )
        return Response(serializers.FormSerializer(_forms(access).get(pk=form.pk)).data)

    def destroy(self, request, *args, **kwargs):
        services.delete_form(self.get_object(), actor=request.access.actor, api_key=request.access.api_key)
        return Response(status=status.HTTP_204_NO_CONTENT)


def _moment(request, name: str, *, end_of_day: bool) -> dt.datetime | None:
    """The instant a `from` (inclusive) or `to` bound stands for; `to` is returned exclusive."""
    raw = request.query_params.get(name, "").strip()
    if not raw:
        return None
    is_bare_date = len(raw) == 10  # fromisoformat would read 2026-01-31 as its midnight
    try:
        moment, day = (None, parse_date(raw)) if is_bare_date else (parse_datetime(raw), None)
    except ValueError:
        moment = day = None
    if moment is not None and end_of_day:
        moment += dt.timedelta(microseconds=1)  # `to` includes its own instant
    elif moment is None and day is not None:
        # A bare date means the whole day: `to=2026-01-31` includes the 31st.
        moment = dt.datetime.combine(day + dt.timedelta(days=1 if end_of_day else 0), dt.time())
    if moment is None:
        raise ApiError(400, "VALIDATION_ERROR", f"{name} must be a date or a date-time (ISO 8601).", field=name)
    return moment if timezone.is_aware(moment) else timezone.make_aware(moment, dt.UTC)


@extend_schema(
    parameters=[
        OpenApiParameter("from", str, description="Submitted at or after (date or ISO date-time)."),
        OpenApiParameter("to", str, description="Submitted up to (a bare date includes that day)."),
        OpenApiParameter("format", str, enum=["json", "csv"], description="csv: every match as a CSV file."),
    ]
)
class SubmissionListCreateView(generics.ListAPIView):
    """A form's submissions (filter by date, export as CSV), or submit one."""

    serializer_class = serializers.SubmissionSerializer
    queryset = Submission.objects.none()

    def perform_content_negotiation(self, request, force=False):
        # `?format=csv` is an export, answered by list(); errors still come as JSON envelopes.
        if request.query_params.get("format") == "csv":
            return EnvelopeJSONRenderer(), EnvelopeJSONRenderer.media_type
        return super().perform_content_negotiation(request, force)

    def get_form(self) -> Form:
        return get_object_or_404(Form.objects.filter(project=self.request.access.project), pk=self.kwargs["pk"])

    def get_queryset(self):
        if getattr(self, "swagger_fake_view", False):
            return self.queryset
        submissions = self.form.submissions.all()
        start = _moment(self.request, "from", end_of_day=False)
        end = _moment(self.request, "to", end_of_day=True)
        if start is not None:
            submissions = submissions.filter(created_at__gte=start)
        if end is not None:
            submissions = submissions.filter(created_at__lt=end)
        return submissions

    def list(self, request, *args, **kwargs):
        self.form = self.get_form()
        if request.query_params.get("format") == "csv":
            return csv_response(self.form, self.get_queryset().order_by("created_at", "id").iterator())
        return super().list(request, *args, **kwargs)

    @extend_schema(request=serializers.SubmissionCreateSerializer, responses={201: serializers.SubmissionSerializer})
    def post(self, request, pk: str):
        form = self.get_form()
        payload = serializers.SubmissionCreateSerializer(data=request.data)
        payload.is_valid(raise_exception=True)
        try:
            submission = services.submit_form(
                form,
                payload.validated_data["data"],
                source=SubmissionSource.API,
                user_agent=request.headers.get("User-Agent", ""),
            )
        except SubmissionInvalid as invalid:
            key, message = next(iter(invalid.errors.items()))
            raise ApiError(
                400,
                "VALIDATION_ERROR",
                f"data.{key}: {message}",
                details={"errors": invalid.errors},
                field=f"data.{key}",
            ) from None
        except services.FormClosed as closed:
            raise ApiError(409, "CONFLICT", str(closed)) from None
        return Response(serializers.SubmissionSerializer(submission).data, status=status.HTTP_201_CREATED)
