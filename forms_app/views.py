"""Builder pages: the forms list, the form builder and the submissions table."""

from __future__ import annotations

import datetime as dt

from django.contrib import messages
from django.core.paginator import Paginator
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.dateparse import parse_date
from django.views.decorators.http import require_POST

from accounts.models import Role
from accounts.views import with_membership
from forms_app import services
from forms_app.api.serializers import FormSerializer
from forms_app.exports import csv_response
from forms_app.models import FieldType, Form


def _org_form(membership, form_id: str) -> Form:
    return get_object_or_404(
        Form.objects.select_related("project").prefetch_related("fields"),
        pk=form_id,
        project__organization=membership.organization,
    )


@with_membership()
def forms_page(request, membership):
    organization = membership.organization
    can_edit = Role.rank(membership.role) >= Role.rank(Role.EDITOR)
    if request.method == "POST" and can_edit:
        name = request.POST.get("name", "").strip()[:200]
        if name:
            form = services.create_form(organization.default_project, name=name, actor=request.user)
            messages.success(request, f"Form “{form.name}” created. Add its fields below.")
            return redirect("form-builder", form_id=form.id)
        messages.error(request, "Give the form a name.")
    forms = Form.objects.filter(project__organization=organization).select_related("project")
    return render(request, "forms_app/forms.html", {"forms": forms, "can_edit": can_edit})


@with_membership(Role.EDITOR)
def form_builder_page(request, membership, form_id: str):
    form = _org_form(membership, form_id)
    context = {
        "form": form,
        "form_data": FormSerializer(form).data,
        "field_types": FieldType.choices,
    }
    return render(request, "forms_app/builder.html", context)


@require_POST
@with_membership(Role.EDITOR)
def delete_form_page(request, membership, form_id: str):
    form = _org_form(membership, form_id)
    services.delete_form(form, actor=request.user)
    messages.success(request, f"Form “{form.name}” deleted with its submissions.")
    return redirect("forms")


def _filtered_submissions(request, form: Form):
    submissions = form.submissions.all()
    start, end = parse_date(request.GET.get("from", "") or ""), parse_date(request.GET.get("to", "") or "")
    if start:
        submissions = submissions.filter(created_at__date__gte=start)
    if end:
        submissions = submissions.filter(created_at__date__lt=end + dt.timedelta(days=1))
    return submissions


@with_membership()
def form_submissions_page(request, membership, form_id: str):
    form = _org_form(membership, form_id)
    try:
        submissions = _filtered_submissions(request, form)
    except ValueError:
        messages.error(request, "Dates look like 2026-01-31.")
        submissions = form.submissions.all()
    page = Paginator(submissions, 50).get_page(request.GET.get("page"))
    fields = list(form.fields.all())
    rows = [(s, [s.data.get(f.key) for f in fields]) for s in page]
    context = {"form": form, "fields": fields, "rows": rows, "page": page, "query": request.GET.urlencode()}
    return render(request, "forms_app/submissions.html", context)


@with_membership()
def form_submissions_csv(request, membership, form_id: str):
    form = _org_form(membership, form_id)
    try:
        submissions = _filtered_submissions(request, form)
    except ValueError:
        submissions = form.submissions.all()
    return csv_response(form, submissions.order_by("created_at", "id").iterator())
