"""Issue 24: "Ask your database" from the template, in a real browser. The connection pages
have no query console, so the template's run in the editor is where the answer shows: a
sentence and a table of rows under their column names. The model is the local
OpenAI-compatible fake; the database a scratch PostgreSQL."""

from __future__ import annotations

import json

import psycopg
import pytest
from playwright.sync_api import expect

from integrations.services import create_connection, create_credential
from tests.e2e.conftest import UI_WAIT_MS, log_in
from tests.integrations.conftest import PG_HOST, PG_PORT, PG_USER, TEST_KEY_A, scratch_postgres  # noqa: F401
from tests.integrations.stubs import StubLlm, running_stub_llm

pytestmark = [pytest.mark.slow, pytest.mark.django_db(transaction=True)]

SENTENCE = "Ada ordered most last month, with 2 orders."


@pytest.fixture
def server_env() -> dict[str, str]:
    # The server decrypts what this process sealed; it reaches the loopback database as a superuser.
    return {"FLOWBUILDER_ENCRYPTION_KEYS": TEST_KEY_A, "FLOWBUILDER_DB_ALLOW_SUPERUSER": "true"}


@pytest.fixture
def shop(settings, acme, scratch_postgres):  # noqa: F811
    settings.FLOWBUILDER_ENCRYPTION_KEYS = TEST_KEY_A
    with psycopg.connect(host=PG_HOST, port=PG_PORT, user=PG_USER, dbname=scratch_postgres.database) as conn:
        conn.execute("CREATE TABLE orders (id serial PRIMARY KEY, customer_id int REFERENCES customers(id))")
        conn.execute("INSERT INTO orders (customer_id) VALUES (1), (1), (2)")
    values = {"name": "Shop", "host": PG_HOST, "port": PG_PORT, "database": scratch_postgres.database}
    values |= {"username": PG_USER, "ssl_mode": "disable"}
    return create_connection(acme.default_project, kind="postgresql", values=values)


@pytest.fixture
def fake_model(acme):
    with running_stub_llm(StubLlm()) as stub:
        fields = {"provider": "openai_compatible", "base_url": stub.base_url, "api_key": "stub-openai-key"}
        create_credential(acme.default_project, name="Fake model", type="llm", fields={**fields, "default_model": "m"})
        yield stub


def test_the_ask_your_database_template_shows_a_sentence_and_a_table(acme, alice, shop, fake_model, server, page):
    sql = (
        "SELECT c.name, count(*) AS orders FROM customers c JOIN orders o ON o.customer_id = c.id "
        "GROUP BY c.name ORDER BY orders DESC"
    )
    fake_model.replies = [json.dumps({"sql": sql}), SENTENCE]
    log_in(page, server, alice)
    page.goto(f"{server}/workflows/new/")
    page.locator('input[name="template"][value="ask-your-database"]').check()
    page.get_by_role("button", name="Create and open the editor").click()
    expect(page.get_by_test_id("problem-item")).to_have_count(2, timeout=UI_WAIT_MS)

    page.get_by_test_id("node-ask").click()
    page.get_by_test_id("field-connection").select_option(label="Shop")
    page.get_by_test_id("field-credential").select_option(label="Fake model")
    expect(page.get_by_test_id("problem-item")).to_have_count(0, timeout=UI_WAIT_MS)
    expect(page.get_by_test_id("save-status")).to_have_attribute("data-state", "saved", timeout=UI_WAIT_MS)
    page.get_by_test_id("run-button").click()
    page.get_by_test_id("run-start").click()

    expect(page.get_by_test_id("run-panel")).to_have_attribute("data-execution-status", "completed", timeout=UI_WAIT_MS)
    expect(page.get_by_test_id("result-answer")).to_have_text(SENTENCE)
    table = page.get_by_test_id("result-table")
    expect(table.get_by_role("columnheader")).to_have_text(["name", "orders"])
    expect(table.locator("tbody tr").first.locator("td")).to_have_text(["Ada", "2"])
    expect(table.locator("tbody tr")).to_have_count(2)
    assert "orders(id integer PK, customer_id integer -> customers.id)" in (
        fake_model.requests[0]["body"]["messages"][0]["content"]
    )
    assert page.console_errors == []
