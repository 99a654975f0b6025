"""One renewer thread per process keeps every running heartbeat's lease (D19 addendum (2)).

Real rows on the test database; the renewer is the real thread. Waits are bounded by
`wait_until` and never asserted on as times.
"""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.utils import timezone

from tests.workflows.processes import wait_until
from workflows import lifecycle, services
from workflows.leases import LeaseHeartbeat
from workflows.models import Execution

pytestmark = pytest.mark.django_db(transaction=True)


def lease_of(execution_id: str):
    return Execution.objects.values_list("lease_owner", "lease_expires_at").get(pk=execution_id)


def test_heartbeats_renew_their_leases_and_a_stolen_one_is_reported_lost(make_workflow, settings):
    settings.FLOWBUILDER_HEARTBEAT_SECONDS = 0.05
    runs = [services.start_execution(make_workflow(name=f"Beat {n}"), input={}, version=None) for n in range(2)]
    claimed = [lifecycle.claim_execution(run.id) for run in runs]
    soon = timezone.now() + timedelta(seconds=1)
    Execution.objects.filter(pk__in=[run.id for run in runs]).update(lease_expires_at=soon)
    beats = [LeaseHeartbeat(run.id) for run in claimed]
    for beat in beats:
        beat.start()
    try:
        # Both leases are pushed out to a full lease again by the one renewer thread.
        wait_until(lambda: all(lease_of(run.id)[1] > soon for run in runs), timeout=30, what="the renewals")
        owner, _ = lease_of(runs[0].id)
        Execution.objects.filter(pk=runs[0].id).update(lease_owner="other-worker:9:xyz")
        wait_until(beats[0].lost.is_set, timeout=30, what="the stolen lease to be noticed")
        assert not beats[1].lost.is_set()
        assert owner != "other-worker:9:xyz"
    finally:
        for beat in beats:
            beat.stop()
    # A stopped heartbeat is renewed no more: its lease is left as it is.
    left = timezone.now() - timedelta(seconds=5)
    Execution.objects.filter(pk=runs[1].id).update(lease_expires_at=left)
    beat = LeaseHeartbeat(runs[1].id)
    beat.start()
    wait_until(lambda: lease_of(runs[1].id)[1] > left, timeout=30, what="a renewal of the new heartbeat")
    beat.stop()
    assert not beat.lost.is_set()
