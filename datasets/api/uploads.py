"""Multipart uploads under the dataset size limit: refused (413) before the body is read whole.

Two checks: a Content-Length past the limit (plus room for the form's other parts) is refused
before anything is read; otherwise an upload handler counts the file's bytes as they stream
in and stops at the first byte past `FLOWBUILDER_DATASET_MAX_BYTES` (a body sent without a
length, or one whose length lies, is cut there too).
"""

from __future__ import annotations

from django.conf import settings
from django.core.files.uploadhandler import FileUploadHandler

from datasets.services import Upload
from flowbuilder.api.exceptions import ApiError

FORM_OVERHEAD_BYTES = 64 * 1024
UPLOAD_ERRORS = {
    400: "VALIDATION_ERROR, FILE_EMPTY, FILE_NOT_UTF8 (with the byte and line), FILE_RAGGED (line, expected and "
    "actual columns), FILE_FORMAT, FILE_UNREADABLE, EXCEL_FORMULA, EXCEL_ERROR_CELL (the cell), TYPE_MISMATCH "
    "(row and column) or SCHEMA_MISMATCH.",
    413: "PAYLOAD_TOO_LARGE: the file is over FLOWBUILDER_DATASET_MAX_BYTES (50 MiB by default).",
}


def too_large() -> ApiError:
    limit = settings.FLOWBUILDER_DATASET_MAX_BYTES
    return ApiError(413, "PAYLOAD_TOO_LARGE", f"The file is over the limit of {limit:,} bytes.")


class SizeLimitHandler(FileUploadHandler):
    """Counts each file's bytes and stops the upload at the limit; passes the data on unchanged."""

    def __init__(self, request=None) -> None:
        super().__init__(request)
        self.received = 0

    def new_file(self, *args, **kwargs) -> None:
        super().new_file(*args, **kwargs)
        self.received = 0

    def receive_data_chunk(self, raw_data, start):
        self.received += len(raw_data)
        if self.received > settings.FLOWBUILDER_DATASET_MAX_BYTES:
            raise too_large()
        return raw_data

    def file_complete(self, file_size):
        return None


def upload_data(request, serializer_class) -> tuple[dict, Upload]:
    """The validated form and the file's bytes; 413 when the file is over the limit."""
    try:
        length = int(request.META.get("CONTENT_LENGTH") or 0)
    except ValueError:
        length = 0
    if length > settings.FLOWBUILDER_DATASET_MAX_BYTES + FORM_OVERHEAD_BYTES:
        raise too_large()
    request._request.upload_handlers.insert(0, SizeLimitHandler(request._request))
    payload = serializer_class(data=request.data)
    payload.is_valid(raise_exception=True)
    data = payload.validated_data
    upload_file = data["file"]
    if upload_file.size > settings.FLOWBUILDER_DATASET_MAX_BYTES:
        raise too_large()
    content = upload_file.read()
    return data, Upload(data=content, filename=upload_file.name or "", delimiter=data.get("delimiter") or "")
