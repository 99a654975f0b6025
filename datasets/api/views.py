"""`/datasets`: upload, preview, list, rename, replace, append, rows, download, delete. Thin views."""

from __future__ import annotations

from django.http import StreamingHttpResponse
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import generics, status
from rest_framework.exceptions import NotFound
from rest_framework.parsers import MultiPartParser
from rest_framework.response import Response

from accounts.services import ConflictError
from datasets import reading, services
from datasets.api import serializers
from datasets.api.filters import DatasetFilter
from datasets.api.uploads import UPLOAD_ERRORS, upload_data
from datasets.models import Dataset
from datasets.parsing import FileRefused
from flowbuilder.api.exceptions import ApiError
from flowbuilder.api.pagination import EnvelopePagination
from flowbuilder.api.parsers import LimitedJSONParser
from flowbuilder.api.preconditions import (
    etag_read_schema,
    etag_write_schema,
    expected_revisions,
    not_modified,
    revision_write,
    with_etag,
)
from flowbuilder.api.views import ScopedQuerysetMixin, who


def _refusals(call, *args, **kwargs):
    try:
        return call(*args, **kwargs)
    except FileRefused as refused:
        raise ApiError(refused.status, refused.code, refused.message, details=refused.details or None,
                       field=refused.details.get("field")) from None  # fmt: skip
    except ConflictError as error:
        raise ApiError(409, "CONFLICT", str(error)) from None


def _answer(dataset: Dataset, status_code: int = 200) -> Response:
    return with_etag(Response(serializers.DatasetSerializer(dataset).data, status=status_code), dataset)


class ProjectDatasetMixin(ScopedQuerysetMixin):
    serializer_class = serializers.DatasetSerializer
    queryset = Dataset.objects.none()

    def scoped_queryset(self, access):
        return Dataset.objects.filter(project=access.project).select_related("created_by")


class DatasetListCreateView(ProjectDatasetMixin, generics.ListAPIView):
    """The project's datasets, or upload a file as a new one (multipart `file`, `name`)."""

    filterset_class = DatasetFilter
    parser_classes = [MultiPartParser]
    schema_errors = {"POST": {**UPLOAD_ERRORS, 409: "CONFLICT: a dataset with this name is in the project."}}

    @extend_schema(request={"multipart/form-data": serializers.DatasetCreateSerializer},
                   responses={201: serializers.DatasetSerializer})  # fmt: skip
    def post(self, request):
        data, upload = upload_data(request, serializers.DatasetCreateSerializer)
        dataset = _refusals(
            services.create_dataset, request.access.project, name=data["name"], upload=upload,
            types=data.get("types"), **who(request),
        )  # fmt: skip
        return _answer(dataset, status.HTTP_201_CREATED)


class DatasetPreviewView(generics.GenericAPIView):
    """Read a file without storing it: the columns with their inferred types (or the `types` given,
    checked over every row), the first 20 rows as text, the row count and notes."""

    parser_classes = [MultiPartParser]
    serializer_class = serializers.DatasetPreviewSerializer
    schema_errors = {"POST": UPLOAD_ERRORS}

    @extend_schema(request={"multipart/form-data": serializers.DatasetUploadSerializer},
                   responses=serializers.DatasetPreviewSerializer)  # fmt: skip
    def post(self, request):
        data, upload = upload_data(request, serializers.DatasetUploadSerializer)
        return Response(_refusals(services.preview, upload, data.get("types")))


class DatasetDetailView(ProjectDatasetMixin, generics.RetrieveAPIView):
    parser_classes = [LimitedJSONParser]
    schema_errors = {"PATCH": {409: "CONFLICT: a dataset with this name is in the project."}}

    @extend_schema(**etag_read_schema(serializers.DatasetSerializer))
    def get(self, request, pk: str):
        dataset = self.get_object()
        return not_modified(request, dataset) or _answer(dataset)

    @extend_schema(**etag_write_schema(serializers.DatasetSerializer, request=serializers.DatasetUpdateSerializer))
    def patch(self, request, pk: str):
        dataset = self.get_object()
        expected = expected_revisions(request, dataset)
        payload = serializers.DatasetUpdateSerializer(data=request.data)
        payload.is_valid(raise_exception=True)
        with revision_write(NotFound()):
            dataset = _refusals(
                services.update_dataset, dataset, name=payload.validated_data["name"], expected_revisions=expected,
                **who(request),
            )  # fmt: skip
            return _answer(dataset)

    @extend_schema(**etag_write_schema())
    def delete(self, request, pk: str):
        dataset = self.get_object()
        expected = expected_revisions(request, dataset)
        with revision_write(NotFound()):
            services.delete_dataset(dataset, expected_revisions=expected, **who(request))
        return Response(status=status.HTTP_204_NO_CONTENT)


class DatasetReplaceView(ProjectDatasetMixin, generics.GenericAPIView):
    """New rows and columns from a new file, all at once: if the file is refused the old data stays."""

    parser_classes = [MultiPartParser]
    schema_errors = {"POST": UPLOAD_ERRORS}

    @extend_schema(
        request={"multipart/form-data": serializers.DatasetUploadSerializer},
        **{key: value for key, value in etag_write_schema(serializers.DatasetSerializer).items() if key != "request"},
    )
    def post(self, request, pk: str):
        dataset = self.get_object()
        expected = expected_revisions(request, dataset)
        data, upload = upload_data(request, serializers.DatasetUploadSerializer)
        with revision_write(NotFound()):
            dataset = _refusals(
                services.replace_dataset, dataset, upload=upload, types=data.get("types"),
                expected_revisions=expected, **who(request),
            )  # fmt: skip
            return _answer(dataset)


class DatasetAppendView(ProjectDatasetMixin, generics.GenericAPIView):
    """Add the rows of a file with the same columns (matched by name; SCHEMA_MISMATCH otherwise)."""

    parser_classes = [MultiPartParser]
    schema_errors = {"POST": UPLOAD_ERRORS}

    @extend_schema(
        request={"multipart/form-data": serializers.DatasetAppendSerializer},
        **{key: value for key, value in etag_write_schema(serializers.DatasetSerializer).items() if key != "request"},
    )
    def post(self, request, pk: str):
        dataset = self.get_object()
        expected = expected_revisions(request, dataset)
        _, upload = upload_data(request, serializers.DatasetAppendSerializer)
        with revision_write(NotFound()):
            dataset = _refusals(
                services.append_dataset, dataset, upload=upload, expected_revisions=expected, **who(request)
            )
            return _answer(dataset)


class DatasetRowsView(ProjectDatasetMixin, generics.GenericAPIView):
    """A page of rows, as objects keyed by column name (`page`/`limit` or `offset`)."""

    pagination_class = EnvelopePagination

    @extend_schema(
        responses={200: {"type": "array", "items": {"type": "object", "additionalProperties": True}}},
        parameters=[
            OpenApiParameter("page", int, description="Page number (default 1)."),
            OpenApiParameter("limit", int, description="Rows per page (default 20, max 100)."),
            OpenApiParameter("offset", int, description="Rows to skip (instead of page)."),
        ],
    )
    def get(self, request, pk: str):
        dataset = self.get_object()
        window = reading.RowsWindow(services.local_file(dataset), dataset.row_count)
        page = self.paginate_queryset(window)
        return self.get_paginated_response(page)


class DatasetDownloadView(ProjectDatasetMixin, generics.GenericAPIView):
    """The rows as CSV (UTF-8, comma, the original headers), streamed."""

    @extend_schema(responses={(200, "text/csv"): {"type": "string"}})
    def get(self, request, pk: str):
        dataset = self.get_object()
        labels = [column.get("label") or column["name"] for column in dataset.columns]
        response = StreamingHttpResponse(
            reading.csv_lines(services.local_file(dataset), labels), content_type="text/csv; charset=utf-8"
        )
        response["Content-Disposition"] = f'attachment; filename="{dataset.table_name}.csv"'
        return response
