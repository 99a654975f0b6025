"""Hostile query parameters on every list endpoint: a 400 envelope naming the parameter, never a 5xx."""

import pytest

from forms_app import services as form_services
from tests.workflows.conftest import simple_flow
from webhooks.services import create_subscription

LISTS = [
    "/api/v1/workflows",
    "/api/v1/workflows/{workflow}/versions",
    "/api/v1/workflows/{workflow}/executions",
    "/api/v1/executions",
    "/api/v1/forms",
    "/api/v1/forms/{form}/submissions",
    "/api/v1/webhooks",
    "/api/v1/webhooks/{webhook}/deliveries",
    "/api/v1/credentials",
    "/api/v1/connections",
    "/api/v1/integrations",
    "/api/v1/api-keys",
    "/api/v1/members",
    "/api/v1/projects",
    "/api/v1/audit-log",
]

# Lists without documented ordering.
UNSORTED = ("/members", "/projects", "/api-keys", "/audit-log", "/integrations", "/versions", "/submissions",
            "/deliveries")
HOSTILE = [
    ("page=9999999999999999999", "page"),
    ("page=99999999999999999999999999999999999999", "page"),
    ("page=-1", "page"),
    ("page=0", "page"),
    ("page=1.5", "page"),
    ("page=%00", "page"),
    ("offset=9999999999999999999", "offset"),
    ("offset=-5", "offset"),
    ("offset=abc", "offset"),
    ("limit=abc", "limit"),
    ("limit=0", "limit"),
    ("limit=-1", "limit"),
    ("limit=99999999999999999999999", None),  # clamped to 100: a valid answer
    ("page=100000000&limit=100", "page"),
    ("order=sideways", "order"),
    ("sort=password", "sort"),
]
EXECUTION_HOSTILE = [
    ("cursor=garbage&limit=abc", "limit"),
    ("cursor=%%%", "cursor"),
    ("cursor=AAAA", "cursor"),
    ("cursor=MjAyNi0wMS0wMVQwMDowMDowMHxleGVjXwA", "cursor"),  # "2026-01-01T00:00:00|exec_\x00"
    ("cursor=OTk5OTk5LTk5LTk5fHg", "cursor"),  # "999999-99-99|x"
    ("status=sideways", "status"),
    ("from=yesterday", "from"),
]


@pytest.fixture
def urls(acme, alice, alice_api):
    workflow = alice_api.post("/api/v1/workflows", {"name": "W", "definition": simple_flow()}, format="json")
    form = form_services.create_form(acme.default_project, name="F", fields=[])
    webhook = create_subscription(acme.default_project, url="https://example.com/h", events=["form.submitted"])
    ids = {"workflow": workflow.json()["data"]["id"], "form": form.id, "webhook": webhook.subscription.id}
    return [url.format(**ids) for url in LISTS]


def assert_refused(response, field):
    assert response.status_code < 500, response.content
    if field is None:
        assert response.status_code == 200, response.content
        return
    assert response.status_code == 400, response.content
    error = response.json()["error"]
    assert error["code"] == "VALIDATION_ERROR"
    assert error["field"] == field, error


@pytest.mark.parametrize(("query", "field"), HOSTILE)
def test_every_list_refuses_hostile_paging_and_ordering(alice_api, urls, query, field):
    for url in urls:
        if ("sort=" in query or "order=" in query) and url.endswith(UNSORTED):
            continue  # lists without documented ordering: sort/order are not parameters there
        assert_refused(alice_api.get(f"{url}?{query}"), field)


@pytest.mark.parametrize(("query", "field"), EXECUTION_HOSTILE)
@pytest.mark.parametrize("url", ["/api/v1/executions", "/api/v1/workflows/{workflow}/executions"])
def test_execution_lists_refuse_hostile_cursors_and_filters(alice_api, urls, url, query, field):
    workflow_id = urls[1].split("/")[4]
    assert_refused(alice_api.get(f"{url.format(workflow=workflow_id)}?{query}"), field)


@pytest.mark.parametrize("query", ["search=%00", "status=%00", "channel=%00", "type=%00", "action=%00"])
def test_nul_characters_in_filters_never_reach_the_database(alice_api, urls, query):
    for url in urls:
        response = alice_api.get(f"{url}?{query}")
        assert response.status_code in (200, 400), (url, response.content)


@pytest.mark.parametrize(
    ("url", "query", "field"),
    [
        ("/api/v1/workflows", "status=sideways", "status"),
        ("/api/v1/executions", "status=sideways", "status"),
        ("/api/v1/credentials", "type=sideways", "type"),
        ("/api/v1/connections", "kind=sideways", "kind"),
        ("/api/v1/forms", "sort=slug", "sort"),
        ("/api/v1/webhooks", "order=up", "order"),
        ("/api/v1/forms/{form}/submissions", "from=tomorrow", "from"),
        ("/api/v1/webhooks/{webhook}/deliveries", "status=sideways", "status"),
    ],
)
def test_unknown_filter_values_name_the_parameter(alice_api, urls, url, query, field):
    ids = {"form": urls[5].split("/")[4], "webhook": urls[7].split("/")[4]}
    assert_refused(alice_api.get(f"{url.format(**ids)}?{query}"), field)


@pytest.fixture
def three_of_each(acme, alice_api):
    for name in ("b", "c", "a"):
        form_services.create_form(acme.default_project, name=name, fields=[])
        create_subscription(acme.default_project, url=f"https://{name}.example.com/h", events=["form.submitted"])
        alice_api.post("/api/v1/credentials", {"name": name, "type": "bearer", "secret": {"token": "t"}}, format="json")


@pytest.mark.parametrize(
    ("url", "field", "key"),
    [("/api/v1/forms", "name", "name"), ("/api/v1/webhooks", "url", "url"), ("/api/v1/credentials", "name", "name")],
)
def test_sort_and_order_are_honoured_on_forms_webhooks_and_credentials(alice_api, three_of_each, url, field, key):
    def listed(order):
        return [item[key] for item in alice_api.get(f"{url}?sort={field}&order={order}").json()["data"]]

    ascending = listed("asc")
    assert ascending == sorted(ascending) and len(ascending) == 3
    assert listed("desc") == ascending[::-1]
