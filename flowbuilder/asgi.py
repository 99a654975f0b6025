"""ASGI entry point: Django for HTTP, Channels for WebSockets.

The Django app is built first so the apps are loaded before any consumer is imported.
"""

import os

import django
from asgiref.sync import sync_to_async
from django.core.handlers.asgi import ASGIHandler

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "flowbuilder.settings")
# A web process serves many short requests, each on its own thread: pooled connections
# (settings.DATABASE_POOL_SIZE; workers keep theirs between jobs and need none).
os.environ.setdefault("DATABASE_POOL_SIZE", "10")


class OneHopASGIHandler(ASGIHandler):
    """Django's ASGI handler with the middleware chain and the view in one thread hop.

    Every view and every middleware here is synchronous (the middleware run in their sync
    mode under Django's own handler too). That handler still ends the chain with its async
    view caller, so each request went loop → thread (middleware) → loop (`async_to_sync`)
    → thread (view): two hops more than needed, about a tenth of a short API request's CPU
    (D19 addendum (4)). Here the whole chain is built as for WSGI, views included, and the
    loop calls it once in the request's thread (`thread_sensitive`, as Django calls sync
    views, so the chain and the view share the thread and its database connection).
    """

    def load_middleware(self, is_async=False):
        super().load_middleware(is_async=False)
        if is_async:
            self._middleware_chain = sync_to_async(self._middleware_chain, thread_sensitive=True)


django.setup(set_prefix=False)
django_asgi_app = OneHopASGIHandler()

from channels.auth import AuthMiddlewareStack  # noqa: E402
from channels.routing import ProtocolTypeRouter, URLRouter  # noqa: E402
from django.conf import settings  # noqa: E402
from django.urls import re_path  # noqa: E402

from flowbuilder.admission import AdmissionGate  # noqa: E402
from flowbuilder.embedded import start_embedded_worker  # noqa: E402
from flowbuilder.routing import public_websocket_urlpatterns, websocket_urlpatterns  # noqa: E402
from flowbuilder.websocket import BrowserOriginValidator  # noqa: E402

application = ProtocolTypeRouter(
    {
        "http": AdmissionGate(django_asgi_app, settings.FLOWBUILDER_WEB_SLOTS, settings.FLOWBUILDER_WEB_SLOT_SECONDS),
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
