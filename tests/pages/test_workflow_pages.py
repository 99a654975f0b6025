"""Dashboard, workflow list, new-from-template and the editor page, as members and outsiders see them."""

from __future__ import annotations

import re

import pytest
from django.core.management import call_command

from workflows import services
from workflows.definitions import find_problems
from workflows.models import ExecutionStatus, Workflow
from workflows.templates_catalog import TEMPLATES


def test_the_dashboard_shows_each_workflow_with_its_runs_and_a_sparkline(
    alice, make_workflow, page_client_for, run_now
):
    workflow = make_workflow("Greeter")
    run_now(services.start_execution(workflow, input={"name": "Ada"}, version=None, actor=alice).id)

    page = page_client_for(alice).get("/").content.decode()

    assert "Greeter" in page
    assert 'class="spark"' in page and "1 run in 14 days, 0 failed" in page
    assert 'class="spark-ok"' in page
    assert re.search(r"Success rate</span><strong>100%</strong>", page)
    assert f'href="/executions/{workflow.executions.get().id}/"' in page


def test_the_workflow_list_filters_by_search_and_status(alice, make_workflow, page_client_for):
    make_workflow("Invoice sync")
    make_workflow("Lead router")
    client = page_client_for(alice)

    found = client.get("/workflows/", {"q": "invoice"}).content.decode()
    assert "Invoice sync" in found and "Lead router" not in found
    assert "Lead router" not in client.get("/workflows/", {"status": "active"}).content.decode()
    assert "Lead router" in client.get("/workflows/", {"status": "draft"}).content.decode()


def test_the_editor_page_mounts_the_canvas_for_an_editor(alice, make_workflow, page_client_for):
    workflow = make_workflow()

    page = page_client_for(alice).get(f"/workflows/{workflow.id}/edit").content.decode()

    assert f'data-workflow-id="{workflow.id}"' in page
    assert 'data-can-edit="true"' in page and 'data-ws-url="/ws/executions/"' in page
    assert 'src="/static/editor/editor.js"' in page and "/static/editor/editor.css" in page


def test_a_viewer_gets_a_read_only_editor_and_no_create_button(bob_viewer, make_workflow, page_client_for):
    workflow = make_workflow()
    client = page_client_for(bob_viewer)

    assert 'data-can-edit="false"' in client.get(f"/workflows/{workflow.id}/edit").content.decode()
    assert "/workflows/new/" not in client.get("/workflows/").content.decode()
    assert client.get("/workflows/new/").status_code == 403


def test_an_outsider_gets_404_for_another_organizations_workflow(charlie, make_workflow, page_client_for):
    workflow = make_workflow()

    assert page_client_for(charlie).get(f"/workflows/{workflow.id}/edit").status_code == 404
    assert "Greeter" not in page_client_for(charlie).get("/workflows/").content.decode()


@pytest.mark.parametrize("template", TEMPLATES, ids=lambda template: template.slug)
def test_each_template_creates_a_workflow_and_opens_the_editor(template, acme, alice, page_client_for):
    response = page_client_for(alice).post("/workflows/new/", {"template": template.slug, "name": ""})

    workflow = Workflow.objects.get(project=acme.default_project)
    assert response.status_code == 302 and response.url == f"/workflows/{workflow.id}/edit"
    assert workflow.name == template.name and workflow.definition == template.definition


@pytest.mark.parametrize("template", TEMPLATES, ids=lambda template: template.slug)
def test_each_template_is_valid_once_its_listed_settings_are_filled(template, db):
    """The only problems a template may have are the project-specific settings it lists."""
    definition = template.fresh_definition()
    positions = {node["id"]: index for index, node in enumerate(definition["nodes"])}
    expected = {f"nodes[{positions[item.node_id]}].config.{item.field}" for item in template.to_fill}
    assert {problem.path for problem in find_problems(definition)} <= expected
    for item in template.to_fill:
        definition["nodes"][positions[item.node_id]]["config"][item.field] = "cred_or_conn_chosen"
    assert find_problems(definition) == []


def test_starting_from_the_same_template_twice_gives_a_second_name(acme, alice, page_client_for):
    client = page_client_for(alice)
    client.post("/workflows/new/", {"template": "order-triage"})
    client.post("/workflows/new/", {"template": "order-triage"})

    names = set(Workflow.objects.filter(project=acme.default_project).values_list("name", flat=True))
    assert names == {"Order triage", "Order triage (2)"}


def test_a_blank_workflow_starts_with_an_empty_canvas(acme, alice, page_client_for):
    response = page_client_for(alice).post("/workflows/new/", {"template": "blank", "name": "My flow"})

    workflow = Workflow.objects.get(project=acme.default_project, name="My flow")
    assert response.url == f"/workflows/{workflow.id}/edit"
    assert workflow.definition["nodes"] == [] and workflow.definition["edges"] == []


def test_the_new_page_says_which_settings_to_fill(alice, page_client_for):
    page = page_client_for(alice).get("/workflows/new/").content.decode()

    assert "ask → connection" in page and "ask → credential" in page  # the Ask-data template (D22)
    assert page.count('name="template"') == len(TEMPLATES) + 1


def test_seed_samples_is_idempotent_and_its_order_triage_runs(acme, alice, run_now, capsys):
    call_command("seed_samples", "--org", "Acme")
    call_command("seed_samples", "--org", "Acme")

    workflows = Workflow.objects.filter(project=acme.default_project)
    assert workflows.count() == 4
    triage = workflows.get(name="Order triage")
    execution = services.start_execution(triage, input={"amount": 250, "customer": "Ada"}, version=None)
    run_now(execution.id)
    execution.refresh_from_db()
    assert execution.status == ExecutionStatus.COMPLETED
    assert execution.output["tier"] == "vip"
    assert "none (all samples already exist)" in capsys.readouterr().out
