"""Headers every API answer carries, and usage metering of API calls."""

from __future__ import annotations

from accounts.services import record_usage


class ApiResponseHeadersMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        state = getattr(request, "ratelimit", None)
        if state is not None:
            response["X-RateLimit-Limit"] = str(state.limit)
            response["X-RateLimit-Remaining"] = str(state.remaining)
            response["X-RateLimit-Reset"] = str(state.reset)
            if state.exceeded:
                response["Retry-After"] = str(state.retry_after)
        access = getattr(request, "access", None)
        if access is not None and request.path.startswith("/api/"):
            record_usage(access.organization.id, api_calls=1)
        return response
