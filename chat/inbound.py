"""`/channels/<token>/messages`: the public door of every inbound channel (no API key, no CSRF).

The token picks the channel; its adapter reads the request (a generic JSON body, WhatsApp's
signed webhook, …) and hands each message to `chat.routing.receive`. Errors are the API's
envelope. An unknown token and an inactive channel look the same: 404.
"""

from __future__ import annotations

import json
from typing import Any

from django.conf import settings
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.views.decorators.csrf import csrf_exempt

from chat.adapters import adapter_for
from chat.models import Channel
from chat.routing import InvalidMessage
from chat.tokens import hash_token
from flowbuilder.api.envelope import error_body

NOT_FOUND_MESSAGE = "No chat channel listens at this address."


class BadRequest(ValueError):
    """The request cannot be read: the message says why (answered 400)."""

    def __init__(self, message: str, *, status: int = 400, code: str = "INVALID_BODY") -> None:
        super().__init__(message)
        self.status = status
        self.code = code


def error_response(status: int, code: str, message: str, *, field: str | None = None, **headers) -> JsonResponse:
    response = JsonResponse(error_body(code, message, field=field), status=status)
    for name, value in headers.items():
        response[name.replace("_", "-")] = value
    return response


def live_channel(token: str) -> Channel | None:
    if not token or len(token) > 200:
        return None
    return (
        Channel.objects.select_related("project__organization")
        .filter(token_hash=hash_token(token), active=True)
        .first()
    )


@csrf_exempt
def receive_channel_message(request: HttpRequest, token: str) -> HttpResponse:
    channel = live_channel(token)
    if channel is None:
        return error_response(404, "NOT_FOUND", NOT_FOUND_MESSAGE)
    adapter = adapter_for(channel.type)
    if not adapter.has_inbound_url:
        return error_response(404, "NOT_FOUND", NOT_FOUND_MESSAGE)
    try:
        return adapter.handle_inbound(request, channel)
    except BadRequest as error:
        return error_response(error.status, error.code, str(error))
    except InvalidMessage as error:
        return error_response(400, "VALIDATION_ERROR", str(error), field=error.field)


def read_body(request: HttpRequest) -> bytes:
    """The raw body, refused (413) past FLOWBUILDER_WEBHOOK_MAX_BODY_BYTES, checked before and while reading."""
    limit = settings.FLOWBUILDER_WEBHOOK_MAX_BODY_BYTES
    try:
        declared = int(request.headers.get("Content-Length") or 0)
    except ValueError:
        declared = 0
    too_large = BadRequest(f"The body is larger than {limit} bytes.", status=413, code="PAYLOAD_TOO_LARGE")
    if declared > limit:
        raise too_large
    raw = request.read(limit + 1)
    if len(raw) > limit:
        raise too_large
    return raw


def json_object(raw: bytes) -> dict[str, Any]:
    try:
        value = json.loads(raw.decode("utf-8"))
    except UnicodeDecodeError:
        raise BadRequest("The body is not UTF-8 text.") from None
    except ValueError:
        raise BadRequest("The body is not JSON.") from None
    if not isinstance(value, dict):
        raise BadRequest("Send a JSON object.")
    return value


def require_method(request: HttpRequest, *methods: str) -> None:
    if request.method not in methods:
        raise BadRequest(f"This address accepts {', '.join(methods)}.", status=405, code="METHOD_NOT_ALLOWED")
