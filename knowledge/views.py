"""Pages: the project's knowledge bases, and one knowledge base (upload, documents, try a search)."""

from __future__ import annotations

from django import forms
from django.contrib import messages
from django.db.models import Count
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_POST

from accounts.models import Role
from accounts.services import ConflictError
from accounts.views import with_membership
from knowledge import services
from knowledge.documents import DocumentError
from knowledge.models import KnowledgeBase
from knowledge.search import MAX_QUESTION_CHARS, search


class KnowledgeBaseForm(forms.Form):
    name = forms.CharField(max_length=100)
    description = forms.CharField(max_length=1000, required=False)


class UploadForm(forms.Form):
    file = forms.FileField(help_text="A .txt, .md or .html file in UTF-8.", allow_empty_file=True)
    title = forms.CharField(max_length=200, required=False, help_text="Optional: the title found in the file is used.")


def _project(membership):
    return membership.organization.default_project


def _can_edit(membership) -> bool:
    return Role.rank(membership.role) >= Role.rank(Role.EDITOR)


@with_membership()
def knowledge_bases_page(request, membership):
    project = _project(membership)
    can_edit = _can_edit(membership)
    form = KnowledgeBaseForm(request.POST if request.method == "POST" and can_edit else None)
    if form.is_bound and form.is_valid():
        try:
            kb = services.create_knowledge_base(project, actor=request.user, **form.cleaned_data)
        except (ConflictError, services.InvalidKnowledgeBase) as error:
            form.add_error("name", getattr(error, "message", str(error)))
        else:
            messages.success(request, f"Knowledge base “{kb.name}” created: upload its documents.")
            return redirect("knowledge-base", kb_id=kb.id)
    kbs = KnowledgeBase.objects.filter(project=project).annotate(document_count=Count("documents"))
    context = {"knowledge_bases": kbs, "form": form, "can_edit": can_edit}
    return render(request, "knowledge/knowledge_bases.html", context)


@with_membership()
def knowledge_base_page(request, membership, kb_id: str):
    kb = get_object_or_404(KnowledgeBase, pk=kb_id, project=_project(membership))
    can_edit = _can_edit(membership)
    upload = UploadForm(request.POST or None, request.FILES or None) if can_edit and request.method == "POST" else None
    if upload is not None and upload.is_valid():
        file = upload.cleaned_data["file"]
        try:
            document = services.add_document(
                kb, file.read(services.max_document_bytes() + 1), filename=file.name or "",
                declared_type=file.content_type or "", title=upload.cleaned_data["title"], actor=request.user,
            )  # fmt: skip
        except DocumentError as error:
            upload.add_error("file", error.message)
        else:
            messages.success(request, f"“{document.title}” uploaded: {document.chunk_count} passages indexed.")
            return redirect("knowledge-base", kb_id=kb.id)
    question = request.GET.get("q", "")[:MAX_QUESTION_CHARS].replace("\x00", "")
    context = {
        "kb": kb,
        "can_edit": can_edit,
        "upload": upload or UploadForm(),
        "documents": kb.documents.all(),
        "question": question,
        "passages": search(kb, question, 5) if question else None,
    }
    return render(request, "knowledge/knowledge_base.html", context)


@require_POST
@with_membership(Role.EDITOR)
def knowledge_base_delete_page(request, membership, kb_id: str):
    kb = get_object_or_404(KnowledgeBase, pk=kb_id, project=_project(membership))
    services.delete_knowledge_base(kb, actor=request.user)
    messages.success(request, f"Knowledge base “{kb.name}” deleted.")
    return redirect("knowledge-bases")


@require_POST
@with_membership(Role.EDITOR)
def document_delete_page(request, membership, kb_id: str, document_id: str):
    kb = get_object_or_404(KnowledgeBase, pk=kb_id, project=_project(membership))
    document = get_object_or_404(kb.documents, pk=document_id)
    services.delete_document(document, actor=request.user)
    messages.success(request, f"“{document.title}” deleted.")
    return redirect("knowledge-base", kb_id=kb.id)
