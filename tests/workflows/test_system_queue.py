"""The queue admins can see: real RQ queues and workers on Redis, real rows in PostgreSQL."""

from __future__ import annotations

import datetime as dt
import uuid

import pytest
from django.test import Client
from django.utils import timezone
from openapi_spec_validator import validate
from rq import Worker
from rq.job import Job
from rq.utils import utcformat

from accounts.models import AuditEvent, Role
from flowbuilder.redis import get_queue, get_redis
from tests.api.test_authentication import assert_error
from tests.workflows.conftest import edge, node
from workflows import services
from workflows.models import Execution, ExecutionStatus

QUEUE_API = "/api/v1/system/queue"
PAGE = "/system/queue/"


def requeue_url(execution_id: str) -> str:
    return f"/api/v1/system/executions/{execution_id}/requeue"


def overview(client) -> dict:
    response = client.get(QUEUE_API)
    assert response.status_code == 200, response.content
    return response.json()["data"]


def queue_named(data: dict, name: str) -> dict:
    return next(queue for queue in data["queues"] if queue["name"] == name)


def listed(data: dict, group: str) -> dict[str, dict]:
    return {run["id"]: run for run in data["executions"][group]}


def execution_job_ids(execution_id: str) -> list[str]:
    queue = get_queue(services.EXECUTION_QUEUE)
    return [job.id for job in queue.get_jobs() if job.args[:1] == (execution_id,)]


@pytest.fixture
def pending_execution(make_workflow):
    """A run stored as pending; its enqueue waits for a commit the test transaction never makes."""
    return services.start_execution(make_workflow(), input={"name": "Ada"}, version=None)


@pytest.fixture
def zombie_execution(pending_execution):
    """A run whose worker died: still `running`, its lease expired a minute ago."""
    now = timezone.now()
    Execution.objects.filter(pk=pending_execution.pk).update(
        status=ExecutionStatus.RUNNING,
        started_at=now - dt.timedelta(minutes=5),
        lease_owner="dead-host:4242:abcd",
        lease_expires_at=now - dt.timedelta(minutes=1),
    )
    return Execution.objects.get(pk=pending_execution.pk)


@pytest.fixture
def register_worker():
    """A factory: an RQ worker registered on the real Redis, as `rqworker` does at start."""
    workers = []

    def register(queues=("executions",)) -> Worker:
        worker = Worker(list(queues), connection=get_redis(), name=f"test-{uuid.uuid4().hex[:8]}")
        worker.register_birth()
        worker.heartbeat()
        workers.append(worker)
        return worker

    yield register
    for worker in workers:
        worker.register_death()


@pytest.fixture
def admin_browser(alice):
    client = Client(enforce_csrf_checks=True)
    client.force_login(alice)
    return client


def post_form(client, url: str):
    """Post as the page's form does: with the CSRF token the page handed out."""
    client.get(PAGE)
    return client.post(url, {"csrfmiddlewaretoken": client.cookies["csrftoken"].value})


def test_depth_and_oldest_age_reflect_the_jobs_on_the_queue(
    alice_api, make_workflow, django_capture_on_commit_callbacks
):
    workflow = make_workflow()
    with django_capture_on_commit_callbacks(execute=True):
        for _ in range(3):
            response = alice_api.post(f"/api/v1/workflows/{workflow.id}/execute", {"version": "draft"}, format="json")
            assert response.status_code == 202

    data = overview(alice_api)
    executions = queue_named(data, "executions")
    first_job = Job.fetch(get_queue("executions").get_job_ids()[0], connection=get_redis())
    assert executions["depth"] == 3
    assert dt.datetime.fromisoformat(executions["oldest_enqueued_at"]) == first_job.enqueued_at
    assert executions["oldest_age_seconds"] >= 0
    assert queue_named(data, "default") | {"name": None} == {
        "name": None, "depth": 0, "oldest_enqueued_at": None, "oldest_age_seconds": None,
        "scheduled": 0, "started": 0, "failed": 0,
    }  # fmt: skip


def test_a_delayed_job_counts_as_scheduled_not_as_depth(alice_api, pending_execution):
    services.enqueue_execution(pending_execution.id, at=timezone.now() + dt.timedelta(hours=1))
    executions = queue_named(overview(alice_api), "executions")
    assert (executions["depth"], executions["scheduled"]) == (0, 1)


def test_a_registered_worker_shows_with_its_heartbeat_and_its_run(alice_api, register_worker, pending_execution):
    worker = register_worker()
    services.enqueue_execution(pending_execution.id)
    worker.set_current_job_id(execution_job_ids(pending_execution.id)[0])

    shown = {row["name"]: row for row in overview(alice_api)["workers"]}[worker.name]
    assert shown["stale"] is False
    assert shown["queues"] == ["executions"]
    assert dt.datetime.fromisoformat(shown["last_heartbeat"]) == worker.last_heartbeat
    assert shown["heartbeat_age_seconds"] >= 0
    assert shown["execution_id"] == pending_execution.id
    assert shown["workflow_name"] == pending_execution.workflow.name


def test_a_worker_silent_for_twice_its_ttl_is_flagged_stale(alice_api, register_worker):
    worker = register_worker()
    silent_since = timezone.now() - dt.timedelta(seconds=2 * worker.worker_ttl + 60)
    get_redis().hset(worker.key, "last_heartbeat", utcformat(silent_since))

    shown = {row["name"]: row for row in overview(alice_api)["workers"]}[worker.name]
    assert shown["stale"] is True


def test_a_worker_running_another_organizations_run_does_not_name_it(charlie_api, register_worker, pending_execution):
    worker = register_worker()
    services.enqueue_execution(pending_execution.id)
    worker.set_current_job_id(execution_job_ids(pending_execution.id)[0])

    shown = {row["name"]: row for row in overview(charlie_api)["workers"]}[worker.name]
    assert shown["current_job_id"] and shown["execution_id"] is None and shown["workflow_name"] is None


def test_an_expired_lease_shows_the_run_as_a_stuck_zombie(alice_api, zombie_execution, make_workflow):
    healthy = services.start_execution(make_workflow("Healthy"), input={}, version=None)
    lease_until = timezone.now() + dt.timedelta(minutes=5)
    Execution.objects.filter(pk=healthy.pk).update(
        status=ExecutionStatus.RUNNING, lease_owner="live-host:1:beef", lease_expires_at=lease_until
    )

    running = listed(overview(alice_api), "running")
    assert running[zombie_execution.id]["stuck"] is True
    assert running[zombie_execution.id]["lease_owner"] == "dead-host:4242:abcd"
    assert running[zombie_execution.id]["workflow_name"] == "Greeter"
    assert running[healthy.id]["stuck"] is False


def test_a_run_pending_for_over_a_minute_is_stuck(alice_api, pending_execution, make_workflow):
    fresh = services.start_execution(make_workflow("Fresh"), input={}, version=None)
    Execution.objects.filter(pk=pending_execution.pk).update(created_at=timezone.now() - dt.timedelta(minutes=2))

    stuck = listed(overview(alice_api), "stuck_pending")
    assert stuck[pending_execution.id]["stuck"] is True
    assert fresh.id not in stuck


def test_requeue_puts_a_zombie_back_on_the_queue_and_audits_it(
    alice_api, alice, zombie_execution, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        response = alice_api.post(requeue_url(zombie_execution.id))
    assert response.status_code == 200, response.content
    assert response.json()["data"]["status"] == "pending"

    zombie_execution.refresh_from_db()
    assert (zombie_execution.status, zombie_execution.lease_owner, zombie_execution.recovered_count) == (
        "pending", "", 1,
    )  # fmt: skip
    assert len(execution_job_ids(zombie_execution.id)) == 1
    event = AuditEvent.objects.get(action="execution.requeued")
    assert event.target_id == zombie_execution.id and event.api_key_id is not None
    assert zombie_execution.id in listed(overview(alice_api), "recovered")


def test_requeue_of_a_finished_run_is_a_conflict(alice_api, pending_execution):
    Execution.objects.filter(pk=pending_execution.pk).update(status=ExecutionStatus.COMPLETED)
    assert_error(alice_api.post(requeue_url(pending_execution.id)), 409, "CONFLICT")
    assert execution_job_ids(pending_execution.id) == []


def test_waiting_runs_are_listed_with_their_resume_time(
    alice_api, make_workflow, run_now, django_capture_on_commit_callbacks
):
    pause = {
        "nodes": [node("start", "trigger.manual"), node("pause", "logic.wait", {"seconds": 3600})],
        "edges": [edge("start", "pause")],
    }
    execution = services.start_execution(make_workflow("Pause", definition=pause), input={}, version=None)
    with django_capture_on_commit_callbacks(execute=True):
        assert run_now(execution.id) == "waiting"
    execution.refresh_from_db()

    data = overview(alice_api)
    waiting = listed(data, "waiting")[execution.id]
    assert dt.datetime.fromisoformat(waiting["resume_at"]) == execution.resume_at
    assert waiting["waiting_for"] == {"kind": "timer", "node_id": "pause"}
    assert queue_named(data, "executions")["scheduled"] == 1


def test_editors_and_viewers_may_not_see_the_queue(acme, make_key, api_client_for, zombie_execution):
    for role in (Role.EDITOR, Role.VIEWER):
        client = api_client_for(make_key(acme, role)[1])
        assert_error(client.get(QUEUE_API), 403, "FORBIDDEN")
        assert_error(client.post(requeue_url(zombie_execution.id)), 403, "FORBIDDEN")
    assert Execution.objects.get(pk=zombie_execution.pk).status == "running"


def test_an_outsider_cannot_requeue_another_organizations_run(charlie_api, zombie_execution):
    assert_error(charlie_api.post(requeue_url(zombie_execution.id)), 404, "NOT_FOUND")
    assert zombie_execution.id not in listed(overview(charlie_api), "running")
    assert Execution.objects.get(pk=zombie_execution.pk).status == "running"


def test_the_schema_documents_the_queue_and_stays_valid(db):
    schema = Client().get("/api/v1/schema/", HTTP_ACCEPT="application/vnd.oai.openapi+json").json()
    validate(schema)
    assert "get" in schema["paths"]["/api/v1/system/queue"]
    assert "post" in schema["paths"]["/api/v1/system/executions/{execution_id}/requeue"]


def test_the_page_shows_every_queue_and_the_stuck_run_to_an_admin(admin_browser, zombie_execution):
    response = admin_browser.get(PAGE)
    assert response.status_code == 200
    page = response.content.decode()
    for name in ("default", "executions", "webhooks"):
        assert f'data-queue="{name}"' in page
    assert f'data-execution="{zombie_execution.id}"' in page
    assert f'href="{PAGE}"' in page  # the admin's navigation links here


def test_the_page_is_forbidden_to_a_viewer(bob_viewer):
    client = Client()
    client.force_login(bob_viewer)
    assert client.get(PAGE).status_code == 403


def test_the_page_re_enqueue_button_puts_the_run_back(
    admin_browser, zombie_execution, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        response = post_form(admin_browser, f"{PAGE}executions/{zombie_execution.id}/requeue/")
    assert (response.status_code, response["Location"]) == (302, PAGE)
    assert Execution.objects.get(pk=zombie_execution.pk).status == "pending"
    assert len(execution_job_ids(zombie_execution.id)) == 1
    assert "back on the queue" in admin_browser.get(PAGE).content.decode()


def test_the_page_cancel_button_cancels_a_stuck_pending_run(admin_browser, pending_execution):
    response = post_form(admin_browser, f"{PAGE}executions/{pending_execution.id}/cancel/")
    assert (response.status_code, response["Location"]) == (302, PAGE)
    assert Execution.objects.get(pk=pending_execution.pk).status == "cancelled"
    assert AuditEvent.objects.filter(action="execution.cancelled", target_id=pending_execution.id).exists()


def test_the_page_buttons_refuse_a_post_without_csrf(admin_browser, pending_execution):
    response = admin_browser.post(f"{PAGE}executions/{pending_execution.id}/cancel/")
    assert response.status_code == 403
    assert Execution.objects.get(pk=pending_execution.pk).status == "pending"
