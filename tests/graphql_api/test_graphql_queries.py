"""In-process checks of the GraphQL endpoint: the SQL query count of a nested query is pinned
(batch loaders, no N+1), the session path needs CSRF, and the error mapping is REST's."""

from __future__ import annotations

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from tests.graphql_api.conftest import failing_flow, order_flow
from workflows import services
from workflows.jobs import run_execution

pytestmark = pytest.mark.django_db

NESTED = """{ workflows(first: 10) { totalCount edges { node {
  id name inputSchema versions { number }
  recentExecutions(limit: 3) { id status steps { nodeId status } logs { message } failingNode { nodeId } }
} } } }"""

# The request: the API key, its last_used_at, the default project; then the workflows page and its
# count, and one query each for versions, recent runs, steps and log lines, whatever the number of
# workflows. (Rate limit and usage are counted in Redis.)
QUERIES_PER_REQUEST = 9


def post(client, query: str, variables: dict | None = None):
    return client.post("/api/v1/graphql", {"query": query, "variables": variables or {}}, format="json")


def make_workflows(acme, alice, count: int, *, start: int = 0) -> None:
    for index in range(start, start + count):
        definition = failing_flow() if index % 2 else order_flow()
        workflow = services.create_workflow(acme.default_project, name=f"Flow {index}", definition=definition,
                                            actor=alice)  # fmt: skip
        services.publish_workflow(workflow, actor=alice)
        for amount in range(2):
            execution = services.start_execution(workflow, input={"amount": amount}, version=1, enqueue=False)
            run_execution(execution.id)


def count_queries(client) -> tuple[int, dict]:
    """Queries of one request with a key not used before (a key's first use also records last_used_at)."""
    with CaptureQueriesContext(connection) as captured:
        answer = post(client, NESTED)
    assert answer.status_code == 200, answer.content
    return len(captured.captured_queries), answer.json()


def test_a_nested_query_costs_the_same_queries_for_2_or_6_workflows(acme, alice, make_key, api_client_for):
    make_workflows(acme, alice, 2)
    few, body = count_queries(api_client_for(make_key(acme)[1]))
    make_workflows(acme, alice, 4, start=2)
    many, body = count_queries(api_client_for(make_key(acme)[1]))
    assert (few, many) == (QUERIES_PER_REQUEST, QUERIES_PER_REQUEST)
    nodes = [edge["node"] for edge in body["data"]["workflows"]["edges"]]
    assert len(nodes) == 6 and all(len(node["recentExecutions"]) == 2 for node in nodes)
    failed = [run for node in nodes for run in node["recentExecutions"] if run["status"] == "failed"]
    assert len(failed) == 6 and {run["failingNode"]["nodeId"] for run in failed} == {"boom"}
    assert all(run["steps"] and run["logs"] for node in nodes for run in node["recentExecutions"])


def test_the_browser_session_needs_the_csrf_token(alice, session_client_for):
    browser = session_client_for(alice)
    refused = post(browser, "{ workflows { totalCount } }")
    assert refused.status_code == 403
    assert refused.json()["errors"][0]["extensions"]["code"] == "FORBIDDEN"
    assert "CSRF" in refused.json()["errors"][0]["message"]
    browser.get("/graphiql/")  # the page sets the CSRF cookie
    token = browser.cookies["csrftoken"].value
    answer = browser.post("/api/v1/graphql", {"query": "{ workflows { totalCount } }"}, format="json",
                          HTTP_X_CSRFTOKEN=token)  # fmt: skip
    assert answer.status_code == 200 and answer.json() == {"data": {"workflows": {"totalCount": 0}}}


def test_graphiql_is_for_signed_in_people_and_loads_only_local_assets(client, alice):
    assert client.get("/graphiql/").status_code == 302
    client.force_login(alice)
    page = client.get("/graphiql/").content.decode()
    assert "/static/vendor/graphiql.min.js" in page and "/static/vendor/react.production.min.js" in page
    assert "https://" not in page and "unpkg" not in page


def test_a_subscription_over_http_is_a_400_pointing_to_the_websocket(alice_api):
    answer = post(alice_api, 'subscription { executionEvents(id: "exec_x") { seq } }')
    assert answer.status_code == 400
    assert "WebSocket" in answer.json()["errors"][0]["message"]


def test_a_document_with_two_operations_needs_an_operation_name(alice_api):
    two = "query A { nodeTypes { type } } query B { workflows { totalCount } }"
    refused = post(alice_api, two)
    assert refused.status_code == 400
    assert refused.json()["errors"][0]["extensions"] == {"code": "GRAPHQL_VALIDATION_FAILED", "status": 400}
    unknown = alice_api.post("/api/v1/graphql", {"query": two, "operationName": "C"}, format="json")
    assert unknown.status_code == 400 and unknown.json()["errors"][0]["extensions"]["field"] == "operationName"
    named = alice_api.post("/api/v1/graphql", {"query": two, "operationName": "B"}, format="json")
    assert named.json() == {"data": {"workflows": {"totalCount": 0}}}


def test_executions_with_their_workflows_load_in_batches(acme, alice, make_key, api_client_for):
    make_workflows(acme, alice, 2)
    query = "{ executions { edges { node { id steps { nodeId } workflow { name versions { number } } } } } }"
    first, second = api_client_for(make_key(acme)[1]), api_client_for(make_key(acme)[1])
    with CaptureQueriesContext(connection) as few:
        assert "errors" not in post(first, query).json()
    make_workflows(acme, alice, 4, start=2)
    with CaptureQueriesContext(connection) as many:
        answer = post(second, query).json()
    assert len(answer["data"]["executions"]["edges"]) == 12
    assert len(few.captured_queries) == len(many.captured_queries)
