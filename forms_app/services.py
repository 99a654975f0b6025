"""Form actions: each one writes, audits, and owns its transaction."""

from __future__ import annotations

import hashlib
import hmac
import logging
import secrets
from collections.abc import Iterable, Mapping
from typing import Any

from django.conf import settings
from django.db import IntegrityError, transaction
from django.utils.text import slugify

from accounts.models import ApiKey, Project
from accounts.services import ConflictError, record_audit
from flowbuilder.revisions import locked_row
from forms_app.models import Form, FormField, Submission
from forms_app.signals import form_submitted
from forms_app.validation import validate_submission
from webhooks.services import emit_event

logger = logging.getLogger(__name__)

FORM_ATTRIBUTES = ("name", "slug", "description", "success_message", "redirect_url", "is_active")
FIELD_ATTRIBUTES = (
    "type",
    "label",
    "required",
    "placeholder",
    "help_text",
    "options",
    "min_value",
    "max_value",
    "max_length",
)


class FormClosed(Exception):
    """The form is switched off and takes no submissions (HTTP 409 in the API)."""


def hash_ip(ip_address: str | None) -> str:
    """A keyed hash of the sender's address: one sender is recognisable, the address is not kept."""
    if not ip_address:
        return ""
    return hmac.new(settings.SECRET_KEY.encode(), ip_address.encode(), hashlib.sha256).hexdigest()


def _free_slug(name: str) -> str:
    base = slugify(name)[:60] or "form"
    slug = base
    while Form.objects.filter(slug=slug).exists():
        slug = f"{base}-{secrets.token_hex(3)}"
    return slug


def _ordered(fields: Iterable[Mapping[str, Any]]) -> list[Mapping[str, Any]]:
    """Fields sorted by their `position` (list order breaks ties and fills gaps)."""
    indexed = list(enumerate(fields))
    indexed.sort(key=lambda pair: (pair[1].get("position", pair[0]), pair[0]))
    return [field for _, field in indexed]


def _replace_fields(form: Form, fields: Iterable[Mapping[str, Any]]) -> None:
    """Make the form's fields exactly `fields`, keeping the rows (and ids) of keys that stay."""
    existing = {field.key: field for field in form.fields.all()}
    wanted = _ordered(fields)
    keep = {spec["key"] for spec in wanted}
    form.fields.exclude(key__in=keep).delete()
    for position, spec in enumerate(wanted):
        row = existing.get(spec["key"]) or FormField(form=form, key=spec["key"])
        for name in FIELD_ATTRIBUTES:
            if name in spec:
                setattr(row, name, spec[name])
        row.position = position
        row.save()


def _save_form(form: Form) -> None:
    try:
        with transaction.atomic():
            form.save()
    except IntegrityError:
        raise ConflictError(f"The address /f/{form.slug} is taken; choose another slug.") from None


def create_form(
    project: Project,
    *,
    name: str,
    fields: Iterable[Mapping[str, Any]] = (),
    actor=None,
    api_key: ApiKey | None = None,
    **attributes: Any,
) -> Form:
    form = Form(project=project, name=name, created_by=actor, **attributes)
    form.slug = form.slug or _free_slug(name)
    with transaction.atomic():
        _save_form(form)
        _replace_fields(form, fields)
        record_audit(
            project.organization,
            "form.created",
            actor=actor,
            api_key=api_key,
            project=project,
            target=form,
            details={"name": name, "slug": form.slug},
        )
    return form


def update_form(
    form: Form,
    *,
    changes: Mapping[str, Any],
    fields: Iterable[Mapping[str, Any]] | None = None,
    expected_revisions=None,
    actor=None,
    api_key: ApiKey | None = None,
) -> Form:
    """Change the form's attributes; when `fields` is given it replaces the whole field list.

    `expected_revisions` (from If-Match) makes it conditional: StaleRevision when the row moved on.
    """
    with transaction.atomic():
        form = locked_row(Form.objects.select_related("project__organization"), form.pk, expected_revisions)
        for name in FORM_ATTRIBUTES:
            if name in changes:
                setattr(form, name, changes[name])
        _save_form(form)
        if fields is not None:
            _replace_fields(form, fields)
        changed = sorted(set(changes) & set(FORM_ATTRIBUTES)) + (["fields"] if fields is not None else [])
        record_audit(
            form.project.organization,
            "form.updated",
            actor=actor,
            api_key=api_key,
            project=form.project,
            target=form,
            details={"changed": changed},
        )
    return form


def delete_form(form: Form, *, expected_revisions=None, actor=None, api_key: ApiKey | None = None) -> None:
    with transaction.atomic():
        form = locked_row(Form.objects.select_related("project__organization"), form.pk, expected_revisions)
        record_audit(
            form.project.organization,
            "form.deleted",
            actor=actor,
            api_key=api_key,
            project=form.project,
            target=form,
            details={"name": form.name, "slug": form.slug},
        )
        form.delete()


def submit_form(
    form: Form,
    data: Mapping[str, Any],
    *,
    source: str,
    ip_address: str | None = None,
    user_agent: str = "",
) -> Submission:
    """Validate and store a submission, emit `form.submitted` and tell the workflows.

    Raises SubmissionInvalid (with an error per field) or FormClosed. The outbound
    deliveries are written in the same transaction as the submission, so a stored
    submission never loses its event; they are sent, and the signal sent, after commit.
    """
    if not form.is_active:
        raise FormClosed(f"The form {form.name!r} is closed and takes no submissions.")
    cleaned = validate_submission(list(form.fields.all()), data)
    with transaction.atomic():
        submission = Submission.objects.create(
            form=form,
            data=cleaned,
            source=source,
            ip_hash=hash_ip(ip_address),
            user_agent=(user_agent or "")[:300],
        )
        emit_event(form.project, "form.submitted", submitted_event_payload(form, submission))
        transaction.on_commit(lambda: _announce_submission(form, submission))
    return submission


def submitted_event_payload(form: Form, submission: Submission) -> dict[str, Any]:
    return {
        "form": {"id": form.id, "name": form.name, "slug": form.slug},
        "submission": {
            "id": submission.id,
            "source": submission.source,
            "created_at": submission.created_at.isoformat(),
            "data": submission.data,
        },
    }


def _announce_submission(form: Form, submission: Submission) -> None:
    # The submission is stored whatever a receiver does: a failing receiver is logged,
    # never turned into an error for the person who filled in the form.
    for receiver, result in form_submitted.send_robust(sender=Form, form=form, submission=submission):
        if isinstance(result, Exception):
            logger.error("form_submitted receiver %r failed for %s: %r", receiver, submission.id, result)
