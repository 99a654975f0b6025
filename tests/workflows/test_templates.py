"""Every template and sample runs on its first Run, or says what to set up first (issue 16, item 2).

A template is instantiated the way the "New workflow" page does it, validated the way the
editor's problems list does (with the project), and run with the input the editor prefills:
its trigger's `sample_input`. A template that needs something of the builder's (an address,
a form, a credential, a connection) shows exactly those settings as "Set up first" problems,
with a link; once they are set (external calls pointed at a loopback server) it runs to the
end.
"""

from __future__ import annotations

import pytest
from django.core.management import call_command

from forms_app import services as form_services
from workflows.models import Execution, Workflow
from workflows.templates_catalog import TEMPLATES, WorkflowTemplate

pytestmark = pytest.mark.django_db

# Templates that call an LLM or a database: checked for their set-up problems, not run here.
NEEDS_OUTSIDE_SERVICES = {"support-chatbot", "ask-your-database", "scheduled-database-alert"}


def instantiate(client, template: WorkflowTemplate) -> Workflow:
    response = client.post("/workflows/new/", {"template": template.slug, "name": ""})
    assert response.status_code == 302, response.content
    return Workflow.objects.get(pk=response["Location"].split("/")[2])


def problems(alice_api, workflow: Workflow) -> list[dict]:
    response = alice_api.post(f"/api/v1/workflows/{workflow.id}/validate", {}, format="json")
    assert response.status_code == 200
    return response.json()["data"]["problems"]


def trigger_node(definition: dict) -> dict:
    return next(node for node in definition["nodes"] if node["type"].startswith("trigger."))


def prefilled_input(workflow: Workflow) -> dict:
    """What the editor's Run dialog starts with (frontend/src/run/runInput.ts)."""
    return trigger_node(workflow.definition)["config"].get("sample_input", {})


def set_up(workflow: Workflow, template: WorkflowTemplate, *, url: str, form_id: str) -> None:
    """Do what each "Set up first" problem asks, as a builder would in the settings panel."""
    nodes = {node["id"]: node for node in workflow.definition["nodes"]}
    for item in template.to_fill:
        nodes[item.node_id]["config"][item.field] = {"url": url, "form_id": form_id, "to": "ops@acme.com"}[item.field]
    workflow.save(update_fields=["definition"])


def run_first_time(alice_api, workflow: Workflow, run_now) -> Execution:
    response = alice_api.post(
        f"/api/v1/workflows/{workflow.id}/execute",
        {"input": prefilled_input(workflow), "version": "draft"},
        format="json",
    )
    assert response.status_code == 202, response.content
    execution_id = response.json()["data"]["execution_id"]
    status = run_now(execution_id)
    if status == "waiting":  # the approval template waits for an answer: give it one
        execution = Execution.objects.get(pk=execution_id)
        step_key = execution.waiting_for["step_key"]
        alice_api.post(f"/api/v1/executions/{execution_id}/resume", {"payload": {"approved": True}}, format="json")
        run_now(execution_id, resume={"step_key": step_key, "payload": {"approved": True}})
    return Execution.objects.get(pk=execution_id)


def test_every_trigger_of_every_template_declares_sample_input():
    for template in TEMPLATES:
        assert isinstance(trigger_node(template.definition)["config"].get("sample_input"), dict), template.slug


@pytest.mark.parametrize("template", TEMPLATES, ids=[t.slug for t in TEMPLATES])
def test_a_template_runs_on_its_first_run_or_says_what_to_set_up(
    template, acme, alice, alice_api, client, run_now, http_server
):
    client.force_login(alice)
    workflow = instantiate(client, template)
    found = problems(alice_api, workflow)
    assert {problem["code"] for problem in found} <= {"SETUP_REQUIRED"}, found
    assert {(p["node_id"], p["path"].rsplit(".", 1)[-1]) for p in found} == {
        (item.node_id, item.field) for item in template.to_fill
    }
    for problem in found:
        assert problem["message"].startswith("Set up first: ")
        assert "required property" not in problem["message"]
    if template.slug in NEEDS_OUTSIDE_SERVICES:
        assert all(p.get("link") for p in found if p["path"].endswith(("credential", "connection")))
        return
    if template.to_fill:
        form = form_services.create_form(
            acme.default_project, name="Contact", fields=[{"key": "name", "type": "text", "label": "Name"}]
        )
        set_up(workflow, template, url=http_server.url, form_id=form.id)
        assert problems(alice_api, workflow) == []

    execution = run_first_time(alice_api, workflow, run_now)

    assert execution.status == "completed", execution.error
    calls = [node for node in workflow.definition["nodes"] if node["type"] == "http.request"]
    assert len(http_server.received) == (1 if calls else 0)


def test_seed_samples_are_templates_whose_first_run_completes_or_asks_for_setup(acme, alice_api):
    call_command("seed_samples", "--org", acme.name)
    seeded = Workflow.objects.filter(project=acme.default_project)
    by_name = {template.name: template for template in TEMPLATES}
    assert seeded.count() >= 4
    for workflow in seeded:
        template = by_name[workflow.name]
        found = problems(alice_api, workflow)
        assert {(p["node_id"], p["code"]) for p in found} == {(i.node_id, "SETUP_REQUIRED") for i in template.to_fill}


def test_order_triage_runs_as_is_with_the_prefilled_input(acme, alice_api, make_workflow, run_now):
    from workflows.templates_catalog import ORDER_TRIAGE

    workflow = make_workflow(name="Triage", definition=ORDER_TRIAGE.fresh_definition())
    execution = run_first_time(alice_api, workflow, run_now)
    assert execution.status == "completed"
    assert execution.output["tier"] == "vip" and execution.output["customer"] == "Ada Lovelace"
