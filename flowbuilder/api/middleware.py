"""Headers every API answer carries, and usage metering of API calls.

Every answer to an identified caller under /api/ counts against its organization's budget
and carries X-RateLimit-*: the throttle counts the requests that reach it; answers that end
before it (a 403 for the role, the plan or the project, a 404 for an unknown path, a CSRF
refusal) are counted here, once, for the organization the caller belongs to.
"""

from __future__ import annotations

from django.contrib.auth import get_user
from django.db import DatabaseError

from accounts.models import ApiKey
from accounts.scope import membership_for_user
from accounts.services import InvalidApiKey, authenticate_api_key, record_usage
from flowbuilder.api.throttling import count_request, rate_limit_headers, usage_field


class ApiResponseHeadersMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        is_api = request.path.startswith("/api/")
        state = getattr(request, "ratelimit", None)
        if state is None and is_api and response.status_code != 401:
            organization = caller_organization(request)
            if organization is not None:
                state = count_request(request, organization)
        if state is not None:
            for name, value in rate_limit_headers(state).items():
                response[name] = value
        access = getattr(request, "access", None)
        counted = getattr(request, "usage_counted", False)  # by the throttle, in its round trip
        if access is not None and is_api and not counted:
            record_usage(access.organization.id, **{usage_field(access): 1})
        return response


def caller_organization(request):
    """The organization of whoever sent this request, or None for an unidentified caller.

    In order: the scope DRF resolved; the API key DRF authenticated (its scope may have been
    refused, e.g. an X-Project-Id of another organization); a Bearer key no view looked at
    (a path with no view); the signed-in user's first organization.
    """
    access = getattr(request, "access", None)
    if access is not None:
        return access.organization
    user = getattr(request, "user", None)
    api_key = getattr(user, "api_key", None)
    if isinstance(api_key, ApiKey):
        return api_key.organization
    header = request.headers.get("Authorization", "")
    if header:
        scheme, _, plaintext = header.partition(" ")
        if scheme.lower() != "bearer" or not plaintext.strip():
            return None
        try:
            return authenticate_api_key(plaintext.strip()).organization
        except (InvalidApiKey, DatabaseError):
            return None
    if user is None or not user.is_authenticated:
        # DRF puts an anonymous user on the request when its session check refuses (CSRF):
        # the session still says who it is.
        user = get_user(request) if hasattr(request, "session") else None
    if user is not None and user.is_authenticated:
        membership = membership_for_user(user)
        return membership.organization if membership else None
    return None
