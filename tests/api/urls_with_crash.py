"""The real URLs plus views that crash, to check how 500s look under /api/."""

from django.db import OperationalError
from django.urls import path
from rest_framework.views import APIView

from flowbuilder.urls import handler404, handler500  # noqa: F401
from flowbuilder.urls import urlpatterns as real_urlpatterns


class CrashingView(APIView):
    def get(self, request):
        raise RuntimeError("boom: secret internals that must not leak")


class DatabaseDownView(APIView):
    def get(self, request):
        raise OperationalError("FATAL: sorry, too many clients already")


def crashing_plain_view(request):
    raise RuntimeError("plain boom: secret internals that must not leak")


urlpatterns = [
    path("api/v1/test-crash", CrashingView.as_view()),
    path("api/v1/test-plain-crash", crashing_plain_view),
    path("api/v1/test-database-down", DatabaseDownView.as_view()),
    *real_urlpatterns,
]
