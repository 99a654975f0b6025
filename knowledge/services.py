"""Creating, changing and deleting knowledge bases and their documents.

A document and its chunks are written in one transaction: an upload that fails part way
leaves nothing behind. Every change is audited.
"""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.db import IntegrityError, transaction

from accounts.models import Project
from accounts.services import ConflictError, record_audit
from knowledge.documents import DocumentError, parse_document
from knowledge.models import Chunk, Document, KnowledgeBase


class InvalidKnowledgeBase(ValueError):
    def __init__(self, message: str, field: str) -> None:
        super().__init__(message)
        self.message = message
        self.field = field


def _who(actor, api_key) -> dict[str, Any]:
    return {"actor": actor if getattr(actor, "is_authenticated", False) else None, "api_key": api_key}


def _check_name(name: str) -> str:
    name = (name or "").strip()
    if not name:
        raise InvalidKnowledgeBase("Give the knowledge base a name.", "name")
    return name


def create_knowledge_base(project: Project, *, name: str, description: str = "", actor=None, api_key=None):
    who = _who(actor, api_key)
    kb = KnowledgeBase(project=project, name=_check_name(name), description=description, created_by=who["actor"])
    with transaction.atomic():
        try:
            with transaction.atomic():
                kb.save()
        except IntegrityError:
            raise ConflictError(f"A knowledge base named {kb.name!r} already exists in this project.") from None
        record_audit(
            project.organization, "knowledge_base.created", project=project, target=kb, details={"name": kb.name}, **who
        )
    return kb


def update_knowledge_base(kb: KnowledgeBase, *, name=None, description=None, actor=None, api_key=None):
    who = _who(actor, api_key)
    if name is not None:
        kb.name = _check_name(name)
    if description is not None:
        kb.description = description
    with transaction.atomic():
        try:
            with transaction.atomic():
                kb.save()
        except IntegrityError:
            raise ConflictError(f"A knowledge base named {kb.name!r} already exists in this project.") from None
        record_audit(
            kb.project.organization,
            "knowledge_base.updated",
            project=kb.project,
            target=kb,
            details={"name": kb.name},
            **who,
        )
    return kb


def delete_knowledge_base(kb: KnowledgeBase, *, actor=None, api_key=None) -> None:
    who = _who(actor, api_key)
    with transaction.atomic():
        record_audit(
            kb.project.organization,
            "knowledge_base.deleted",
            project=kb.project,
            target=kb,
            details={"name": kb.name},
            **who,
        )
        kb.delete()


def max_document_bytes() -> int:
    return settings.FLOWBUILDER_KNOWLEDGE_MAX_DOCUMENT_BYTES


def add_document(
    kb: KnowledgeBase,
    data: bytes,
    *,
    filename: str,
    declared_type: str = "",
    title: str = "",
    actor=None,
    api_key=None,
) -> Document:
    """Parse, chunk and store one upload (DocumentError when it cannot be indexed)."""
    limit = max_document_bytes()
    if len(data) > limit:
        raise DocumentError("DOCUMENT_TOO_LARGE", f"The file is over the limit of {limit:,} bytes.")
    if not data.strip():
        raise DocumentError("EMPTY_DOCUMENT", f"{filename or 'The file'} is empty.")
    parsed = parse_document(
        data,
        filename,
        declared_type=declared_type,
        size=settings.FLOWBUILDER_KNOWLEDGE_CHUNK_CHARS,
        overlap=settings.FLOWBUILDER_KNOWLEDGE_CHUNK_OVERLAP,
    )
    who = _who(actor, api_key)
    with transaction.atomic():
        document = Document.objects.create(
            knowledge_base=kb,
            title=(title.strip() or parsed.title)[:200],
            source_filename=(filename or "")[:255],
            content_type=parsed.content_type,
            text=parsed.text,
            size=len(data),
            chunk_count=len(parsed.chunks),
            created_by=who["actor"],
        )
        Chunk.objects.bulk_create(
            Chunk(document=document, knowledge_base=kb, ordinal=index, heading=chunk.heading, text=chunk.text)
            for index, chunk in enumerate(parsed.chunks)
        )
        KnowledgeBase.objects.filter(pk=kb.pk).update(updated_at=document.created_at)
        record_audit(
            kb.project.organization,
            "knowledge_document.added",
            project=kb.project,
            target=document,
            details={"knowledge_base": kb.pk, "title": document.title, "chunks": len(parsed.chunks)},
            **who,
        )
    return document


def delete_document(document: Document, *, actor=None, api_key=None) -> None:
    kb = document.knowledge_base
    who = _who(actor, api_key)
    with transaction.atomic():
        record_audit(
            kb.project.organization,
            "knowledge_document.deleted",
            project=kb.project,
            target=document,
            details={"knowledge_base": kb.pk, "title": document.title},
            **who,
        )
        document.delete()
