import pytest
from django.test import Client

from tests.api.test_authentication import assert_error


def test_an_unknown_path_is_a_404_in_the_envelope(alice_api):
    error = assert_error(alice_api.get("/api/v1/no-such-thing"), 404, "NOT_FOUND")
    assert "/api/v1/no-such-thing" in error["message"]


def test_an_unknown_path_without_a_key_is_still_a_404_envelope(db):
    assert_error(Client().post("/api/v2/whatever"), 404, "NOT_FOUND")


def test_a_wrong_method_is_a_405_in_the_envelope(alice_api):
    assert_error(alice_api.delete("/api/v1/usage"), 405, "METHOD_NOT_ALLOWED")


def test_malformed_json_is_a_400_in_the_envelope(alice_api):
    response = alice_api.post("/api/v1/api-keys", "{not json", content_type="application/json")
    assert_error(response, 400, "VALIDATION_ERROR")


@pytest.mark.urls("tests.api.urls_with_crash")
def test_a_crash_in_a_view_is_a_500_envelope_without_a_traceback(alice_api, caplog):
    response = alice_api.get("/api/v1/test-crash")
    error = assert_error(response, 500, "INTERNAL_ERROR")
    assert "boom" not in response.content.decode()
    assert "Traceback" not in response.content.decode()
    assert error["message"]
    assert any("Unhandled error" in record.message for record in caplog.records)


@pytest.mark.urls("tests.api.urls_with_crash")
def test_a_crash_outside_drf_is_a_500_envelope(db):
    client = Client(raise_request_exception=False)
    response = client.get("/api/v1/test-plain-crash")
    assert_error(response, 500, "INTERNAL_ERROR")
    assert "plain boom" not in response.content.decode()


def test_pages_outside_the_api_keep_html_404s(db):
    response = Client().get("/no-such-page/")
    assert response.status_code == 404
    assert not response["Content-Type"].startswith("application/json")


@pytest.mark.urls("tests.api.urls_with_crash")
def test_an_unreachable_database_is_a_503_to_retry_not_a_500(alice_api):
    response = alice_api.get("/api/v1/test-database-down")
    error = assert_error(response, 503, "SERVICE_UNAVAILABLE")
    assert response["Retry-After"] == "5"
    assert "too many clients" not in error["message"]
