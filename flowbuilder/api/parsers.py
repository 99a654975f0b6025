"""The API's JSON parser: the body's size and NUL characters are checked before any view.

- Bodies over DATA_UPLOAD_MAX_MEMORY_SIZE are a 413 PAYLOAD_TOO_LARGE in the envelope. DRF
  reads the request stream itself, so Django's own check of that setting (on `request.body`)
  never ran for API calls: a 3 MB body was parsed, and the documented 413 never came. The
  parser reads at most one byte more than the limit before parsing anything.
- A NUL character (`\u0000`) in any string or key of the body is a 400 naming where it is.
  PostgreSQL stores neither text nor JSON with NUL in it, so a NUL inside a free-form object
  (a workflow definition, credential metadata) reached the database and answered 500. String
  fields refused it already (DRF's CharField); this covers everything else, in one place.
"""

from __future__ import annotations

import io

from django.conf import settings
from rest_framework.parsers import JSONParser

from flowbuilder.api.exceptions import ApiError


def payload_too_large() -> ApiError:
    limit = settings.DATA_UPLOAD_MAX_MEMORY_SIZE
    return ApiError(413, "PAYLOAD_TOO_LARGE", f"The body is over the limit of {limit:,} bytes.")


NUL = "\x00"


def nul_path(value) -> str | None:
    """Where a NUL character is in parsed JSON (`definition.nodes.0.name`), or None.

    Iterative: a body may nest as deep as the JSON decoder allows.
    """
    pending = [("", value)]
    while pending:
        path, item = pending.pop()
        if isinstance(item, str):
            if NUL in item:
                return path
        elif isinstance(item, dict):
            for key, child in item.items():
                here = f"{path}.{key}" if path else str(key)
                if NUL in key:
                    return here.replace(NUL, "\\u0000")
                pending.append((here, child))
        elif isinstance(item, list):
            pending.extend((f"{path}.{index}" if path else str(index), child) for index, child in enumerate(item))
    return None


class LimitedJSONParser(JSONParser):
    def parse(self, stream, media_type=None, parser_context=None):
        limit = settings.DATA_UPLOAD_MAX_MEMORY_SIZE
        if limit is not None:
            raw = stream.read(limit + 1)
            if len(raw) > limit:
                raise payload_too_large()
            stream = io.BytesIO(raw)
        try:
            data = super().parse(stream, media_type, parser_context)
        except RecursionError:
            raise ApiError(400, "VALIDATION_ERROR", "JSON parse error: the body is nested too deeply.") from None
        if (path := nul_path(data)) is not None:
            raise ApiError(
                400, "VALIDATION_ERROR", "Text may not contain NUL (\\u0000) characters.", field=path or None
            )
        return data
