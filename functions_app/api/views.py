"""Functions: list, create, show, change, delete, test, versions. Thin: parse, authorize, call, shape."""

from __future__ import annotations

from drf_spectacular.utils import extend_schema
from rest_framework import generics, status
from rest_framework.response import Response
from rest_framework.views import APIView

from accounts.services import ConflictError
from flowbuilder.api.exceptions import ApiError
from flowbuilder.api.views import ScopedQuerysetMixin, who
from functions_app import services
from functions_app.api import serializers
from functions_app.api.filters import FunctionFilter
from functions_app.models import Function, FunctionVersion
from functions_app.testing import test_function


def _service_errors(call, *args, **kwargs):
    try:
        return call(*args, **kwargs)
    except services.InvalidFunction as error:
        raise ApiError(400, "VALIDATION_ERROR", error.message, field=error.field) from None
    except ConflictError as error:
        raise ApiError(409, "CONFLICT", str(error)) from None


class FunctionListCreateView(ScopedQuerysetMixin, generics.ListAPIView):
    """The project's functions (code, AI, HTTP), or create one."""

    serializer_class = serializers.FunctionSerializer
    queryset = Function.objects.none()
    filterset_class = FunctionFilter

    def scoped_queryset(self, access):
        return Function.objects.filter(project=access.project)

    @extend_schema(request=serializers.FunctionCreateSerializer, responses={201: serializers.FunctionSerializer})
    def post(self, request):
        payload = serializers.FunctionCreateSerializer(data=request.data)
        payload.is_valid(raise_exception=True)
        data = payload.validated_data
        function = _service_errors(
            services.create_function, request.access.project, name=data["name"], kind=data["kind"],
            spec=data["spec"], description=data.get("description", ""), **who(request),
        )  # fmt: skip
        return Response(serializers.FunctionSerializer(function).data, status=status.HTTP_201_CREATED)


class FunctionDetailView(ScopedQuerysetMixin, generics.RetrieveAPIView):
    """Show, change (a new spec or source is a new version) or delete a function."""

    serializer_class = serializers.FunctionSerializer
    queryset = Function.objects.none()

    def scoped_queryset(self, access):
        return Function.objects.filter(project=access.project).select_related("project__organization")

    @extend_schema(request=serializers.FunctionUpdateSerializer, responses=serializers.FunctionSerializer)
    def patch(self, request, pk: str):
        function = self.get_object()
        payload = serializers.FunctionUpdateSerializer(data=request.data)
        payload.is_valid(raise_exception=True)
        data = dict(payload.validated_data)
        spec = data.get("spec")
        if "source" in data:
            if function.kind != "code":
                raise ApiError(400, "VALIDATION_ERROR", "Only code functions have a source.", field="source")
            spec = {**(spec or function.spec), "source": data["source"]}
        function = _service_errors(
            services.update_function, function, name=data.get("name"), description=data.get("description"),
            spec=spec, **who(request),
        )  # fmt: skip
        return Response(serializers.FunctionSerializer(function).data)

    def delete(self, request, pk: str):
        _service_errors(services.delete_function, self.get_object(), **who(request))
        return Response(status=status.HTTP_204_NO_CONTENT)


class FunctionVersionListView(ScopedQuerysetMixin, generics.ListAPIView):
    """Every version of a function, newest first."""

    serializer_class = serializers.FunctionVersionSerializer
    queryset = FunctionVersion.objects.none()

    def scoped_queryset(self, access):
        function = generics.get_object_or_404(Function.objects.filter(project=access.project), pk=self.kwargs["pk"])
        return FunctionVersion.objects.filter(function=function).order_by("-number")


class FunctionTestView(APIView):
    """Run the function's current version once with a sample input: output, logs, duration, limits hit."""

    @extend_schema(request=serializers.FunctionTestSerializer, responses=serializers.FunctionTestResultSerializer)
    def post(self, request, pk: str):
        function = generics.get_object_or_404(Function.objects.filter(project=request.access.project), pk=pk)
        payload = serializers.FunctionTestSerializer(data=request.data)
        payload.is_valid(raise_exception=True)
        data = payload.validated_data
        result = test_function(function, data.get("input"), credentials=data.get("credentials") or {})
        return Response(result)
