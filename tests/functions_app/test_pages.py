"""Function pages: the list, the editor (each kind's form), syntax errors with their line, versions."""

from __future__ import annotations

import pytest
from django.test import Client

from functions_app.models import Function
from tests.functions_app.conftest import DOUBLE

pytestmark = pytest.mark.django_db


@pytest.fixture
def browser():
    def make(user):
        client = Client()
        client.force_login(user)
        return client

    return make


def test_the_list_shows_the_projects_functions_and_the_nav_links_it(alice, browser, make_function):
    make_function("double")
    page = browser(alice).get("/functions/").content.decode()
    assert 'href="/functions/"' in page
    assert "double" in page and "v1" in page
    assert 'href="/functions/new/?kind=code"' in page


def test_the_new_page_fills_in_the_name_and_loads_the_code_editor(alice, browser):
    page = browser(alice).get("/functions/new/?kind=code&name=validateCustomerData").content.decode()
    assert 'value="validateCustomerData"' in page
    assert 'data-code-editor="python"' in page
    assert "editor/functions.js" in page and "editor/functions.css" in page


def test_creating_a_code_function_from_the_page_makes_version_1(alice, browser, acme):
    client = browser(alice)
    response = client.post("/functions/new/", {"name": "double", "kind": "code", "source": DOUBLE})
    assert response.status_code == 302
    function = Function.objects.get(project=acme.default_project, name="double")
    assert response["Location"] == f"/functions/{function.id}/"
    assert function.spec == {"language": "python", "source": DOUBLE}
    page = client.get(response["Location"]).content.decode()
    assert 'id="function-test"' in page and "v1" in page


def test_a_syntax_error_is_shown_with_its_line_and_nothing_is_saved(alice, browser, acme):
    source = "def main(input, ctx):\n    return {\n"
    response = browser(alice).post("/functions/new/", {"name": "broken", "kind": "code", "source": source})
    assert response.status_code == 200
    page = response.content.decode()
    assert 'data-error-line="2"' in page or 'data-error-line="3"' in page
    assert "line " in page and 'data-testid="field-error-source"' in page
    assert not Function.objects.filter(project=acme.default_project, name="broken").exists()


def test_saving_a_changed_source_adds_a_version_and_lists_it(alice, browser, make_function):
    function = make_function("double")
    client = browser(alice)
    changed = DOUBLE.replace("* 2", "* 3")
    response = client.post(f"/functions/{function.id}/", {"name": "double", "source": changed})
    assert response.status_code == 302
    function.refresh_from_db()
    assert (function.version, function.spec["source"]) == (2, changed)
    page = client.get(f"/functions/{function.id}/").content.decode()
    assert "<strong>v2</strong>" in page and "<strong>v1</strong>" in page


def test_an_http_function_from_its_form_with_json_parts(alice, browser, acme):
    response = browser(alice).post("/functions/new/", {
        "name": "slack.post", "kind": "http", "method": "POST", "url": "https://hooks.example.com/{{ input.id }}",
        "headers": '{"X-Team": "ops"}', "body": '{"text": "{{ input.text }}"}', "response": "",
    })  # fmt: skip
    assert response.status_code == 302, response.content.decode()
    function = Function.objects.get(project=acme.default_project, name="slack.post")
    assert function.spec == {"method": "POST", "url": "https://hooks.example.com/{{ input.id }}",
                             "headers": {"X-Team": "ops"}, "body": {"text": "{{ input.text }}"}}  # fmt: skip


def test_a_json_part_that_is_not_json_is_an_error_on_its_field(alice, browser, acme):
    response = browser(alice).post("/functions/new/", {
        "name": "hook", "kind": "http", "method": "GET", "url": "https://example.com", "headers": "{nope",
    })  # fmt: skip
    assert response.status_code == 200
    assert "Not JSON" in response.content.decode()
    assert not Function.objects.filter(project=acme.default_project, name="hook").exists()


def test_an_ai_function_without_a_credential_says_which_field(alice, browser, acme):
    response = browser(alice).post("/functions/new/", {"name": "research", "kind": "ai", "prompt": "Research"})
    assert response.status_code == 200
    assert "credential" in response.content.decode()
    assert not Function.objects.filter(project=acme.default_project).exists()


def test_a_duplicate_name_is_refused_on_the_name_field(alice, browser, make_function):
    make_function("double")
    response = browser(alice).post("/functions/new/", {"name": "double", "kind": "code", "source": DOUBLE})
    assert response.status_code == 200
    assert "already exists" in response.content.decode()


def test_a_viewer_sees_a_function_but_cannot_change_it(bob_viewer, browser, make_function):
    function = make_function("double")
    client = browser(bob_viewer)
    page = client.get(f"/functions/{function.id}/").content.decode()
    assert 'data-testid="save-function"' not in page
    client.post(f"/functions/{function.id}/", {"name": "renamed", "source": "def main(input, ctx):\n    return 1\n"})
    function.refresh_from_db()
    assert (function.name, function.version) == ("double", 1)
    assert client.get("/functions/new/").status_code == 302
    assert client.post(f"/functions/{function.id}/delete/").status_code == 403


def test_another_organizations_function_is_not_found(charlie, browser, make_function):
    function = make_function("double")
    assert browser(charlie).get(f"/functions/{function.id}/").status_code == 404


def test_a_missing_functions_problem_links_to_the_prefilled_page(alice_api):
    created = alice_api.post("/api/v1/workflows", {"name": "Calls", "nodes": [
        {"id": "start", "type": "trigger.manual", "config": {}},
        {"id": "call", "type": "function.call", "config": {"function": "validateCustomerData"}},
    ], "edges": [{"id": "e1", "source": "start", "target": "call"}]}, format="json")  # fmt: skip
    assert created.status_code == 201, created.content
    problem = next(p for p in created.json()["data"]["problems"] if p["code"] == "UNKNOWN_FUNCTION")
    href = "/functions/new/?kind=code&name=validateCustomerData"
    assert problem["link"] == href
    assert problem["action"]["href"] == href and problem["action"]["label"] == "Create function validateCustomerData"
