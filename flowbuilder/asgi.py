"""ASGI entry point: Django for HTTP, Channels for WebSockets.

The Django app is built first so the apps are loaded before any consumer is imported.
"""

import os

from django.core.asgi import get_asgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "flowbuilder.settings")
# A web process serves many short requests, each on its own thread: pooled connections
# (settings.DATABASE_POOL_SIZE; workers keep theirs between jobs and need none).
os.environ.setdefault("DATABASE_POOL_SIZE", "10")
django_asgi_app = get_asgi_application()

from channels.auth import AuthMiddlewareStack  # noqa: E402
from channels.routing import ProtocolTypeRouter, URLRouter  # noqa: E402
from django.urls import re_path  # noqa: E402

from flowbuilder.embedded import start_embedded_worker  # noqa: E402
from flowbuilder.routing import public_websocket_urlpatterns, websocket_urlpatterns  # noqa: E402
from flowbuilder.websocket import BrowserOriginValidator  # noqa: E402

application = ProtocolTypeRouter(
    {
        "http": django_asgi_app,
        # The embeddable chat widget's socket is opened from customers' sites, so it skips the
        # ALLOWED_HOSTS origin check and the session; everything else goes through both.
        "websocket": URLRouter(
            [
                *public_websocket_urlpatterns,
                re_path(r"", BrowserOriginValidator(AuthMiddlewareStack(URLRouter(websocket_urlpatterns)))),
            ]
        ),
    }
)

start_embedded_worker()
