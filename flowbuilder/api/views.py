from drf_spectacular.utils import extend_schema
from rest_framework.decorators import api_view, authentication_classes, permission_classes, throttle_classes
from rest_framework.exceptions import NotFound


@extend_schema(exclude=True)
@api_view(["GET", "POST", "PUT", "PATCH", "DELETE", "HEAD", "OPTIONS"])
@authentication_classes([])
@permission_classes([])
@throttle_classes([])
def api_not_found(request, rest: str):
    """Any /api/ path we do not serve: a 404 in the envelope, whatever the method."""
    raise NotFound(f"No resource at {request.path}.")


class ScopedQuerysetMixin:
    """Generic views list only what the request's organization or project owns.

    Subclasses set `queryset` (used as-is for the OpenAPI schema) and implement
    `scoped_queryset(access)`.
    """

    def get_queryset(self):
        if getattr(self, "swagger_fake_view", False):
            return self.queryset
        return self.scoped_queryset(self.request.access)

    def scoped_queryset(self, access):
        raise NotImplementedError
