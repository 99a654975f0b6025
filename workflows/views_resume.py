"""The page behind a signed resume link: approve or reject a waiting run."""

from __future__ import annotations

import contextlib

from django.core import signing
from django.http import Http404
from django.shortcuts import render
from django.views.decorators.http import require_http_methods

from accounts.services import ConflictError
from workflows import services
from workflows.models import Execution, ExecutionStatus
from workflows.resume_links import read_resume_token


def _waiting_here(execution: Execution, node_id: str) -> bool:
    return execution.status == ExecutionStatus.WAITING and (execution.waiting_for or {}).get("node_id") == node_id


@require_http_methods(["GET", "POST"])
def resume_link(request, token: str):
    try:
        execution_id, node_id = read_resume_token(token)
    except signing.SignatureExpired:
        return render(request, "workflows/resume_link.html", {"expired": True}, status=410)
    except signing.BadSignature:
        raise Http404 from None
    execution = Execution.objects.select_related("workflow").filter(pk=execution_id).first()
    if execution is None:
        raise Http404
    context = {"execution": execution, "node_id": node_id, "waiting": _waiting_here(execution, node_id)}
    if request.method == "POST" and context["waiting"]:
        payload = {
            "approved": request.POST.get("decision") == "approve",
            "comment": request.POST.get("comment", "")[:2000],
            "via": "link",
        }
        with contextlib.suppress(ConflictError):  # someone answered a moment earlier: handled
            services.resume_execution(execution, payload=payload, node_id=node_id)
        context.update(waiting=False, answered=payload)
    return render(request, "workflows/resume_link.html", context)
