"""Knowledge bases: documents a project uploads, cut into chunks that full-text search finds.

The search index is not a Django field: PostgreSQL keeps a generated `tsvector` column on
knowledge_chunk (GIN-indexed), SQLite an FTS5 table kept in step by triggers; both are made
by this app's migration for the database in use (knowledge.search reads them).
"""

from __future__ import annotations

from django.conf import settings
from django.db import models

from accounts.models import Project
from flowbuilder.ids import id_factory


class KnowledgeBase(models.Model):
    id = models.CharField(primary_key=True, max_length=40, default=id_factory("kb"), editable=False)
    project = models.ForeignKey(Project, on_delete=models.CASCADE, related_name="knowledge_bases")
    name = models.CharField(max_length=100)
    description = models.CharField(max_length=1000, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["name", "id"]
        constraints = [models.UniqueConstraint(fields=["project", "name"], name="knowledge_base_name_unique")]

    def __str__(self) -> str:
        return self.name


class ContentType(models.TextChoices):
    TEXT = "text/plain", "Text"
    MARKDOWN = "text/markdown", "Markdown"
    HTML = "text/html", "HTML"


class Document(models.Model):
    id = models.CharField(primary_key=True, max_length=40, default=id_factory("kdoc"), editable=False)
    knowledge_base = models.ForeignKey(KnowledgeBase, on_delete=models.CASCADE, related_name="documents")
    title = models.CharField(max_length=200)
    source_filename = models.CharField(max_length=255, blank=True)
    content_type = models.CharField(max_length=40, choices=ContentType.choices)
    text = models.TextField()
    size = models.PositiveIntegerField(help_text="Bytes uploaded.")
    chunk_count = models.PositiveIntegerField(default=0)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-created_at", "id"]

    def __str__(self) -> str:
        return self.title


class Chunk(models.Model):
    # An integer key: SQLite's FTS5 table points at chunks by rowid.
    id = models.BigAutoField(primary_key=True)
    document = models.ForeignKey(Document, on_delete=models.CASCADE, related_name="chunks")
    knowledge_base = models.ForeignKey(KnowledgeBase, on_delete=models.CASCADE, related_name="+")
    ordinal = models.PositiveIntegerField()
    heading = models.CharField(max_length=300, blank=True)
    text = models.TextField()

    class Meta:
        ordering = ["document", "ordinal"]
        constraints = [models.UniqueConstraint(fields=["document", "ordinal"], name="chunk_ordinal_unique")]

    def __str__(self) -> str:
        return f"{self.document_id}#{self.ordinal}"
