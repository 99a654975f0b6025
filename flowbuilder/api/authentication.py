"""Bearer API keys for programs, Django sessions (with CSRF) for the browser."""

from __future__ import annotations

import datetime as dt

from django.utils import timezone
from rest_framework import authentication, exceptions

from accounts.models import ApiKey
from accounts.services import API_KEY_PREFIX, hash_api_key

# Writing last_used_at on every call would turn each read into a write; a minute is enough.
LAST_USED_PRECISION = dt.timedelta(minutes=1)


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
        plaintext = parts[1]
        if not plaintext.startswith(API_KEY_PREFIX):
            raise exceptions.AuthenticationFailed(f"Malformed API key: keys start with '{API_KEY_PREFIX}'.")
        api_key = (
            ApiKey.objects.select_related("organization").filter(key_hash=hash_api_key(plaintext)).first()
        )
        if api_key is None:
            raise exceptions.AuthenticationFailed("Unknown API key.")
        if api_key.is_revoked:
            raise exceptions.AuthenticationFailed("This API key was revoked.")
        if api_key.is_expired:
            raise exceptions.AuthenticationFailed("This API key has expired.")
        self._touch(api_key)
        return ApiKeyPrincipal(api_key), api_key

    @staticmethod
    def _touch(api_key: ApiKey) -> None:
        now = timezone.now()
        if api_key.last_used_at is None or now - api_key.last_used_at > LAST_USED_PRECISION:
            ApiKey.objects.filter(pk=api_key.pk).update(last_used_at=now)
            api_key.last_used_at = now

    def authenticate_header(self, request):
        return 'Bearer realm="api"'


class CsrfSessionAuthentication(authentication.SessionAuthentication):
    """The browser's session; DRF enforces CSRF for unsafe methods."""


from flowbuilder.api import schema as _schema  # noqa: E402,F401  registers the OpenAPI auth extensions
