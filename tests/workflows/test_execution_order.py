"""`order` on the execution lists: honoured in pages and by the cursor, unknown values refused."""

from __future__ import annotations

import datetime as dt

import pytest
from django.utils import timezone

from tests.api.test_authentication import assert_error
from workflows import services
from workflows.models import Execution

pytestmark = pytest.mark.django_db


@pytest.fixture
def history(make_workflow):
    """Seven runs; two pairs share a creation time, so the id breaks the tie."""
    workflow = make_workflow()
    base = timezone.now() - dt.timedelta(hours=1)
    minutes = [0, 1, 1, 2, 3, 3, 4]
    for minute in minutes:
        execution = services.start_execution(workflow, input={}, version=None)
        Execution.objects.filter(pk=execution.id).update(created_at=base + dt.timedelta(minutes=minute))
    oldest_first = list(Execution.objects.order_by("created_at", "id").values_list("id", flat=True))
    return workflow, oldest_first


def walk(client, url: str) -> list[str]:
    page = client.get(f"{url}&limit=2").json()
    seen = [item["id"] for item in page["data"]]
    while page["meta"]["next_cursor"]:
        page = client.get(f"{url}&limit=2&cursor={page['meta']['next_cursor']}").json()
        seen += [item["id"] for item in page["data"]]
    return seen


@pytest.mark.parametrize("base", ["/api/v1/executions", "/api/v1/workflows/{workflow}/executions"])
def test_order_is_honoured_in_pages_and_by_the_cursor(alice_api, history, base):
    workflow, oldest_first = history
    url = base.format(workflow=workflow.id)

    def listed(query):
        return [item["id"] for item in alice_api.get(f"{url}?{query}").json()["data"]]

    assert listed("limit=100") == oldest_first[::-1]
    assert listed("order=desc&limit=100") == oldest_first[::-1]
    assert listed("order=asc&limit=100") == oldest_first
    assert listed("order=asc&sort=created_at&limit=3&page=2") == oldest_first[3:6]
    assert walk(alice_api, f"{url}?order=asc") == oldest_first
    assert walk(alice_api, f"{url}?order=desc") == oldest_first[::-1]


def test_unknown_order_or_sort_values_are_refused(alice_api, history):
    assert assert_error(alice_api.get("/api/v1/executions?order=sideways"), 400, "VALIDATION_ERROR")["field"] == "order"
    assert assert_error(alice_api.get("/api/v1/executions?sort=status"), 400, "VALIDATION_ERROR")["field"] == "sort"
