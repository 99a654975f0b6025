"""Runs that never end do not look healthy: stuck and recovering runs are counted apart (issue 24, item 4).

On the metrics API and page and on the executions page: a running run whose lease ran out (or
a pending run nobody claimed for a minute) is stuck; a run given back after losing its worker
is recovering; a live run, a wait and a finished run are neither.
"""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.utils import timezone

from accounts.models import UsageCounter
from accounts.usage import flush_usage
from workflows import services
from workflows.models import Execution, ExecutionStatus

pytestmark = pytest.mark.django_db


@pytest.fixture
def runs_in_every_state(make_workflow):
    """One workflow: 1 completed, 1 healthy running, 1 waiting, 2 stuck, 1 recovering."""
    workflow = make_workflow(name="Importer")
    now = timezone.now()

    def run(**fields) -> Execution:
        execution = services.start_execution(workflow, input={}, version=None)
        Execution.objects.filter(pk=execution.pk).update(**fields)
        return Execution.objects.get(pk=execution.pk)

    live, gone = now + timedelta(seconds=20), now - timedelta(seconds=40)
    runs = {
        "completed": run(status=ExecutionStatus.COMPLETED, started_at=now, completed_at=now),
        "healthy": run(status=ExecutionStatus.RUNNING, lease_owner="w:1", lease_expires_at=live, started_at=now),
        "waiting": run(status=ExecutionStatus.WAITING, resume_at=now + timedelta(hours=1)),
        "zombie": run(status=ExecutionStatus.RUNNING, lease_owner="dead:1", lease_expires_at=gone, started_at=now),
        "unclaimed": run(created_at=now - timedelta(minutes=5)),
        "recovering": run(
            status=ExecutionStatus.RUNNING, lease_owner="w:2", lease_expires_at=live, recovered_count=2, started_at=now
        ),
    }
    return workflow, runs


def test_the_metrics_api_counts_stuck_and_recovering_runs_apart(alice_api, runs_in_every_state):
    workflow, _ = runs_in_every_state
    body = alice_api.get(f"/api/v1/workflows/{workflow.id}/metrics").json()["data"]
    assert (body["total"], body["successful"], body["stuck"], body["recovering"]) == (6, 1, 2, 1)
    assert sum(row["stuck"] for row in body["series"]) == 2
    assert sum(row["recovering"] for row in body["series"]) == 1


def test_the_metrics_page_shows_stuck_and_recovering_runs(alice, client, runs_in_every_state):
    workflow, _ = runs_in_every_state
    client.force_login(alice)
    page = client.get(f"/workflows/{workflow.id}/metrics", {"days": 7}).content.decode()
    assert '<span data-metric="stuck">2</span>' in page and '<span data-metric="recovering">1</span>' in page
    assert "2 stuck, 1 recovering" in page


def test_the_executions_page_marks_and_filters_stuck_and_recovering_runs(alice, client, runs_in_every_state):
    _, runs = runs_in_every_state
    client.force_login(alice)
    page = client.get("/executions/").content.decode()
    assert '<strong data-unhealthy="stuck">2</strong>' in page
    assert '<strong data-unhealthy="recovering">1</strong>' in page
    assert page.count('data-health="stuck"') == 2 and page.count('data-health="recovering"') == 1

    home = client.get("/").content.decode()
    assert '5 in flight now, <a href="/executions/?status=stuck" data-kpi="stuck">2 stuck</a>' in home
    stuck = client.get("/executions/", {"status": "stuck"}).content.decode()
    assert runs["zombie"].id in stuck and runs["unclaimed"].id in stuck
    assert runs["healthy"].id not in stuck and runs["recovering"].id not in stuck
    recovering = client.get("/executions/", {"status": "recovering"}).content.decode()
    assert runs["recovering"].id in recovering and runs["zombie"].id not in recovering
    assert 'data-health="stuck"' in client.get(f"/executions/{runs['zombie'].id}/").content.decode()
    assert "lost its worker 2×" in client.get(f"/executions/{runs['recovering'].id}/").content.decode()
    assert "data-health" not in client.get(f"/executions/{runs['healthy'].id}/").content.decode()


def test_a_run_cancelled_while_stuck_is_counted_in_usage(
    acme, alice, runs_in_every_state, django_capture_on_commit_callbacks
):
    _, runs = runs_in_every_state
    with django_capture_on_commit_callbacks(execute=True):
        services.cancel_execution(runs["zombie"], actor=alice)  # nobody holds its lease: it ends now
        services.cancel_execution(runs["unclaimed"], actor=alice)
    flush_usage(acme.id)
    counter = UsageCounter.objects.get(organization=acme, date=timezone.now().date())
    assert counter.executions == 2
