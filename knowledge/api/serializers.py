"""Knowledge bases, documents and search results in and out of the API."""

from __future__ import annotations

from rest_framework import serializers

from knowledge.models import Document, KnowledgeBase


class KnowledgeBaseSerializer(serializers.ModelSerializer):
    document_count = serializers.IntegerField(read_only=True, help_text="Documents uploaded.")

    class Meta:
        model = KnowledgeBase
        fields = ["id", "name", "description", "document_count", "created_at", "updated_at"]
        read_only_fields = fields


class KnowledgeBaseCreateSerializer(serializers.Serializer):
    name = serializers.CharField(max_length=100)
    description = serializers.CharField(max_length=1000, required=False, allow_blank=True, default="")


class KnowledgeBaseUpdateSerializer(serializers.Serializer):
    name = serializers.CharField(max_length=100, required=False)
    description = serializers.CharField(max_length=1000, required=False, allow_blank=True)


class DocumentSerializer(serializers.ModelSerializer):
    class Meta:
        model = Document
        fields = ["id", "title", "source_filename", "content_type", "size", "chunk_count", "created_at"]
        read_only_fields = fields


class DocumentUploadSerializer(serializers.Serializer):
    file = serializers.FileField(
        allow_empty_file=True, help_text="A .txt, .md or .html file, UTF-8 (or UTF-16 with a BOM)."
    )
    title = serializers.CharField(
        max_length=200,
        required=False,
        allow_blank=True,
        default="",
        help_text="Default: the HTML title, the first Markdown heading, or the file name.",
    )


class PassageSerializer(serializers.Serializer):
    chunk_id = serializers.IntegerField()
    document_id = serializers.CharField()
    document_title = serializers.CharField()
    heading = serializers.CharField(help_text="Where in the document: its heading path, or empty.")
    text = serializers.CharField()
    score = serializers.FloatField(help_text="Relevance; higher is better (comparable within one search only).")
