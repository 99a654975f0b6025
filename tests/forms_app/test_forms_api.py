"""The /forms API: create, read, change (fields nested and reordered), delete; outsiders get 404."""

from __future__ import annotations

import pytest

from accounts.models import AuditEvent, Role
from forms_app.models import Form, FormField
from tests.api.test_authentication import assert_error
from tests.forms_app.conftest import CONTACT_FIELDS

URL = "/api/v1/forms"


def test_creating_a_form_with_fields(alice_api, acme):
    response = alice_api.post(
        URL, {"name": "Sign up", "description": "Join us", "fields": CONTACT_FIELDS[:3]}, format="json"
    )

    assert response.status_code == 201, response.content
    form = response.json()["data"]
    assert form["id"].startswith("form_")
    assert form["slug"] == "sign-up"
    assert form["public_url"] == "/f/sign-up"
    assert form["project_id"] == acme.default_project.id
    assert [f["key"] for f in form["fields"]] == ["name", "email", "message"]
    assert [f["position"] for f in form["fields"]] == [0, 1, 2]
    assert AuditEvent.objects.filter(action="form.created", target_id=form["id"]).exists()


def test_a_taken_slug_gets_a_conflict_and_a_free_one_is_made_up_from_the_name(alice_api, contact_form):
    error = assert_error(alice_api.post(URL, {"name": "Another", "slug": "contact-us"}, format="json"), 409, "CONFLICT")
    assert error["field"] == "slug"

    made_up = alice_api.post(URL, {"name": "Contact us"}, format="json").json()["data"]["slug"]
    assert made_up.startswith("contact-us-") and made_up != "contact-us"


@pytest.mark.parametrize(
    "field, path",
    [
        ({"key": "Bad Key", "type": "text", "label": "x"}, "fields[0].key"),
        ({"key": "plan", "type": "select", "label": "x"}, "fields[0].options"),
        ({"key": "plan", "type": "select", "label": "x", "options": ["a", "a"]}, "fields[0].options"),
        ({"key": "n", "type": "number", "label": "x", "min_value": 5, "max_value": 1}, "fields[0].min_value"),
        ({"key": "n", "type": "checkbox", "label": "x", "max_length": 3}, "fields[0].max_length"),
        ({"key": "n", "type": "color", "label": "x"}, "fields[0].type"),
    ],
)
def test_a_bad_field_definition_is_refused_with_its_path(alice_api, field, path):
    error = assert_error(
        alice_api.post(URL, {"name": "Bad", "fields": [field]}, format="json"), 400, "VALIDATION_ERROR"
    )
    # The shared error handler spells list indexes as `fields.0.key` for now; accept either spelling.
    assert error["field"].replace(".0.", "[0].") == path


def test_repeated_field_keys_are_refused(alice_api):
    fields = [{"key": "a", "type": "text", "label": "A"}, {"key": "a", "type": "text", "label": "B"}]
    error = assert_error(
        alice_api.post(URL, {"name": "Twice", "fields": fields}, format="json"), 400, "VALIDATION_ERROR"
    )
    assert error["field"] == "fields"
    assert not Form.objects.exists()


def test_patching_fields_reorders_them_by_position_and_keeps_surviving_rows(alice_api, contact_form):
    email_id = contact_form.fields.get(key="email").id
    fields = [
        {"key": "email", "type": "email", "label": "Email address", "required": True, "position": 2},
        {"key": "name", "type": "text", "label": "Name", "position": 1},
        {"key": "company", "type": "text", "label": "Company", "position": 0},
    ]

    response = alice_api.patch(f"{URL}/{contact_form.id}", {"fields": fields, "is_active": False}, format="json")

    assert response.status_code == 200, response.content
    data = response.json()["data"]
    assert [(f["key"], f["position"]) for f in data["fields"]] == [("company", 0), ("name", 1), ("email", 2)]
    assert data["fields"][2]["id"] == email_id
    assert data["fields"][2]["label"] == "Email address"
    assert data["is_active"] is False
    assert FormField.objects.filter(form=contact_form).count() == 3


def test_patching_without_fields_leaves_them_alone(alice_api, contact_form):
    response = alice_api.patch(f"{URL}/{contact_form.id}", {"name": "Write to us"}, format="json")
    assert response.json()["data"]["name"] == "Write to us"
    assert len(response.json()["data"]["fields"]) == len(CONTACT_FIELDS)


def test_deleting_a_form(alice_api, contact_form):
    assert alice_api.delete(f"{URL}/{contact_form.id}").status_code == 204
    assert not Form.objects.filter(pk=contact_form.id).exists()
    assert AuditEvent.objects.filter(action="form.deleted", target_id=contact_form.id).exists()


def test_the_list_does_not_query_once_per_form(alice_api, acme, django_assert_max_num_queries):
    from forms_app import services

    for number in range(5):
        services.create_form(acme.default_project, name=f"Form {number}", fields=CONTACT_FIELDS)
    with django_assert_max_num_queries(12):
        response = alice_api.get(URL)
    assert response.json()["meta"]["total"] == 5


def test_viewers_read_forms_but_cannot_change_them(acme, make_key, api_client_for, contact_form):
    _, plaintext = make_key(acme, Role.VIEWER)
    viewer = api_client_for(plaintext)
    assert viewer.get(f"{URL}/{contact_form.id}").status_code == 200
    assert_error(viewer.patch(f"{URL}/{contact_form.id}", {"name": "x"}, format="json"), 403, "FORBIDDEN")
    assert_error(viewer.delete(f"{URL}/{contact_form.id}"), 403, "FORBIDDEN")


def test_an_outsider_gets_404_for_every_form_endpoint(charlie_api, contact_form):
    base = f"{URL}/{contact_form.id}"
    assert charlie_api.get(URL).json()["data"] == []
    assert_error(charlie_api.get(base), 404, "NOT_FOUND")
    assert_error(charlie_api.patch(base, {"name": "mine"}, format="json"), 404, "NOT_FOUND")
    assert_error(charlie_api.delete(base), 404, "NOT_FOUND")
    assert_error(charlie_api.get(f"{base}/submissions"), 404, "NOT_FOUND")
    assert_error(charlie_api.get(f"{base}/submissions", {"format": "csv"}), 404, "NOT_FOUND")
    assert_error(charlie_api.post(f"{base}/submissions", {"data": {}}, format="json"), 404, "NOT_FOUND")
    contact_form.refresh_from_db()
    assert contact_form.name == "Contact us"
