"""Issue 16: rename, duplicate and delete a workflow from the pages (none of it existed on main)."""

from __future__ import annotations

from workflows.models import Execution, Workflow


def test_rename_from_the_list(alice, make_workflow, page_client_for):
    workflow = make_workflow("Greeter")
    client = page_client_for(alice)
    assert f'href="/workflows/{workflow.id}/rename/"' in client.get("/workflows/").content.decode()

    answer = client.post(f"/workflows/{workflow.id}/rename/", {"name": "  Welcome mail  "}, follow=True)

    workflow.refresh_from_db()
    assert workflow.name == "Welcome mail"
    assert "“Greeter” renamed to “Welcome mail”." in answer.content.decode()


def test_rename_says_what_is_wrong_and_changes_nothing(alice, make_workflow, page_client_for):
    workflow = make_workflow("Greeter")
    make_workflow("Taken")
    client = page_client_for(alice)

    for name, says in (("", "Give the workflow a name."), ("Taken", "already exists"), ("x" * 201, "at most 200")):
        answer = client.post(f"/workflows/{workflow.id}/rename/", {"name": name})
        assert answer.status_code == 400 and says in answer.content.decode()
    workflow.refresh_from_db()
    assert workflow.name == "Greeter"


def test_duplicate_copies_the_draft_under_a_free_name(alice, make_workflow, page_client_for, run_now):
    workflow = make_workflow("Greeter")
    client = page_client_for(alice)

    client.post(f"/workflows/{workflow.id}/duplicate/")
    answer = client.post(f"/workflows/{workflow.id}/duplicate/", follow=True)

    copies = Workflow.objects.filter(name__startswith="Greeter (copy)").order_by("name")
    assert [copy.name for copy in copies] == ["Greeter (copy)", "Greeter (copy) (2)"]
    assert all(copy.definition == workflow.definition and copy.published_version is None for copy in copies)
    assert "Duplicated as “Greeter (copy) (2)”" in answer.content.decode()
    assert client.get(f"/workflows/{workflow.id}/duplicate/").status_code == 405


def test_delete_asks_first_then_deletes_with_its_runs(alice, make_workflow, page_client_for):
    from workflows import services

    workflow = make_workflow("Greeter")
    services.start_execution(workflow, input={}, version=None, actor=alice)
    client = page_client_for(alice)

    confirm = client.get(f"/workflows/{workflow.id}/delete/").content.decode()
    assert "Delete “Greeter”?" in confirm and "its 1 run." in confirm
    assert Workflow.objects.filter(pk=workflow.pk).exists()

    answer = client.post(f"/workflows/{workflow.id}/delete/", follow=True)
    assert "“Greeter” deleted." in answer.content.decode()
    assert not Workflow.objects.filter(pk=workflow.pk).exists() and not Execution.objects.exists()


def test_viewers_and_outsiders_cannot(bob_viewer, charlie, make_workflow, page_client_for):
    workflow = make_workflow("Greeter")
    viewer = page_client_for(bob_viewer)
    assert "/rename/" not in viewer.get("/workflows/").content.decode()
    assert viewer.post(f"/workflows/{workflow.id}/delete/").status_code == 403
    assert page_client_for(charlie).post(f"/workflows/{workflow.id}/delete/").status_code == 404
    assert page_client_for(charlie).post(f"/workflows/{workflow.id}/duplicate/").status_code == 404
    assert Workflow.objects.filter(pk=workflow.pk).exists()


def test_a_new_api_key_has_a_copy_button(alice, page_client_for):
    answer = page_client_for(alice).post("/settings/api-keys/", {"name": "ci", "role": "editor"}, follow=True)
    page = answer.content.decode()
    assert '<button type="button" class="button" data-copy="new-key">Copy</button>' in page
    assert "js/copy.js" in page
