"""Builder pages: forms list, builder, submissions table and CSV; members only, own organization only."""

from __future__ import annotations

import pytest
from django.test import Client

from forms_app import services
from forms_app.models import Form
from tests.forms_app.conftest import GOOD_ANSWER


@pytest.fixture
def signed_in():
    def sign_in(user) -> Client:
        client = Client()
        client.force_login(user)
        return client

    return sign_in


def test_an_editor_creates_a_form_and_lands_in_the_builder(signed_in, bob_editor, acme):
    response = signed_in(bob_editor).post("/forms/", {"name": "Feedback"})

    form = Form.objects.get(name="Feedback")
    assert form.project == acme.default_project
    assert response["Location"] == f"/forms/{form.id}/"
    page = signed_in(bob_editor).get(response["Location"]).content.decode()
    assert 'id="form-data"' in page
    assert form.slug in page


def test_the_forms_list_shows_the_organizations_forms_only(signed_in, alice, contact_form, globex_form):
    page = signed_in(alice).get("/forms/").content.decode()
    assert "Contact us" in page
    assert "Globex survey" not in page
    assert 'href="/forms/"' in page and 'href="/webhooks/"' in page


def test_a_viewer_sees_submissions_but_not_the_builder(signed_in, bob_viewer, contact_form):
    services.submit_form(contact_form, GOOD_ANSWER, source="api")
    client = signed_in(bob_viewer)

    assert client.get(f"/forms/{contact_form.id}/").status_code == 403
    table = client.get(f"/forms/{contact_form.id}/submissions/").content.decode()
    assert "ada@example.com" in table
    export = client.get(f"/forms/{contact_form.id}/submissions.csv", {"from": "2000-01-01"})
    assert b"ada@example.com" in b"".join(export.streaming_content)


def test_deleting_a_form_from_its_page(signed_in, alice, contact_form):
    response = signed_in(alice).post(f"/forms/{contact_form.id}/delete/")
    assert response["Location"] == "/forms/"
    assert not Form.objects.filter(pk=contact_form.id).exists()


def test_an_outsider_gets_404_on_every_form_page(signed_in, charlie, contact_form):
    client = signed_in(charlie)
    for path in ("/", "/submissions/", "/submissions.csv"):
        assert client.get(f"/forms/{contact_form.id}{path}").status_code == 404
    assert client.post(f"/forms/{contact_form.id}/delete/").status_code == 404
    assert Form.objects.filter(pk=contact_form.id).exists()


def test_the_builder_saves_what_its_script_sends_through_the_session(session_client_for, alice, contact_form):
    client = session_client_for(alice)
    client.get(f"/forms/{contact_form.id}/")
    token = client.cookies["csrftoken"].value
    fields = [
        {
            "key": "plan",
            "type": "select",
            "label": "Plan",
            "required": False,
            "placeholder": "",
            "help_text": "",
            "options": ["A", "B"],
            "min_value": None,
            "max_value": None,
            "max_length": None,
            "position": 0,
        },
        {
            "key": "name",
            "type": "text",
            "label": "Name",
            "required": True,
            "placeholder": "Ada",
            "help_text": "",
            "options": [],
            "min_value": None,
            "max_value": None,
            "max_length": 20,
            "position": 1,
        },
    ]
    body = {
        "name": "Contact",
        "slug": "contact-us",
        "description": "",
        "success_message": "Thanks",
        "redirect_url": "",
        "is_active": True,
        "fields": fields,
    }

    response = client.patch(
        f"/api/v1/forms/{contact_form.id}",
        body,
        format="json",
        HTTP_X_CSRFTOKEN=token,
        HTTP_X_PROJECT_ID=contact_form.project_id,
    )

    assert response.status_code == 200, response.content
    assert [f["key"] for f in response.json()["data"]["fields"]] == ["plan", "name"]
