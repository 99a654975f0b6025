"""The public page /f/<slug>: labels, CSRF, per-field errors, thank-you, redirect, spam defences."""

from __future__ import annotations

import re

import pytest
from django.test import Client

from forms_app import services
from forms_app.models import Submission
from forms_app.spam import HONEYPOT_FIELD
from tests.forms_app.conftest import GOOD_ANSWER

PAGE_ANSWER = {**GOOD_ANSWER, "seats": "3", "terms": "on"}


def page(form) -> str:
    return f"/f/{form.slug}"


@pytest.fixture
def browser():
    return Client(enforce_csrf_checks=True, REMOTE_ADDR="203.0.113.7")


def csrf_token(browser, form) -> str:
    html = browser.get(page(form)).content.decode()
    return re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', html).group(1)


def post(browser, form, answer: dict):
    return browser.post(page(form), {**answer, "csrfmiddlewaretoken": csrf_token(browser, form)})


def test_the_page_labels_every_field_for_screen_readers(browser, contact_form):
    html = browser.get(page(contact_form)).content.decode()

    for field in contact_form.fields.all():
        assert f'<label for="f-{field.key}"' in html or f'class="checkbox-label" for="f-{field.key}"' in html
        assert f'id="f-{field.key}"' in html
    assert 'aria-describedby="f-message-help' in html
    assert '<option value="Pro"' in html
    assert 'type="date"' in html
    assert f'name="{HONEYPOT_FIELD}"' in html


def test_a_post_without_the_csrf_token_is_refused(browser, contact_form):
    assert browser.post(page(contact_form), PAGE_ANSWER).status_code == 403
    assert not Submission.objects.exists()


def test_a_good_answer_shows_the_thank_you_message(browser, contact_form):
    response = post(browser, contact_form, PAGE_ANSWER)

    assert response.status_code == 302
    assert response["Location"] == f"/f/{contact_form.slug}/thanks"
    assert "Thanks, we will write back." in browser.get(response["Location"]).content.decode()
    submission = Submission.objects.get()
    assert submission.source == "page"
    assert submission.data == {**GOOD_ANSWER, "seats": 3}


def test_the_sender_address_is_kept_only_as_a_hash(browser, contact_form):
    post(browser, contact_form, PAGE_ANSWER)
    submission = Submission.objects.get()
    assert submission.ip_hash == services.hash_ip("203.0.113.7")
    assert "203.0.113.7" not in str(Submission.objects.values().get())


def test_a_form_with_a_redirect_sends_the_person_there(browser, contact_form):
    services.update_form(contact_form, changes={"redirect_url": "https://acme.example.com/welcome"})
    response = post(browser, contact_form, PAGE_ANSWER)
    assert response["Location"] == "https://acme.example.com/welcome"


def test_errors_are_shown_per_field_and_the_values_kept(browser, contact_form):
    response = post(browser, contact_form, {**PAGE_ANSWER, "email": "ada@", "terms": ""})

    assert response.status_code == 400
    html = response.content.decode()
    assert '<p class="error" id="f-email-error">Enter a valid email address.</p>' in html
    assert '<p class="error" id="f-terms-error">This box must be checked.</p>' in html
    assert 'value="ada@"' in html
    assert html.count('aria-invalid="true"') == 2
    assert not Submission.objects.exists()


def test_the_page_and_the_api_give_the_same_errors(browser, alice_api, contact_form):
    bad = {"name": "x" * 21, "email": "ada@", "seats": "0", "plan": "Gold", "start": "2026-02-30"}
    html = post(browser, contact_form, {**bad, "terms": ""}).content.decode()
    api = alice_api.post(
        f"/api/v1/forms/{contact_form.id}/submissions", {"data": {**bad, "terms": False}}, format="json"
    )

    api_errors = api.json()["error"]["details"]["errors"]
    assert set(api_errors) == {"name", "email", "seats", "plan", "start", "terms"}
    for key, message in api_errors.items():
        assert f'id="f-{key}-error">{message}</p>' in html


def test_a_filled_honeypot_looks_accepted_but_stores_nothing(browser, contact_form):
    response = post(browser, contact_form, {**PAGE_ANSWER, HONEYPOT_FIELD: "http://spam.example"})
    assert response.status_code == 302
    assert not Submission.objects.exists()


def test_the_eleventh_submission_in_a_minute_from_one_address_is_refused(browser, contact_form, globex_form):
    token = csrf_token(browser, contact_form)
    answers = [browser.post(page(contact_form), {**PAGE_ANSWER, "csrfmiddlewaretoken": token}) for _ in range(11)]

    assert [r.status_code for r in answers] == [302] * 10 + [429]
    assert answers[-1]["Retry-After"] == "60"
    assert Submission.objects.count() == 10
    other_sender = Client(REMOTE_ADDR="198.51.100.9")
    assert other_sender.post(page(contact_form), PAGE_ANSWER).status_code == 302
    assert browser.post(page(globex_form), {"name": "Ada", "csrfmiddlewaretoken": token}).status_code == 302


def test_a_closed_or_unknown_form_is_not_found(browser, contact_form):
    services.update_form(contact_form, changes={"is_active": False})
    assert browser.get(page(contact_form)).status_code == 404
    assert browser.get("/f/no-such-form").status_code == 404
