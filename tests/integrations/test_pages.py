"""Credential and connection pages: schema-driven forms, secrets never rendered, a test button."""

from __future__ import annotations

import pytest
from django.test import Client

from integrations.models import Connection, Credential
from integrations.services import create_credential

SECRET = "page-secret-NEVER-RENDERED"


@pytest.fixture
def browser():
    def make(user):
        client = Client()
        client.force_login(user)
        return client

    return make


def test_the_new_credential_form_is_built_from_the_types_schema(alice, browser):
    page = browser(alice).get("/credentials/new/smtp/").content.decode()
    assert 'name="field_host"' in page and 'name="field_starttls"' in page
    assert 'type="password" name="field_password"' in page


def test_creating_a_credential_from_the_page_seals_it_and_lists_it_without_the_secret(alice, browser, acme):
    client = browser(alice)
    response = client.post("/credentials/new/bearer/", {"name": "CRM", "field_token": SECRET})
    assert response.status_code == 302
    credential = Credential.objects.get(project=acme.default_project, name="CRM")
    assert credential.unseal() == {"token": SECRET}
    for url in ("/credentials/", f"/credentials/{credential.id}/edit/"):
        page = client.get(url)
        assert page.status_code == 200
        assert SECRET not in page.content.decode()


def test_editing_with_a_blank_secret_keeps_the_stored_one(alice, browser, acme):
    credential = create_credential(
        acme.default_project, name="Mail", type="basic", fields={"username": "u", "password": SECRET}
    )
    response = browser(alice).post(
        f"/credentials/{credential.id}/edit/", {"name": "Mail 2", "field_username": "v", "field_password": ""}
    )
    assert response.status_code == 302
    credential.refresh_from_db()
    assert credential.name == "Mail 2"
    assert credential.unseal() == {"password": SECRET}
    assert credential.metadata == {"username": "v"}


def test_the_test_button_shows_the_plain_words_result(alice, browser, scratch_postgres):
    client = browser(alice)
    client.post(
        "/connections/",
        {
            "name": "pg",
            "kind": "postgresql",
            "host": scratch_postgres.host,
            "port": scratch_postgres.port,
            "database": "missing_db_x",
            "username": "postgres",
            "password": SECRET,
            "ssl_mode": "disable",
            "statement_timeout_ms": 1000,
            "row_limit": 10,
        },
    )
    connection = Connection.objects.get(name="pg")
    page = client.post(f"/connections/{connection.id}/test/", follow=True).content.decode()
    assert "Unknown database: &#x27;missing_db_x&#x27; does not exist" in page
    assert SECRET not in page


def test_a_viewer_sees_the_lists_but_no_forms(bob_viewer, browser):
    client = browser(bob_viewer)
    assert "Add a credential" not in client.get("/credentials/").content.decode()
    assert client.get("/credentials/new/bearer/").status_code == 403
    assert client.post("/connections/", {"name": "x", "kind": "rest"}).status_code == 404


def test_an_outsider_gets_404_for_another_organizations_credential(alice, charlie, browser, acme):
    credential = create_credential(acme.default_project, name="c", type="bearer", fields={"token": SECRET})
    client = browser(charlie)
    assert client.get(f"/credentials/{credential.id}/edit/").status_code == 404
    assert client.post(f"/credentials/{credential.id}/delete/").status_code == 404


def test_the_connection_form_takes_what_ask_data_hides_from_the_model(alice, browser):
    client = browser(alice)
    fields = {"kind": "postgresql", "host": "db.example.com", "database": "shop", "username": "reader"}
    fields |= {"ssl_mode": "prefer", "statement_timeout_ms": 1000, "row_limit": 10}
    response = client.post("/connections/", {**fields, "name": "shop", "ai_excluded": "payroll, customers.email"})
    assert response.status_code == 302
    assert Connection.objects.get(name="shop").ai_excluded == ["payroll", "customers.email"]
    page = client.post("/connections/", {**fields, "name": "bad", "ai_excluded": "a..b"}).content.decode()
    assert "Not a table or column name: a..b" in page and not Connection.objects.filter(name="bad").exists()
