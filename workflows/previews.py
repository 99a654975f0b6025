"""Large step values travel as previews, with a link to the full value.

A step's input or output whose JSON is longer than `FLOWBUILDER_INLINE_VALUE_BYTES` is
replaced, in large execution answers, step pages and live events, by

    {"$truncated": {"bytes": <JSON length>, "preview": "<its first characters>", "url": "<full value>"}}

The url is `GET /api/v1/executions/{id}/steps?step_key=…&attempt=…&full=true`, which answers
that step with its values whole. The journal keeps every value whole; only answers shrink.
"""

from __future__ import annotations

import json
from typing import Any
from urllib.parse import urlencode

from django.conf import settings
from django.core.serializers.json import DjangoJSONEncoder

PREVIEW_CHARS = 200
VALUE_FIELDS = ("input", "output")


def step_value_url(execution_id: str, step_key: str, attempt: int) -> str:
    query = urlencode({"step_key": step_key, "attempt": attempt, "full": "true"})
    return f"/api/v1/executions/{execution_id}/steps?{query}"


def preview_value(value: Any, url: str, limit: int | None = None) -> Any:
    """The value itself when its JSON fits in `limit` bytes, else a `$truncated` preview."""
    if value is None or isinstance(value, bool | int | float):
        return value
    limit = settings.FLOWBUILDER_INLINE_VALUE_BYTES if limit is None else limit
    text = json.dumps(value, cls=DjangoJSONEncoder, ensure_ascii=False, default=str)
    size = len(text.encode())
    if size <= limit:
        return value
    return {"$truncated": {"bytes": size, "preview": text[:PREVIEW_CHARS], "url": url}}


def preview_step_values(step: dict[str, Any], execution_id: str) -> dict[str, Any]:
    """A step (or step event) dict with its large input/output replaced by previews."""
    if not any(step.get(field) is not None for field in VALUE_FIELDS):
        return step
    url = step_value_url(execution_id, step.get("step_key", ""), step.get("attempt", 1))
    return {**step, **{field: preview_value(step[field], url) for field in VALUE_FIELDS if field in step}}
