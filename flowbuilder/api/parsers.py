"""The API's JSON parser: bodies over DATA_UPLOAD_MAX_MEMORY_SIZE are a 413 in the envelope.

DRF reads the request stream itself, so Django's own check of that setting (on `request.body`)
never ran for API calls: a 3 MB body was parsed, and the 413 the schema documents never came.
The parser reads at most one byte more than the limit before parsing anything.
"""

from __future__ import annotations

import io

from django.conf import settings
from rest_framework.parsers import JSONParser

from flowbuilder.api.exceptions import ApiError


def payload_too_large() -> ApiError:
    limit = settings.DATA_UPLOAD_MAX_MEMORY_SIZE
    return ApiError(413, "PAYLOAD_TOO_LARGE", f"The body is over the limit of {limit:,} bytes.")


class LimitedJSONParser(JSONParser):
    def parse(self, stream, media_type=None, parser_context=None):
        limit = settings.DATA_UPLOAD_MAX_MEMORY_SIZE
        if limit is not None:
            raw = stream.read(limit + 1)
            if len(raw) > limit:
                raise payload_too_large()
            stream = io.BytesIO(raw)
        return super().parse(stream, media_type, parser_context)
