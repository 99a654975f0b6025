"""Every answer carries X-Request-Id; a 500 names it and so does the server's log line."""

import logging
import re

import pytest
from django.test import Client

from flowbuilder.request_id import RequestIdLogFilter
from tests.api.test_authentication import assert_error

GENERATED = re.compile(r"^req_[0-9a-f]{32}$")


def test_api_answers_and_pages_carry_a_fresh_request_id(alice_api, db):
    first = alice_api.get("/api/v1/workflows")
    second = alice_api.get("/api/v1/workflows")
    unauthenticated = Client().get("/api/v1/workflows")
    page = Client().get("/login/")
    ids = [r["X-Request-Id"] for r in (first, second, unauthenticated, page)]
    assert all(GENERATED.match(value) for value in ids), ids
    assert len(set(ids)) == 4
    assert unauthenticated.status_code == 401
    assert page.status_code == 200


@pytest.mark.parametrize(
    ("sent", "echoed"),
    [
        ("trace-0123456789", True),
        ("abc", False),  # too short
        ("x" * 65, False),  # too long
        ("evil\u2028id-123456", False),
        ("id with spaces 1234", False),
        ("<script>alert(1)</script>", False),
    ],
)
def test_a_well_formed_incoming_id_is_echoed_anything_else_replaced(alice_api, sent, echoed):
    response = alice_api.get("/api/v1/workflows", HTTP_X_REQUEST_ID=sent)
    if echoed:
        assert response["X-Request-Id"] == sent
    else:
        assert GENERATED.match(response["X-Request-Id"])


@pytest.mark.urls("tests.api.urls_with_crash")
def test_a_500_names_its_request_id_and_the_log_line_carries_it(alice_api, caplog):
    caplog.handler.addFilter(RequestIdLogFilter())
    with caplog.at_level(logging.ERROR):
        response = alice_api.get("/api/v1/test-crash")
    error = assert_error(response, 500, "INTERNAL_ERROR")
    request_id = response["X-Request-Id"]
    assert request_id in error["message"]
    logged = [r for r in caplog.records if "Unhandled error" in r.getMessage()]
    assert logged and logged[0].request_id == request_id


def test_the_schema_documents_the_header_on_every_answer(alice_api):
    schema = alice_api.get("/api/v1/schema/", HTTP_ACCEPT="application/vnd.oai.openapi+json").json()
    assert schema["components"]["headers"]["X-Request-Id"]["required"] is True
    for path_item in schema["paths"].values():
        for operation in path_item.values():
            if isinstance(operation, dict) and "responses" in operation:
                for response in operation["responses"].values():
                    assert "X-Request-Id" in response.get("headers", {})
