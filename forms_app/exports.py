"""Submissions as CSV, for the API export and the submissions page alike."""

from __future__ import annotations

import csv
from collections.abc import Iterable, Iterator

from django.http import StreamingHttpResponse

from forms_app.models import Form, Submission

# A cell starting with one of these is run as a formula by spreadsheet programs.
FORMULA_PREFIXES = ("=", "+", "-", "@", "\t", "\r")


class _Echo:
    def write(self, value: str) -> str:
        return value


def _cell(value) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    text = str(value)
    return "'" + text if text.startswith(FORMULA_PREFIXES) else text


def submission_rows(form: Form, submissions: Iterable[Submission]) -> Iterator[list[str]]:
    """A header row (id, submitted at, source, then each field's key in form order), then one row each."""
    keys = [field.key for field in form.fields.all()]
    yield ["id", "submitted_at", "source", *keys]
    for submission in submissions:
        values = [submission.data.get(key) for key in keys]
        yield [submission.id, submission.created_at.isoformat(), submission.source, *map(_cell, values)]


def csv_response(form: Form, submissions: Iterable[Submission]) -> StreamingHttpResponse:
    writer = csv.writer(_Echo())
    response = StreamingHttpResponse(
        (writer.writerow(row) for row in submission_rows(form, submissions)),
        content_type="text/csv; charset=utf-8",
    )
    response["Content-Disposition"] = f'attachment; filename="{form.slug}-submissions.csv"'
    return response
