"""Knowledge bases: CRUD, documents (multipart upload, list, delete) and a search to try retrieval."""

from __future__ import annotations

from django.db.models import Count
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import generics, status
from rest_framework.parsers import MultiPartParser
from rest_framework.response import Response
from rest_framework.views import APIView

from accounts.models import Role
from accounts.services import ConflictError
from flowbuilder.api.exceptions import ApiError
from flowbuilder.api.views import ScopedQuerysetMixin, who
from knowledge import services
from knowledge.api import serializers
from knowledge.documents import DocumentError
from knowledge.models import Document, KnowledgeBase
from knowledge.search import MAX_LIMIT, MAX_QUESTION_CHARS, search


def _service_errors(call, *args, **kwargs):
    try:
        return call(*args, **kwargs)
    except services.InvalidKnowledgeBase as error:
        raise ApiError(400, "VALIDATION_ERROR", error.message, field=error.field) from None
    except DocumentError as error:
        status_code = 413 if error.code == "DOCUMENT_TOO_LARGE" else 400
        raise ApiError(status_code, error.code, error.message, field=error.field) from None
    except ConflictError as error:
        raise ApiError(409, "CONFLICT", str(error)) from None


def _knowledge_bases(access):
    return KnowledgeBase.objects.filter(project=access.project).annotate(document_count=Count("documents"))


def _knowledge_base(request, pk: str) -> KnowledgeBase:
    return generics.get_object_or_404(_knowledge_bases(request.access).select_related("project__organization"), pk=pk)


class KnowledgeBaseListCreateView(ScopedQuerysetMixin, generics.ListAPIView):
    """The project's knowledge bases, or create one."""

    serializer_class = serializers.KnowledgeBaseSerializer
    queryset = KnowledgeBase.objects.none()
    schema_errors = {"POST": {409: "CONFLICT: a knowledge base of that name exists in the project."}}

    def scoped_queryset(self, access):
        return _knowledge_bases(access).order_by("name", "id")

    @extend_schema(
        request=serializers.KnowledgeBaseCreateSerializer, responses={201: serializers.KnowledgeBaseSerializer}
    )
    def post(self, request):
        payload = serializers.KnowledgeBaseCreateSerializer(data=request.data)
        payload.is_valid(raise_exception=True)
        data = payload.validated_data
        kb = _service_errors(
            services.create_knowledge_base,
            request.access.project,
            name=data["name"],
            description=data.get("description", ""),
            **who(request),
        )
        kb.document_count = 0
        return Response(serializers.KnowledgeBaseSerializer(kb).data, status=status.HTTP_201_CREATED)


class KnowledgeBaseDetailView(ScopedQuerysetMixin, generics.RetrieveAPIView):
    """Show, rename or delete a knowledge base (deleting it deletes its documents)."""

    serializer_class = serializers.KnowledgeBaseSerializer
    queryset = KnowledgeBase.objects.none()
    schema_errors = {"PATCH": {409: "CONFLICT: a knowledge base of that name exists in the project."}}

    def scoped_queryset(self, access):
        return _knowledge_bases(access).select_related("project__organization")

    @extend_schema(request=serializers.KnowledgeBaseUpdateSerializer, responses=serializers.KnowledgeBaseSerializer)
    def patch(self, request, pk: str):
        kb = self.get_object()
        payload = serializers.KnowledgeBaseUpdateSerializer(data=request.data)
        payload.is_valid(raise_exception=True)
        data = payload.validated_data
        kb = _service_errors(
            services.update_knowledge_base,
            kb,
            name=data.get("name"),
            description=data.get("description"),
            **who(request),
        )
        return Response(serializers.KnowledgeBaseSerializer(kb).data)

    def delete(self, request, pk: str):
        _service_errors(services.delete_knowledge_base, self.get_object(), **who(request))
        return Response(status=status.HTTP_204_NO_CONTENT)


class DocumentListCreateView(ScopedQuerysetMixin, generics.ListAPIView):
    """A knowledge base's documents, or upload one (multipart: `file`, optional `title`)."""

    serializer_class = serializers.DocumentSerializer
    queryset = Document.objects.none()
    parser_classes = [MultiPartParser]
    schema_errors = {
        "POST": {
            400: "EMPTY_DOCUMENT, BAD_ENCODING (not UTF-8), UNSUPPORTED_DOCUMENT_TYPE, or VALIDATION_ERROR.",
            413: "DOCUMENT_TOO_LARGE: over FLOWBUILDER_KNOWLEDGE_MAX_DOCUMENT_BYTES.",
        }
    }

    def scoped_queryset(self, access):
        kb = _knowledge_base(self.request, self.kwargs["pk"])
        return Document.objects.filter(knowledge_base=kb).order_by("-created_at", "id")

    @extend_schema(
        request={"multipart/form-data": serializers.DocumentUploadSerializer},
        responses={201: serializers.DocumentSerializer},
    )
    def post(self, request, pk: str):
        kb = _knowledge_base(request, pk)
        payload = serializers.DocumentUploadSerializer(data=request.data)
        payload.is_valid(raise_exception=True)
        upload = payload.validated_data["file"]
        data = upload.read(services.max_document_bytes() + 1)
        document = _service_errors(
            services.add_document,
            kb,
            data,
            filename=upload.name or "",
            declared_type=upload.content_type or "",
            title=payload.validated_data.get("title", ""),
            **who(request),
        )
        return Response(serializers.DocumentSerializer(document).data, status=status.HTTP_201_CREATED)


class DocumentDetailView(APIView):
    """Delete one document (and its chunks) from a knowledge base."""

    @extend_schema(responses={204: None})
    def delete(self, request, pk: str, document_id: str):
        kb = _knowledge_base(request, pk)
        document = generics.get_object_or_404(Document.objects.filter(knowledge_base=kb), pk=document_id)
        _service_errors(services.delete_document, document, **who(request))
        return Response(status=status.HTTP_204_NO_CONTENT)


class KnowledgeSearchView(APIView):
    """Try retrieval: the passages `ai.chat` would get for the question `q`, best first."""

    required_role = Role.VIEWER

    @extend_schema(
        parameters=[
            OpenApiParameter(
                "q", str, required=True, description=f"The question (at most {MAX_QUESTION_CHARS} characters)."
            ),
            OpenApiParameter("limit", int, description=f"At most this many passages (1–{MAX_LIMIT}; 5)."),
        ],
        responses=serializers.PassageSerializer(many=True),
    )
    def get(self, request, pk: str):
        kb = _knowledge_base(request, pk)
        question = request.query_params.get("q")
        if question is None:
            raise ApiError(400, "VALIDATION_ERROR", "Give the question as ?q=.", field="q")
        if len(question) > MAX_QUESTION_CHARS:
            raise ApiError(400, "VALIDATION_ERROR", f"The question is over {MAX_QUESTION_CHARS} characters.", field="q")
        if "\x00" in question:
            raise ApiError(400, "VALIDATION_ERROR", "The question may not hold NUL characters.", field="q")
        limit = _limit(request.query_params.get("limit"))
        passages = search(kb, question, limit)
        return Response([passage.as_dict() for passage in passages])


def _limit(raw) -> int:
    if raw is None:
        return 5
    try:
        limit = int(raw)
    except ValueError:
        limit = 0
    if not 1 <= limit <= MAX_LIMIT:
        raise ApiError(400, "VALIDATION_ERROR", f"limit must be a whole number from 1 to {MAX_LIMIT}.", field="limit")
    return limit
