from django.core import signing
from django.utils import timezone

from tests.workflows.conftest import edge, node
from tests.workflows.test_executions_api import execute
from workflows.models import Execution
from workflows.resume_links import make_resume_token, resume_url


def approval_with_email_step() -> dict:
    return {
        "nodes": [
            node("start", "trigger.manual"),
            node("mail", "data.set", {"fields": {"link": "{{ execution.resume_links.approve }}"}}),
            node("approve", "logic.wait_for_event", {"event": "approval"}),
            node("done", "data.set", {"fields": {"approved": "{{ input.approved }}"}}),
        ],
        "edges": [edge("start", "mail"), edge("mail", "approve"), edge("approve", "done")],
    }


def parked_run(alice_api, make_workflow, run_now) -> dict:
    workflow = make_workflow(definition=approval_with_email_step())
    started = execute(alice_api, workflow.id, version="draft").json()["data"]
    assert run_now(started["execution_id"]) == "waiting"
    return alice_api.get(f"/api/v1/executions/{started['execution_id']}").json()["data"]


def test_a_waiting_run_offers_a_signed_link_also_usable_in_expressions(alice_api, make_workflow, run_now):
    execution = parked_run(alice_api, make_workflow, run_now)
    link = execution["resume_url"]
    assert link.startswith("http://127.0.0.1:8000/resume/")
    mail_step = next(step for step in execution["steps"] if step["node_id"] == "mail")
    assert mail_step["output"]["link"] == link


def test_a_run_s_link_is_the_same_whenever_it_is_made(alice_api, make_workflow, run_now, monkeypatch):
    """The emailed link and the API's resume_url are one link, even made seconds apart.

    They were signed with the time they were made, so a step and a later read that fell in
    different seconds gave two different links (the test above failed at random that way).
    """
    execution = Execution.objects.get(pk=parked_run(alice_api, make_workflow, run_now)["id"])
    now = signing.time.time()
    monkeypatch.setattr(signing.time, "time", lambda: now + 7)
    later = resume_url(execution, "approve")
    monkeypatch.setattr(signing.time, "time", lambda: now + 3600)
    assert resume_url(execution, "approve") == later
    mail_step = execution.steps.get(node_id="mail")
    assert mail_step.output["link"] == later


def test_approving_through_the_link_resumes_the_run(alice_api, make_workflow, run_now, client):
    execution = parked_run(alice_api, make_workflow, run_now)
    path = execution["resume_url"].removeprefix("http://127.0.0.1:8000")
    page = client.get(path)
    assert page.status_code == 200 and "Approve" in page.content.decode()
    answered = client.post(path, {"decision": "approve", "comment": "ok"})
    assert "Thank you" in answered.content.decode()
    assert Execution.objects.get(pk=execution["id"]).status == "pending"
    assert "Already handled" in client.get(path).content.decode()


def test_a_forged_or_altered_link_is_refused(alice_api, make_workflow, run_now, client):
    execution = parked_run(alice_api, make_workflow, run_now)
    assert client.get("/resume/not-a-token/").status_code == 404
    forged = signing.dumps({"e": execution["id"], "n": "approve"}, salt="another-salt")
    assert client.get(f"/resume/{forged}/").status_code == 404
    other_node = make_resume_token(execution["id"], "done", timezone.now())
    assert "Already handled" in client.get(f"/resume/{other_node}/").content.decode()


def test_an_expired_link_says_so(alice_api, make_workflow, run_now, client, settings):
    execution = parked_run(alice_api, make_workflow, run_now)
    settings.FLOWBUILDER_RESUME_LINK_MAX_AGE_DAYS = -1
    path = execution["resume_url"].removeprefix("http://127.0.0.1:8000")
    response = client.get(path)
    assert response.status_code == 410 and "expired" in response.content.decode()
