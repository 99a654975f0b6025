"""Forms and their submissions. Thin: parse, authorize, call, shape."""

from __future__ import annotations

from django.shortcuts import get_object_or_404
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import generics, status
from rest_framework.exceptions import NotFound, ValidationError
from rest_framework.response import Response

from accounts.services import ConflictError
from flowbuilder.api.envelope import EnvelopeJSONRenderer
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
from forms_app import services
from forms_app.api import serializers
from forms_app.api.filters import FormFilter, SubmissionFilter
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
    filterset_class = FormFilter
    schema_errors = {"POST": {409: "CONFLICT: the slug is taken by another form (`field`: slug)."}}

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
        return _respond(_forms(access).get(pk=form.pk), status.HTTP_201_CREATED)


def _respond(form: Form, status_code: int = 200) -> Response:
    return with_etag(Response(serializers.FormSerializer(form).data, status=status_code), form)


class FormDetailView(ScopedQuerysetMixin, generics.RetrieveUpdateDestroyAPIView):
    """Show, change (partially; `fields` replaces the list, ordered by `position`) or delete a form."""

    serializer_class = serializers.FormSerializer
    queryset = Form.objects.none()
    http_method_names = ["get", "patch", "delete", "head", "options"]
    schema_errors = {"PATCH": {409: "CONFLICT: the slug is taken by another form (`field`: slug)."}}

    def scoped_queryset(self, access):
        return _forms(access)

    @extend_schema(**etag_read_schema(serializers.FormSerializer))
    def get(self, request, *args, **kwargs):
        form = self.get_object()
        return not_modified(request, form) or _respond(form)

    @extend_schema(**etag_write_schema(serializers.FormSerializer, request=serializers.FormWriteSerializer))
    def patch(self, request, *args, **kwargs):
        form = self.get_object()
        expected = expected_revisions(request, form)
        payload = serializers.FormWriteSerializer(data=request.data, partial=True)
        payload.is_valid(raise_exception=True)
        changes = dict(payload.validated_data)
        fields = changes.pop("fields", None)
        access = request.access
        with revision_write(NotFound()):
            _write_form(
                lambda: services.update_form(
                    form, changes=changes, fields=fields, expected_revisions=expected, actor=access.actor,
                    api_key=access.api_key,
                )  # fmt: skip
            )
            return _respond(_forms(access).get(pk=form.pk))

    @extend_schema(**etag_write_schema())
    def delete(self, request, *args, **kwargs):
        form = self.get_object()
        expected = expected_revisions(request, form)
        with revision_write(NotFound()):
            services.delete_form(
                form, expected_revisions=expected, actor=request.access.actor, api_key=request.access.api_key
            )
        return Response(status=status.HTTP_204_NO_CONTENT)


@extend_schema(
    parameters=[
        OpenApiParameter("format", str, enum=["json", "csv"], description="csv: every match as a CSV file."),
    ]
)
class SubmissionListCreateView(generics.ListAPIView):
    """A form's submissions (filter by date, export as CSV), or submit one."""

    serializer_class = serializers.SubmissionSerializer
    queryset = Submission.objects.none()
    filterset_class = SubmissionFilter
    schema_errors = {"POST": {409: "CONFLICT: the form is closed (is_active false) and takes no submissions."}}
    schema_other_content = {"GET": {"text/csv": "With ?format=csv: every matching submission, one row each."}}

    def perform_content_negotiation(self, request, force=False):
        # `?format=csv` is an export, answered by list(); errors still come as JSON envelopes.
        if request.query_params.get("format") == "csv":
            return EnvelopeJSONRenderer(), EnvelopeJSONRenderer.media_type
        return super().perform_content_negotiation(request, force)

    def initial(self, request, *args, **kwargs):
        super().initial(request, *args, **kwargs)
        # Like every query parameter (D12): one value, and only one the schema lists.
        formats = request.query_params.getlist("format")
        if formats and (len(formats) > 1 or formats[0] not in ("json", "csv")):
            raise ValidationError({"format": ["format is json or csv (once)."]})

    def get_form(self) -> Form:
        return get_object_or_404(Form.objects.filter(project=self.request.access.project), pk=self.kwargs["pk"])

    def get_queryset(self):
        if getattr(self, "swagger_fake_view", False):
            return self.queryset
        return self.form.submissions.all()

    def list(self, request, *args, **kwargs):
        self.form = self.get_form()
        if request.query_params.get("format") == "csv":
            submissions = self.filter_queryset(self.get_queryset()).order_by("created_at", "id")
            return csv_response(self.form, submissions.iterator())
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
