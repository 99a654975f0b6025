"""A code function's credentials on its page: chosen by name, passed in explicitly, redacted."""

from __future__ import annotations

import pytest

from functions_app.models import Function
from tests.functions_app.test_pages import browser  # noqa: F401 (the logged-in page client)

pytestmark = pytest.mark.django_db

SECRET = "xoxb-page-secret-1234"
SOURCE = "def main(input, ctx):\n    print('token', ctx.credentials['slack']['token'])\n    return ctx.credentials\n"


@pytest.fixture
def slack(alice_api):
    payload = {"name": "Slack bot", "type": "bearer", "secret": {"token": SECRET}}
    created = alice_api.post("/api/v1/credentials", payload, format="json")
    assert created.status_code == 201, created.content
    return created.json()["data"]["id"]


def post_code(client, path: str, names: list[str], ids: list[str], shown: bool = True, name: str = "notify"):
    form = {"name": name, "kind": "code", "source": SOURCE, "credential_name": names, "credential_id": ids}
    if shown:
        form["credentials_shown"] = "1"
    return client.post(path, form)


def test_the_page_saves_the_chosen_credentials_and_tests_with_them_redacted(alice, browser, alice_api, slack, acme):  # noqa: F811
    client = browser(alice)
    response = post_code(client, "/functions/new/", ["slack", "billing", ""], [slack, "", ""])
    assert response.status_code == 302, response.content.decode()
    function = Function.objects.get(project=acme.default_project, name="notify")
    assert function.spec["credentials"] == {"slack": slack, "billing": None}  # None: chosen per node

    page = client.get(response["Location"]).content.decode()
    assert 'value="slack"' in page and f'<option value="{slack}" selected>Slack bot (bearer)</option>' in page
    assert 'value="billing"' in page and SECRET not in page
    assert page.count('name="credential_name"') == 4  # the two saved rows and two blank ones

    result = alice_api.post(f"/api/v1/functions/{function.id}/test", {"input": {}, "credentials": {"billing": slack}},
                            format="json").json()["data"]  # fmt: skip
    assert result["ok"] is True, result
    assert result["output"]["slack"] == {"token": "[redacted]"}
    assert result["logs"] == ["token [redacted]"]


def test_rows_removed_on_the_page_are_removed_and_a_post_without_rows_keeps_them(alice, browser, slack, acme):  # noqa: F811
    client = browser(alice)
    post_code(client, "/functions/new/", ["slack"], [slack])
    function = Function.objects.get(project=acme.default_project, name="notify")
    changed = SOURCE.replace("'token',", "'tok',")
    client.post(f"/functions/{function.id}/", {"name": "notify", "source": changed})  # an older form, no rows
    function.refresh_from_db()
    assert (function.version, function.spec["credentials"]) == (2, {"slack": slack})
    post_code(client, f"/functions/{function.id}/", ["", ""], ["", ""])
    function.refresh_from_db()
    assert function.version == 3 and "credentials" not in function.spec


@pytest.mark.parametrize(
    ("names", "message"),
    [(["slack", "slack"], "the name &#x27;slack&#x27; is given twice"), (["2fa"], "is not a name the code can use")],
)
def test_a_bad_row_is_refused_with_a_clear_message_and_kept_on_the_page(alice, browser, slack, acme, names, message):  # noqa: F811
    response = post_code(browser(alice), "/functions/new/", names, [slack] * len(names))
    assert response.status_code == 200
    page = response.content.decode()
    assert message in page and f'value="{names[0]}"' in page
    assert not Function.objects.filter(project=acme.default_project, name="notify").exists()


def test_a_credential_of_another_project_is_refused(alice, browser, charlie_api, acme):  # noqa: F811
    theirs = charlie_api.post("/api/v1/credentials", {"name": "Theirs", "type": "bearer", "secret": {"token": "t"}},
                              format="json").json()["data"]["id"]  # fmt: skip
    response = post_code(browser(alice), "/functions/new/", ["slack"], [theirs])
    assert response.status_code == 200
    assert f"No credential {theirs} in this project." in response.content.decode()
    assert not Function.objects.filter(project=acme.default_project, name="notify").exists()


def test_the_test_panel_asks_only_for_the_credentials_left_to_each_node(alice, browser, slack, acme):  # noqa: F811
    client = browser(alice)
    response = post_code(client, "/functions/new/", ["slack", "billing"], [slack, ""])
    page = client.get(response["Location"]).content.decode()
    assert 'data-test-credential="billing"' in page
    assert 'data-test-credential="slack"' not in page
