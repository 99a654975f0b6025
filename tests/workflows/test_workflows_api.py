import pytest

from accounts.models import AuditEvent
from tests.api.test_authentication import assert_error
from tests.workflows.conftest import edge, node, simple_flow
from workflows.models import Workflow


def create(client, name="Lead alert", **body):
    body.setdefault("definition", simple_flow())
    return client.post("/api/v1/workflows", {"name": name, **body}, format="json")


def test_a_workflow_is_created_as_a_draft(alice_api):
    response = create(alice_api, description="Tell sales", channel="web")
    assert response.status_code == 201, response.content
    data = response.json()["data"]
    assert data["id"].startswith("wf_")
    assert data["status"] == "draft" and data["published_version"] is None
    assert data["definition"]["nodes"][0]["id"] == "start"
    assert data["problems"] == []
    assert data["execution_count"] == 0 and data["success_rate"] is None


def test_nodes_and_edges_at_the_top_level_are_accepted(alice_api):
    flow = simple_flow()
    response = alice_api.post("/api/v1/workflows", {"name": "Top", **flow}, format="json")
    assert response.status_code == 201
    assert response.json()["data"]["source_format"] == "nodes"


def test_the_same_name_twice_is_a_409(alice_api):
    create(alice_api)
    assert_error(create(alice_api), 409, "WORKFLOW_ALREADY_EXISTS")


def test_a_bad_node_config_is_a_422_with_the_field_path(alice_api):
    flow = simple_flow()
    flow["nodes"].append(node("call", "http.request", {"method": "GET"}))
    flow["edges"].append(edge("greet", "call"))
    error = assert_error(create(alice_api, definition=flow), 422, "INVALID_NODE_CONFIG")
    assert error["field"] == "nodes[2].config.url"
    assert Workflow.objects.count() == 0


def test_a_definition_without_a_trigger_is_a_400_listing_every_problem(alice_api):
    flow = {"nodes": [node("a", "data.set", {"fields": {}})], "edges": [edge("a", "ghost")]}
    error = assert_error(create(alice_api, definition=flow), 400, "INVALID_WORKFLOW_CONFIG")
    codes = {problem["code"] for problem in error["details"]["problems"]}
    assert "NO_TRIGGER" in codes and len(error["details"]["problems"]) >= 2
    assert error["field"]


def test_an_unknown_node_type_is_reported_with_its_node(alice_api):
    flow = simple_flow()
    flow["nodes"][1]["type"] = "magic.wand"
    error = assert_error(create(alice_api, definition=flow), 400, "INVALID_WORKFLOW_CONFIG")
    problem = error["details"]["problems"][0]
    assert problem["path"].startswith("nodes[1]") and problem["node_id"] == "greet"


def test_a_missing_definition_or_name_is_refused(alice_api):
    assert_error(alice_api.post("/api/v1/workflows", {"name": "x"}, format="json"), 400, "MISSING_REQUIRED_FIELD")
    error = assert_error(
        alice_api.post("/api/v1/workflows", {"definition": simple_flow()}, format="json"), 400, "MISSING_REQUIRED_FIELD"
    )
    assert error["field"] == "name"


def test_a_work_in_progress_draft_saves_with_validate_false_and_lists_its_problems(alice_api):
    wf = create(alice_api).json()["data"]
    flow = simple_flow()
    flow["nodes"].append(node("loose", "data.set", {"fields": {}}))
    response = alice_api.patch(f"/api/v1/workflows/{wf['id']}?validate=false", {"definition": flow}, format="json")
    assert response.status_code == 200
    problems = response.json()["data"]["problems"]
    assert [problem["node_id"] for problem in problems] == ["loose"]
    assert_error(
        alice_api.post(f"/api/v1/workflows/{wf['id']}/publish", {}, format="json"), 400, "INVALID_WORKFLOW_CONFIG"
    )


def test_validate_reports_problems_without_saving(alice_api):
    wf = create(alice_api).json()["data"]
    broken = {"nodes": [node("start", "trigger.manual")], "edges": [edge("start", "nowhere")]}
    body = alice_api.post(f"/api/v1/workflows/{wf['id']}/validate", {"definition": broken}, format="json").json()
    assert body["data"]["valid"] is False
    assert body["data"]["problems"][0]["path"] == "edges[0].target"
    saved = alice_api.post(f"/api/v1/workflows/{wf['id']}/validate", {}, format="json").json()["data"]
    assert saved == {"valid": True, "problems": []}


def test_patch_put_and_delete(alice_api):
    wf = create(alice_api).json()["data"]
    patched = alice_api.patch(f"/api/v1/workflows/{wf['id']}", {"description": "new"}, format="json").json()["data"]
    assert patched["description"] == "new" and patched["name"] == "Lead alert"
    assert_error(
        alice_api.put(f"/api/v1/workflows/{wf['id']}", {"name": "Only"}, format="json"), 400, "MISSING_REQUIRED_FIELD"
    )
    put = alice_api.put(
        f"/api/v1/workflows/{wf['id']}", {"name": "Renamed", "definition": simple_flow()}, format="json"
    )
    assert put.json()["data"]["name"] == "Renamed" and put.json()["data"]["description"] == ""
    assert alice_api.delete(f"/api/v1/workflows/{wf['id']}").status_code == 204
    assert_error(alice_api.get(f"/api/v1/workflows/{wf['id']}"), 404, "WORKFLOW_NOT_FOUND")


def test_renaming_onto_another_workflow_is_a_409(alice_api):
    create(alice_api, name="A")
    second = create(alice_api, name="B").json()["data"]
    assert_error(
        alice_api.patch(f"/api/v1/workflows/{second['id']}", {"name": "A"}, format="json"),
        409,
        "WORKFLOW_ALREADY_EXISTS",
    )


def test_publishing_freezes_numbered_versions_that_can_be_restored(alice_api):
    wf = create(alice_api).json()["data"]
    first = alice_api.post(f"/api/v1/workflows/{wf['id']}/publish", {"note": "first"}, format="json")
    assert first.status_code == 201 and first.json()["data"]["number"] == 1
    changed = simple_flow()
    changed["nodes"][1]["config"]["fields"]["hello"] = "changed"
    alice_api.patch(f"/api/v1/workflows/{wf['id']}", {"definition": changed}, format="json")
    assert (
        alice_api.post(f"/api/v1/workflows/{wf['id']}/publish", {"note": "second"}, format="json").json()["data"][
            "number"
        ]
        == 2
    )
    versions = alice_api.get(f"/api/v1/workflows/{wf['id']}/versions").json()
    assert [v["number"] for v in versions["data"]] == [2, 1] and versions["meta"]["total"] == 2
    v1 = alice_api.get(f"/api/v1/workflows/{wf['id']}/versions/1").json()["data"]
    assert v1["definition"]["nodes"][1]["config"]["fields"]["hello"] == "{{ input.name | default('friend') }}"
    restored = alice_api.post(f"/api/v1/workflows/{wf['id']}/versions/1/restore").json()["data"]
    assert restored["definition"]["nodes"][1]["config"]["fields"]["hello"] == "{{ input.name | default('friend') }}"
    assert restored["published_version"] == 2
    assert_error(alice_api.get(f"/api/v1/workflows/{wf['id']}/versions/9"), 404, "NOT_FOUND")
    assert AuditEvent.objects.filter(action="workflow.published").count() == 2


def test_activation_publishes_when_needed_and_status_filters_work(alice_api):
    wf = create(alice_api, name="Active one").json()["data"]
    create(alice_api, name="Draft one")
    active = alice_api.post(f"/api/v1/workflows/{wf['id']}/activate").json()["data"]
    assert active["status"] == "active" and active["published_version"] == 1
    names = lambda query: [w["name"] for w in alice_api.get(f"/api/v1/workflows?{query}").json()["data"]]  # noqa: E731
    assert names("status=active") == ["Active one"]
    assert names("status=published") == ["Active one"]
    assert names("status=draft") == ["Draft one"]
    assert alice_api.post(f"/api/v1/workflows/{wf['id']}/deactivate").json()["data"]["status"] == "inactive"
    assert names("status=inactive") == ["Active one"]


def test_search_channel_sort_and_pagination(alice_api):
    for index, channel in enumerate(["web", "sms", "web"]):
        create(alice_api, name=f"Flow {index}", description="orders" if index == 1 else "", channel=channel)
    listed = lambda query: alice_api.get(f"/api/v1/workflows?{query}").json()  # noqa: E731
    assert [w["name"] for w in listed("search=orders")["data"]] == ["Flow 1"]
    assert [w["name"] for w in listed("channel=web&sort=name&order=asc")["data"]] == ["Flow 0", "Flow 2"]
    page = listed("limit=2&page=2&sort=name")
    assert [w["name"] for w in page["data"]] == ["Flow 2"]
    assert page["meta"] == {"page": 2, "limit": 2, "offset": 2, "total": 3, "pages": 2}
    assert_error(alice_api.get("/api/v1/workflows?sort=password"), 400, "VALIDATION_ERROR")


def test_the_list_query_count_does_not_grow_with_rows(alice_api, make_workflow, django_assert_max_num_queries):
    for index in range(5):
        make_workflow(name=f"W{index}")
    alice_api.get("/api/v1/workflows")
    with django_assert_max_num_queries(5):
        assert len(alice_api.get("/api/v1/workflows").json()["data"]) == 5


@pytest.mark.parametrize("fmt, key", [("states", "states"), ("nodes", "nodes")])
def test_export_and_import_round_trip(alice_api, fmt, key):
    wf = create(alice_api).json()["data"]
    exported = alice_api.get(f"/api/v1/workflows/{wf['id']}/export?format={fmt}").json()["data"]
    assert key in exported["definition"]
    imported = alice_api.post(
        "/api/v1/workflows/import", {"name": "Copy", "definition": exported["definition"]}, format="json"
    )
    assert imported.status_code == 201
    assert imported.json()["data"]["source_format"] == fmt
    assert_error(alice_api.get(f"/api/v1/workflows/{wf['id']}/export?format=yaml"), 400, "VALIDATION_ERROR")


def test_a_chatbot_configuration_is_accepted(alice_api):
    body = {
        "name": "Bot",
        "channel": "whatsapp",
        "configuration": {
            "trigger": {"type": "message", "keywords": ["start"]},
            "nodes": [{"id": "welcome", "type": "message", "content": "Hi {{ trigger.name }}!"}],
        },
    }
    response = alice_api.post("/api/v1/workflows", body, format="json")
    assert response.status_code == 201, response.content
    assert response.json()["data"]["source_format"] == "configuration"
    exported = alice_api.get(f"/api/v1/workflows/{response.json()['data']['id']}/export?format=configuration")
    assert exported.json()["data"]["definition"]["configuration"]["nodes"][0]["content"] == "Hi {{ trigger.name }}!"


def test_a_viewer_reads_but_cannot_write(acme, make_key, api_client_for, make_workflow):
    workflow = make_workflow()
    _, plaintext = make_key(acme, "viewer")
    viewer = api_client_for(plaintext)
    assert viewer.get(f"/api/v1/workflows/{workflow.id}").status_code == 200
    assert_error(create(viewer), 403, "FORBIDDEN")
    assert_error(viewer.post(f"/api/v1/workflows/{workflow.id}/publish", {}, format="json"), 403, "FORBIDDEN")
    assert_error(viewer.delete(f"/api/v1/workflows/{workflow.id}"), 403, "FORBIDDEN")


def test_an_outsider_gets_404_everywhere(charlie_api, make_workflow):
    workflow = make_workflow()
    for method, path in [
        ("get", ""), ("patch", ""), ("delete", ""), ("post", "/publish"), ("post", "/activate"),
        ("get", "/versions"), ("get", "/export"), ("post", "/execute"), ("get", "/executions"), ("get", "/metrics"),
    ]:  # fmt: skip
        response = getattr(charlie_api, method)(f"/api/v1/workflows/{workflow.id}{path}", {}, format="json")
        assert_error(response, 404, "WORKFLOW_NOT_FOUND")
    assert charlie_api.get("/api/v1/workflows").json()["data"] == []


def test_node_types_describe_every_type_with_its_schema(alice_api):
    types = {t["type"]: t for t in alice_api.get("/api/v1/node-types").json()["data"]}
    for expected in ["trigger.manual", "trigger.webhook", "logic.if", "logic.for_each", "http.request", "chat.message"]:
        assert expected in types
    assert types["logic.if"]["outputs"] == ["true", "false"]
    assert types["http.request"]["config_schema"]["type"] == "object"
    assert "example" in types["http.request"]
    triggers = alice_api.get("/api/v1/node-types?category=trigger").json()["data"]
    assert triggers and all(t["category"] == "trigger" for t in triggers)
