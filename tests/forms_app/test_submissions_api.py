"""Submitting through the API, the form_submitted signal, listing by date and CSV export."""

from __future__ import annotations

import csv
import datetime as dt
import io

import pytest
from django.utils import timezone

from forms_app import services
from forms_app.models import Submission
from forms_app.signals import form_submitted
from tests.api.test_authentication import assert_error
from tests.forms_app.conftest import GOOD_ANSWER
from webhooks.models import Delivery, EventType
from webhooks.services import create_subscription


def url(form) -> str:
    return f"/api/v1/forms/{form.id}/submissions"


@pytest.fixture
def received_signals():
    received = []

    def receiver(sender, form, submission, **kwargs):
        received.append((sender, form.id, submission.id))

    form_submitted.connect(receiver, dispatch_uid="test-receiver")
    yield received
    form_submitted.disconnect(dispatch_uid="test-receiver")


def test_a_valid_submission_is_stored_cleaned(alice_api, contact_form):
    response = alice_api.post(url(contact_form), {"data": {**GOOD_ANSWER, "seats": "3"}}, format="json")

    assert response.status_code == 201, response.content
    body = response.json()["data"]
    assert body["id"].startswith("sub_")
    assert body["source"] == "api"
    assert body["data"]["seats"] == 3
    assert Submission.objects.get(pk=body["id"]).data == {**GOOD_ANSWER, "seats": 3}


def test_an_invalid_submission_names_the_field_and_lists_every_error(alice_api, contact_form):
    answer = {**GOOD_ANSWER, "email": "nope", "seats": 99, "extra": "x"}

    error = assert_error(alice_api.post(url(contact_form), {"data": answer}, format="json"), 400, "VALIDATION_ERROR")

    assert error["field"] == "data.email"
    assert error["message"] == "data.email: Enter a valid email address."
    assert error["details"]["errors"] == {
        "email": "Enter a valid email address.",
        "seats": "Enter a number of at most 10.",
        "extra": "This form has no such field.",
    }
    assert not Submission.objects.exists()


def test_a_submission_without_data_is_a_missing_field(alice_api, contact_form):
    error = assert_error(alice_api.post(url(contact_form), {}, format="json"), 400, "MISSING_REQUIRED_FIELD")
    assert error["field"] == "data"


def test_a_closed_form_takes_no_submissions(alice_api, contact_form):
    services.update_form(contact_form, changes={"is_active": False})
    assert_error(alice_api.post(url(contact_form), {"data": GOOD_ANSWER}, format="json"), 409, "CONFLICT")


def test_the_signal_fires_once_per_accepted_submission_and_never_for_rejected_ones(
    alice_api, contact_form, received_signals, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        first = alice_api.post(url(contact_form), {"data": GOOD_ANSWER}, format="json").json()["data"]
        alice_api.post(url(contact_form), {"data": {**GOOD_ANSWER, "email": "bad"}}, format="json")
        second = alice_api.post(url(contact_form), {"data": GOOD_ANSWER}, format="json").json()["data"]

    assert received_signals == [
        (type(contact_form), contact_form.id, first["id"]),
        (type(contact_form), contact_form.id, second["id"]),
    ]


def test_a_failing_signal_receiver_does_not_lose_the_submission(
    alice_api, contact_form, django_capture_on_commit_callbacks
):
    def broken(**kwargs):
        raise RuntimeError("workflow engine unavailable")

    form_submitted.connect(broken, dispatch_uid="broken")
    try:
        with django_capture_on_commit_callbacks(execute=True):
            response = alice_api.post(url(contact_form), {"data": GOOD_ANSWER}, format="json")
    finally:
        form_submitted.disconnect(dispatch_uid="broken")
    assert response.status_code == 201
    assert Submission.objects.count() == 1


def test_an_accepted_submission_emits_form_submitted_and_a_rejected_one_does_not(alice_api, acme, contact_form):
    hook = create_subscription(acme.default_project, url="https://example.com/h", events=["form.submitted"])
    alice_api.post(url(contact_form), {"data": {**GOOD_ANSWER, "terms": False}}, format="json")
    submission = alice_api.post(url(contact_form), {"data": GOOD_ANSWER}, format="json").json()["data"]

    [delivery] = Delivery.objects.filter(subscription=hook.subscription)
    assert delivery.event_type == EventType.FORM_SUBMITTED
    assert submission["id"] in delivery.body


def _submit_at(form, moment, name):
    submission = services.submit_form(form, {**GOOD_ANSWER, "name": name}, source="api")
    Submission.objects.filter(pk=submission.pk).update(created_at=moment)


def test_submissions_are_listed_newest_first_and_filtered_by_date(alice_api, contact_form):
    day = dt.datetime(2026, 3, 10, 12, tzinfo=dt.UTC)
    for offset, name in enumerate(["Mon", "Tue", "Wed"]):
        _submit_at(contact_form, day + dt.timedelta(days=offset), name)

    everything = alice_api.get(url(contact_form)).json()
    by_date = alice_api.get(url(contact_form), {"from": "2026-03-11", "to": "2026-03-11"}).json()
    by_instant = alice_api.get(url(contact_form), {"from": "2026-03-11T12:00:00Z"}).json()

    assert [s["data"]["name"] for s in everything["data"]] == ["Wed", "Tue", "Mon"]
    assert [s["data"]["name"] for s in by_date["data"]] == ["Tue"]
    assert [s["data"]["name"] for s in by_instant["data"]] == ["Wed", "Tue"]
    assert_error(alice_api.get(url(contact_form), {"from": "last week"}), 400, "VALIDATION_ERROR")
    assert_error(alice_api.get(url(contact_form), {"to": "2026-02-30"}), 400, "VALIDATION_ERROR")


def test_submissions_export_as_csv_with_formulas_defused(alice_api, contact_form):
    _submit_at(contact_form, timezone.now(), "=HYPERLINK(1)")
    services.submit_form(contact_form, {**GOOD_ANSWER, "name": "Ada"}, source="page")

    response = alice_api.get(url(contact_form), {"format": "csv"})

    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/csv")
    assert 'filename="contact-us-submissions.csv"' in response["Content-Disposition"]
    rows = list(csv.reader(io.StringIO(b"".join(response.streaming_content).decode())))
    assert rows[0] == ["id", "submitted_at", "source", "name", "email", "message", "seats", "plan", "terms", "start"]
    assert [row[3] for row in rows[1:]] == ["'=HYPERLINK(1)", "Ada"]
    assert rows[2][2] == "page"
    assert rows[2][8] == "true"
