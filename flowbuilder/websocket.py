"""WebSocket origin checks that protect browsers without shutting out other clients."""

from __future__ import annotations

from channels.security.websocket import OriginValidator
from django.conf import settings


class BrowserOriginValidator(OriginValidator):
    """Like AllowedHostsOriginValidator, but a request without an Origin header passes.

    Browsers always send Origin on a WebSocket handshake, so cross-site pages are still
    refused; programs (an SDK, a CLI, a monitoring script) send none and authenticate with
    an API key instead.
    """

    def __init__(self, application):
        allowed = list(settings.ALLOWED_HOSTS)
        if settings.DEBUG and not allowed:
            allowed = ["localhost", "127.0.0.1", "[::1]"]
        super().__init__(application, allowed)

    async def __call__(self, scope, receive, send):
        headers = dict(scope.get("headers", []))
        if b"origin" not in headers:
            return await self.application(scope, receive, send)
        return await super().__call__(scope, receive, send)
