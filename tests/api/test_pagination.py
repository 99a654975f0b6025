import pytest

from accounts import services
from accounts.models import AuditEvent


@pytest.fixture
def twenty_five_events(acme, alice):
    existing = AuditEvent.objects.filter(organization=acme).count()
    for index in range(25 - existing):
        services.record_audit(acme, "test.event", actor=alice, details={"index": index})
    assert AuditEvent.objects.filter(organization=acme).count() == 25


def page(client, query: str) -> dict:
    response = client.get(f"/api/v1/audit-log?{query}")
    assert response.status_code == 200, response.content
    return response.json()


def test_the_first_page_has_the_default_limit(alice_api, twenty_five_events):
    body = page(alice_api, "")
    assert len(body["data"]) == 20
    assert body["meta"] == {"page": 1, "limit": 20, "offset": 0, "total": 25, "pages": 2}


def test_the_last_page_holds_the_rest(alice_api, twenty_five_events):
    body = page(alice_api, "page=2")
    assert len(body["data"]) == 5
    assert body["meta"]["page"] == 2 and body["meta"]["pages"] == 2


def test_a_page_past_the_end_is_empty_not_an_error(alice_api, twenty_five_events):
    body = page(alice_api, "page=3")
    assert body["data"] == []
    assert body["meta"]["total"] == 25


def test_an_exact_multiple_has_no_extra_page(alice_api, twenty_five_events):
    body = page(alice_api, "limit=5&page=5")
    assert len(body["data"]) == 5
    assert body["meta"]["pages"] == 5


def test_offset_picks_the_page(alice_api, twenty_five_events):
    body = page(alice_api, "limit=10&offset=20")
    assert len(body["data"]) == 5
    assert body["meta"]["page"] == 3 and body["meta"]["offset"] == 20


def test_a_limit_above_100_is_clamped(alice_api, twenty_five_events):
    assert page(alice_api, "limit=1000")["meta"]["limit"] == 100


def test_pages_do_not_overlap(alice_api, twenty_five_events):
    first = [event["id"] for event in page(alice_api, "limit=10&page=1")["data"]]
    second = [event["id"] for event in page(alice_api, "limit=10&page=2")["data"]]
    assert not set(first) & set(second)


@pytest.mark.parametrize("query", ["page=0", "page=x", "limit=0", "offset=-1"])
def test_bad_paging_parameters_are_validation_errors(alice_api, twenty_five_events, query):
    response = alice_api.get(f"/api/v1/audit-log?{query}")
    assert response.status_code == 400
    assert response.json()["error"]["code"] == "VALIDATION_ERROR"


def test_the_list_query_count_is_pinned(alice_api, twenty_five_events, django_assert_max_num_queries):
    page(alice_api, "limit=1")  # the day's first call also creates the usage row
    # key, default project, count, page, usage update: never one query per row
    with django_assert_max_num_queries(5):
        page(alice_api, "limit=100")
