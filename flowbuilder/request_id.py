"""Every answer carries an X-Request-Id: the id a caller quotes when it reports a problem.

The id is the caller's own when it sent a well-formed one (a proxy or an SDK tracing a call
end to end), otherwise a fresh random one. It is on every response, the API's and the pages',
and in the log line of any error the server logs while answering, so one id finds both.
"""

from __future__ import annotations

import logging
import re
import uuid
from contextvars import ContextVar

HEADER = "X-Request-Id"
# A caller's id is kept only if it is short and plain: it is echoed in a header and in logs.
WELL_FORMED = re.compile(r"^[A-Za-z0-9._:-]{8,64}$")

current_request_id: ContextVar[str | None] = ContextVar("current_request_id", default=None)


def request_id_for(incoming: str | None) -> str:
    if incoming and WELL_FORMED.match(incoming):
        return incoming
    return f"req_{uuid.uuid4().hex}"


class RequestIdMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        request.request_id = request_id_for(request.headers.get(HEADER))
        token = current_request_id.set(request.request_id)
        try:
            response = self.get_response(request)
        finally:
            current_request_id.reset(token)
        response[HEADER] = request.request_id
        return response


class RequestIdLogFilter(logging.Filter):
    """Adds `request_id` to every log record (`-` outside a request)."""

    def filter(self, record: logging.LogRecord) -> bool:
        record.request_id = current_request_id.get() or "-"
        return True
