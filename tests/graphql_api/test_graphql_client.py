"""GraphQL with a real client (`gql`) against daphne on the test database (issue 21).

Runs with `wait` happen in the web process (D19), so no worker is needed; the subscription's
run is driven by the real job function in this process, and its events reach daphne through
the Redis channel layer like a worker's.
"""

from __future__ import annotations

import asyncio

import pytest
from django.db import connections
from gql import gql
from gql.transport.exceptions import TransportQueryError

from accounts import services as accounts_services
from accounts.models import Plan, Project, Role
from tests.graphql_api.conftest import failing_flow, order_flow
from tests.graphql_api.server import ENTERPRISE_PER_MINUTE, running_server
from tests.workflows.conftest import edge, node
from workflows import services
from workflows.events import flush_events
from workflows.jobs import run_execution
from workflows.models import Execution

pytestmark = pytest.mark.django_db(transaction=True)

RUN = """mutation Run($id: ID!, $input: JSON, $wait: Float, $version: JSON) {
  runFlow(id: $id, input: $input, wait: $wait, version: $version) {
    executionId status execution { status output failingNode { nodeId code message step { attempt } } }
  }
}"""


@pytest.fixture(scope="module")
def server(django_db_setup, django_db_blocker, tmp_path_factory):
    with running_server(tmp_path_factory.mktemp("graphql")) as running:
        yield running


@pytest.fixture
def key(acme, alice, make_key):
    return make_key(acme, Role.ADMIN)[1]


def test_queries_through_an_introspected_schema(server, key, orders, alice):
    services.publish_workflow(orders, note="first", actor=alice)
    client = server.schema_client(key)
    with client as session:  # introspection is on: gql builds the schema and validates against it
        data = session.execute(gql("""{
          workflows(first: 5) { totalCount edges { node {
            id name status publishedVersion inputSchema versions { number note definition } } } }
          nodeTypes(category: "trigger") { type configSchema }
          usage { plan totals { apiCalls } limits { requestsPerMinute } }
        }"""))
    (edge_,) = data["workflows"]["edges"]
    assert edge_["node"]["id"] == orders.id and edge_["node"]["publishedVersion"] == 1
    assert edge_["node"]["inputSchema"]["required"] == ["amount"]
    assert [version["note"] for version in edge_["node"]["versions"]] == ["first"]
    assert "trigger.manual" in {item["type"] for item in data["nodeTypes"]}
    assert data["usage"]["plan"] == "business" and data["usage"]["limits"]["requestsPerMinute"] == 600


def test_executions_page_with_cursors_and_rest_filters(server, key, orders):
    for amount in range(5):
        services.start_execution(orders, input={"amount": amount}, version=None, enqueue=False)
    query = """query Page($after: String) { executions(first: 2, after: $after, status: "pending") {
      totalCount edges { cursor node { id input } } pageInfo { hasNextPage endCursor } } }"""
    seen, after, pages = [], None, 0
    while True:
        answer = server.ask(key, query, {"after": after})
        page = answer.data["executions"]
        seen += [edge_["node"]["input"]["amount"] for edge_ in page["edges"]]
        pages += 1
        if not page["pageInfo"]["hasNextPage"]:
            break
        after = page["pageInfo"]["endCursor"]
    assert seen == [4, 3, 2, 1, 0] and pages == 3  # newest first, each once
    assert server.ask(key, '{ executions(status: "completed") { totalCount } }').data["executions"]["totalCount"] == 0
    refused = server.ask(key, '{ executions(from: "yesterday") { totalCount } }')
    assert refused.status == 400 and refused.errors[0]["extensions"]["field"] == "from"


def test_x_project_id_picks_the_project(server, key, acme, orders):
    marketing = Project.objects.create(organization=acme, name="Marketing")
    services.create_workflow(marketing, name="Newsletter", definition=order_flow())
    names = "{ workflows { edges { node { name } } } }"
    default = server.ask(key, names).data["workflows"]["edges"]
    chosen = server.ask(key, names, **{"X-Project-Id": marketing.id}).data["workflows"]["edges"]
    assert [edge_["node"]["name"] for edge_ in default] == ["Orders"]
    assert [edge_["node"]["name"] for edge_ in chosen] == ["Newsletter"]
    elsewhere = server.ask(key, f'{{ workflow(id: "{orders.id}") {{ name }} }}', **{"X-Project-Id": marketing.id})
    assert (elsewhere.status, elsewhere.codes) == (404, ["WORKFLOW_NOT_FOUND"])


def test_workflow_mutations(server, key):
    definition = graphql_literal(order_flow())
    create = f'mutation {{ createWorkflow(workflow: {{name: "Triage", definition: {definition}}}) {{ id }} }}'
    created = server.ask(key, create)
    workflow_id = created.data["createWorkflow"]["id"]
    renamed = server.ask(key, 'mutation($id: ID!) { updateWorkflow(id: $id, workflow: {name: "Triage 2"}) { name } }',
                         {"id": workflow_id})  # fmt: skip
    assert renamed.data["updateWorkflow"]["name"] == "Triage 2"
    published = server.ask(key, 'mutation($id: ID!) { publishWorkflow(id: $id, note: "v1") { number } }',
                           {"id": workflow_id})  # fmt: skip
    assert published.data["publishWorkflow"]["number"] == 1
    active = server.ask(key, "mutation($id: ID!) { activateWorkflow(id: $id) { status } }", {"id": workflow_id})
    assert active.data["activateWorkflow"]["status"] == "active"
    off = "mutation($id: ID!) { activateWorkflow(id: $id, active: false) { status } }"
    assert server.ask(key, off, {"id": workflow_id}).data["activateWorkflow"]["status"] == "inactive"
    ran = server.ask(key, RUN, {"id": workflow_id, "input": {"amount": 12}, "wait": 20, "version": 1})
    assert ran.status == 200 and ran.data["runFlow"]["execution"] == {
        "status": "completed", "output": {"amount": 12}, "failingNode": None,
    }  # fmt: skip
    duplicate = server.ask(
        key, f'mutation {{ createWorkflow(workflow: {{name: "Triage 2", definition: {definition}}}) {{ id }} }}'
    )
    assert (duplicate.status, duplicate.codes) == (409, ["WORKFLOW_ALREADY_EXISTS"])


def test_execution_mutations_cancel_retry_resume(server, key, make_workflow):
    pending = server.ask(key, RUN, {"id": make_workflow(name="Queued").id})  # no wait: queued, no worker here
    cancel = "mutation($id: ID!) { cancelExecution(id: $id) { status } }"
    execution_id = pending.data["runFlow"]["executionId"]
    assert server.ask(key, cancel, {"id": execution_id}).data["cancelExecution"]["status"] == "cancelled"
    again = server.ask(key, cancel, {"id": execution_id})
    assert (again.status, again.codes) == (409, ["CONFLICT"])

    failed = server.ask(key, RUN, {"id": make_workflow(name="Doomed", definition=failing_flow()).id, "wait": 20})
    run = failed.data["runFlow"]
    assert run["execution"]["failingNode"] == {
        "nodeId": "boom", "code": "ORDER_REJECTED", "message": "Amount too high", "step": {"attempt": 1},
    }  # fmt: skip
    retry = server.ask(key, "mutation($id: ID!) { retryExecution(id: $id) { status } }", {"id": run["executionId"]})
    assert retry.data["retryExecution"]["status"] == "pending"

    approval = {"nodes": [node("start", "trigger.manual"), node("ok", "logic.wait_for_event", {"event": "approval"})],
                "edges": [edge("start", "ok")]}  # fmt: skip
    waiting = server.ask(key, RUN, {"id": make_workflow(name="Approve", definition=approval).id, "wait": 20})
    assert waiting.data["runFlow"]["status"] == "waiting"
    resume = "mutation($id: ID!) { resumeExecution(id: $id, payload: {approved: true}) { status } }"
    resumed = server.ask(key, resume, {"id": waiting.data["runFlow"]["executionId"]})
    assert resumed.data["resumeExecution"]["status"] == "pending"


def test_run_flow_with_an_idempotency_key(server, key, orders):
    run = """mutation($id: ID!, $input: JSON, $key: String) {
      runFlow(id: $id, input: $input, idempotencyKey: $key) { executionId replayed } }"""
    first = server.ask(key, run, {"id": orders.id, "input": {"amount": 1}, "key": "order-1"}).data["runFlow"]
    again = server.ask(key, run, {"id": orders.id, "input": {"amount": 1}, "key": "order-1"}).data["runFlow"]
    assert (first["replayed"], again) == (False, {"executionId": first["executionId"], "replayed": True})
    other = server.ask(key, run, {"id": orders.id, "input": {"amount": 2}, "key": "order-1"})
    assert (other.status, other.codes) == (409, ["CONFLICT"])
    assert Execution.objects.count() == 1


def test_a_failed_run_is_diagnosed_from_its_logs_and_failing_node(server, key, make_workflow):
    failed = server.ask(key, RUN, {"id": make_workflow(name="Doomed", definition=failing_flow()).id, "wait": 20})
    query = """query($id: ID!) { execution(id: $id) { status error failingNode { nodeId code }
      steps { nodeId status } logs { level nodeId message } } }"""
    execution = server.ask(key, query, {"id": failed.data["runFlow"]["executionId"]}).data["execution"]
    assert execution["failingNode"] == {"nodeId": "boom", "code": "ORDER_REJECTED"}
    assert [(step["nodeId"], step["status"]) for step in execution["steps"]] == [("start", "succeeded"),
                                                                                   ("boom", "failed")]
    errors = [line for line in execution["logs"] if line["level"] == "error"]
    assert errors[0]["nodeId"] == "boom" and "ORDER_REJECTED: Amount too high" in errors[0]["message"]


def test_input_that_does_not_match_the_input_schema(server, key, orders):
    refused = server.ask(key, RUN, {"id": orders.id, "input": {"amount": "twelve"}, "wait": 5})
    assert refused.status == 400 and refused.data == {"runFlow": None}
    (error,) = refused.errors
    assert error["extensions"]["code"] == "INVALID_INPUT"
    assert error["extensions"]["field"] == "input.amount" and error["path"] == ["runFlow"]
    assert error["extensions"]["details"]["problems"][0]["path"] == "input.amount"
    missing = server.ask(key, RUN, {"id": orders.id, "input": {"customer": "Ada"}})
    assert missing.codes == ["INVALID_INPUT"] and "amount" in missing.errors[0]["message"]
    assert not Execution.objects.exists()  # nothing stored or queued


def test_the_error_table(server, key, acme, orders, make_key, globex):
    both = f'{{ a: workflow(id: "{orders.id}") {{ name }} b: workflow(id: "wf_missing") {{ name }} }}'
    partial = server.ask(key, both)
    assert partial.status == 200 and partial.data == {"a": {"name": "Orders"}, "b": None}
    assert partial.codes == ["WORKFLOW_NOT_FOUND"] and partial.errors[0]["path"] == ["b"]

    unparsable = server.post_raw(key, {"query": "{ workflows { "})
    assert unparsable.status_code == 400
    assert unparsable.json()["errors"][0]["extensions"]["code"] == "GRAPHQL_PARSE_FAILED"
    bad_variable = server.ask(key, "query($n: Int!) { workflows(first: $n) { totalCount } }", {"n": "ten"})
    assert (bad_variable.status, bad_variable.codes, bad_variable.data) == (400, ["VALIDATION_ERROR"], None)
    unknown_field = server.ask(key, "{ workflows { colour } }")
    assert (unknown_field.status, unknown_field.codes) == (400, ["GRAPHQL_VALIDATION_FAILED"])

    assert_refused(server.ask(None, "{ workflows { totalCount } }"), 401, "UNAUTHORIZED")
    assert_refused(server.ask("wf_live_not-a-key", "{ workflows { totalCount } }"), 401, "UNAUTHORIZED")
    viewer_key = make_key(acme, Role.VIEWER)[1]
    assert server.ask(viewer_key, "{ workflows { totalCount } }").data == {"workflows": {"totalCount": 1}}
    assert_refused(server.ask(viewer_key, RUN, {"id": orders.id, "input": {"amount": 1}}), 403, "FORBIDDEN")
    foreign = server.ask(key, "{ workflows { totalCount } }", **{"X-Project-Id": globex.default_project.id})
    assert_refused(foreign, 403, "FORBIDDEN")
    pro = accounts_services.create_organization("Small shop", plan=Plan.PRO)
    assert_refused(server.ask(make_key(pro)[1], "{ workflows { totalCount } }"), 403, "PLAN_UPGRADE_REQUIRED")

    assert_refused(server.ask(key, '{ workflow(id: "wf_missing") { name } }'), 404, "WORKFLOW_NOT_FOUND")
    assert_refused(server.ask(key, '{ execution(id: "exec_missing") { id } }'), 404, "NOT_FOUND")

    big = accounts_services.create_organization("Big corp", plan=Plan.ENTERPRISE)
    big_key = make_key(big)[1]
    answers = []
    # Fixed one-minute windows: a window may turn over once mid-way, so allow two windows' worth.
    while not answers or answers[-1].status != 429 and len(answers) <= 2 * ENTERPRISE_PER_MINUTE:
        answers.append(server.ask(big_key, "{ nodeTypes { type } }"))
    assert {answer.status for answer in answers[:-1]} == {200} and len(answers) > ENTERPRISE_PER_MINUTE
    limited = assert_refused(answers[-1], 429, "RATE_LIMITED")
    assert int(limited.headers["Retry-After"]) >= 1 and limited.headers["X-RateLimit-Remaining"] == "0"


def test_depth_and_complexity_limits_refuse_before_running(server, key):
    assert server.ask(key, f"{{ {nest(3)} }}").status == 200  # depth 10: the limit
    over_depth = server.ask(key, f"{{ {nest(4)} }}")
    assert (over_depth.status, over_depth.codes) == (400, ["QUERY_TOO_COMPLEX"])
    assert "exceeds maximum operation depth of 10" in over_depth.errors[0]["message"]
    costly = "{ workflows(first: 100) { edges { node { recentExecutions(limit: 20) { steps { nodeId } } } } } }"
    refused = server.ask(key, costly)
    assert (refused.status, refused.codes) == (400, ["QUERY_TOO_COMPLEX"])
    assert refused.errors[0]["extensions"]["cost"] > refused.errors[0]["extensions"]["limit"] == 5000
    many = " ".join(f"n{i}: nodeTypes {{ type }}" for i in range(25))
    aliases = server.ask(key, f"{{ {many} }}")
    assert (aliases.status, aliases.codes) == (400, ["QUERY_TOO_COMPLEX"])
    tokens = server.ask(key, "{ %s }" % " ".join(["__typename"] * 2100))  # noqa: UP031
    assert (tokens.status, tokens.codes) == (400, ["QUERY_TOO_COMPLEX"])


def test_a_subscription_receives_a_runs_events_in_order(server, key, orders):
    pending = server.ask(key, RUN, {"id": orders.id, "input": {"amount": 7}})  # queued: nobody runs it yet
    execution_id = pending.data["runFlow"]["executionId"]
    subscription = gql("subscription($id: ID!) { executionEvents(id: $id) { seq event executionId data } }")
    subscription.variable_values = {"id": execution_id}

    events = asyncio.run(asyncio.wait_for(follow_live(server, key, subscription, execution_id), timeout=60))
    seqs = [event["seq"] for event in events]
    assert seqs == list(range(1, len(seqs) + 1))
    kinds = [event["event"] for event in events]
    assert kinds[0] == "execution.started" and kinds[-1] == "execution.finished"
    assert {"step.started", "step.succeeded"} <= set(kinds)
    assert events[-1]["data"]["status"] == "completed" and {event["executionId"] for event in events} == {execution_id}

    # Later, `after` resumes from the event log: the events after seq 3, and the stream ends with the run.
    resumed = gql("subscription($id: ID!) { executionEvents(id: $id, after: 3) { seq } }")
    resumed.variable_values = {"id": execution_id}
    replayed = asyncio.run(asyncio.wait_for(collect(server, key, resumed), timeout=30))
    assert [event["seq"] for event in replayed] == seqs[3:]


def test_a_subscription_to_a_run_out_of_reach_is_refused(server, key):
    stranger = services.create_workflow(
        accounts_services.create_organization("Elsewhere", plan=Plan.BUSINESS).default_project,
        name="Theirs", definition=order_flow(),
    )  # fmt: skip
    theirs = services.start_execution(stranger, input={"amount": 1}, version=None, enqueue=False)
    subscription = gql("subscription($id: ID!) { executionEvents(id: $id) { seq } }")
    subscription.variable_values = {"id": theirs.id}

    async def subscribe() -> None:
        async with server.subscription_client(key) as session:
            async for _ in session.subscribe(subscription):
                pass

    with pytest.raises(TransportQueryError) as refused:
        asyncio.run(asyncio.wait_for(subscribe(), timeout=30))
    assert refused.value.errors[0]["extensions"]["code"] == "NOT_FOUND"


async def follow_live(server, key, subscription, execution_id) -> list[dict]:
    """Subscribe, then run the execution, and collect its events until execution.finished ends the stream."""
    events: list[dict] = []
    async with server.subscription_client(key) as session:

        async def collect() -> None:
            async for result in session.subscribe(subscription):
                events.append(result["executionEvents"])

        collecting = asyncio.create_task(collect())
        await asyncio.sleep(0.5)  # subscribed by now; had it not been, the log would replay what it missed
        await asyncio.to_thread(run_in_a_worker_thread, execution_id)
        await collecting
    return events


async def collect(server, key, subscription) -> list[dict]:
    async with server.subscription_client(key) as session:
        return [result["executionEvents"] async for result in session.subscribe(subscription)]


def run_in_a_worker_thread(execution_id: str) -> None:
    """What a worker does with the queued job (the real job function), then the events are handed on."""
    try:
        run_execution(execution_id)
        flush_events()
    finally:
        connections.close_all()


def assert_refused(answer, status: int, code: str):
    assert (answer.status, answer.codes) == (status, [code]), answer
    assert answer.errors[0]["message"]
    return answer


def nest(levels: int) -> str:
    """workflows → recentExecutions → workflow → recentExecutions … (depth 4 + 2 per level + 1)."""
    body = "id"
    for _ in range(levels):
        body = f"recentExecutions(limit: 1) {{ workflow {{ {body} }} }}"
    return f"workflows(first: 1) {{ edges {{ node {{ {body} }} }} }}"


def graphql_literal(value) -> str:
    """A JSON value written as a GraphQL input literal (keys unquoted)."""
    if isinstance(value, dict):
        return "{" + ", ".join(f"{key}: {graphql_literal(item)}" for key, item in value.items()) + "}"
    if isinstance(value, list):
        return "[" + ", ".join(graphql_literal(item) for item in value) + "]"
    if isinstance(value, str):
        return '"' + value.replace("\\", "\\\\").replace('"', '\\"') + '"'
    return "true" if value is True else "false" if value is False else "null" if value is None else str(value)
