"""Bearer API keys for programs, Django sessions (with CSRF) for the browser."""

from __future__ import annotations

from rest_framework import authentication, exceptions

from accounts.models import ApiKey
from accounts.services import InvalidApiKey, authenticate_api_key


class ApiKeyPrincipal:
    """Who `request.user` is when a request comes with an API key rather than a session."""

    is_authenticated = True
    is_anonymous = False
    is_active = True
    is_staff = False
    is_superuser = False
    pk = None
    id = None

    def __init__(self, api_key: ApiKey) -> None:
        self.api_key = api_key

    def get_username(self) -> str:
        return f"api key {self.api_key.prefix}…"

    def __str__(self) -> str:
        return self.get_username()


class ApiKeyAuthentication(authentication.BaseAuthentication):
    keyword = "Bearer"

    def authenticate(self, request):
        header = authentication.get_authorization_header(request).decode("latin-1").strip()
        if not header:
            return None
        parts = header.split()
        if len(parts) != 2 or parts[0].lower() != "bearer":
            raise exceptions.AuthenticationFailed(
                "Malformed Authorization header: expected 'Authorization: Bearer <API key>'."
            )
        try:
            api_key = authenticate_api_key(parts[1])
        except InvalidApiKey as error:
            raise exceptions.AuthenticationFailed(str(error)) from None
        return ApiKeyPrincipal(api_key), api_key

    def authenticate_header(self, request):
        return 'Bearer realm="api"'


class CsrfSessionAuthentication(authentication.SessionAuthentication):
    """The browser's session; DRF enforces CSRF for unsafe methods."""


from flowbuilder.api import schema as _schema  # noqa: E402,F401  registers the OpenAPI auth extensions
