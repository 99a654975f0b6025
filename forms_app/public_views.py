"""The public form page /f/<slug>: anyone can fill it in; no account needed."""

from __future__ import annotations

from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_http_methods

from forms_app import services
from forms_app.models import Form, SubmissionSource
from forms_app.spam import HONEYPOT_FIELD, allow_submission
from forms_app.validation import SubmissionInvalid

NOT_FIELD_NAMES = frozenset({"csrfmiddlewaretoken", HONEYPOT_FIELD})


def _open_form(slug: str) -> Form:
    # A closed form answers like a missing one: its address says nothing about the owner.
    return get_object_or_404(Form.objects.prefetch_related("fields"), slug=slug, is_active=True)


def _render(request, form: Form, *, values=None, errors=None, status: int = 200):
    values, errors = values or {}, errors or {}
    rows = [
        {"field": field, "value": values.get(field.key, ""), "error": errors.get(field.key)}
        for field in form.fields.all()
    ]
    unknown = {key: message for key, message in errors.items() if key not in {r["field"].key for r in rows}}
    context = {"form": form, "rows": rows, "errors": errors, "unknown_errors": unknown, "honeypot": HONEYPOT_FIELD}
    return render(request, "forms_app/public_form.html", context, status=status)


@require_http_methods(["GET", "POST"])
def public_form(request, slug: str):
    form = _open_form(slug)
    if request.method == "GET":
        return _render(request, form)
    sender = services.hash_ip(request.META.get("REMOTE_ADDR"))
    if not allow_submission(form.id, sender):
        response = render(request, "forms_app/public_rate_limited.html", {"form": form}, status=429)
        response["Retry-After"] = "60"
        return response
    if request.POST.get(HONEYPOT_FIELD):
        # Answer a bot as if it succeeded, so it learns nothing, and store nothing.
        return redirect("public-form-thanks", slug=form.slug)
    data = {key: request.POST.get(key) for key in request.POST if key not in NOT_FIELD_NAMES}
    try:
        services.submit_form(
            form,
            data,
            source=SubmissionSource.PAGE,
            ip_address=request.META.get("REMOTE_ADDR"),
            user_agent=request.headers.get("User-Agent", ""),
        )
    except SubmissionInvalid as invalid:
        return _render(request, form, values=data, errors=invalid.errors, status=400)
    except services.FormClosed:
        return _render(request, form, status=409)
    if form.redirect_url:
        return redirect(form.redirect_url)
    return redirect("public-form-thanks", slug=form.slug)


def public_form_thanks(request, slug: str):
    form = _open_form(slug)
    return render(request, "forms_app/public_thanks.html", {"form": form})
