"""The success envelope: `{"success": true, "data": ..., "meta": ...}`."""

from __future__ import annotations

from rest_framework.renderers import JSONRenderer


def success_body(data, meta: dict | None = None) -> dict:
    body = {"success": True, "data": data}
    if meta is not None:
        body["meta"] = meta
    return body


def error_body(code: str, message: str, *, details=None, field: str | None = None) -> dict:
    error = {"code": code, "message": message}
    if details is not None:
        error["details"] = details
    if field is not None:
        error["field"] = field
    return {"success": False, "error": error}


class EnvelopeJSONRenderer(JSONRenderer):
    """Wraps plain response data; bodies already shaped (errors, pages) pass through."""

    def render(self, data, accepted_media_type=None, renderer_context=None):
        response = (renderer_context or {}).get("response")
        if response is not None and not getattr(response, "is_enveloped", False):
            if response.status_code == 204:
                return b""
            data = success_body(data)
        return super().render(data, accepted_media_type, renderer_context)
