"""Issue 24, problems 1 and 2: both database templates work as shipped, end to end.

Instantiated the way the "New workflow" page does it, set up the way its "Set up first"
problems ask, run through the API and the worker's job function, against a real
PostgreSQL, the local OpenAI-compatible fake model and a local SMTP server (aiosmtpd).
"""

from __future__ import annotations

import email
import email.policy
import json

import psycopg
import pytest

from integrations.services import create_connection, create_credential
from tests.integrations.conftest import PG_HOST, PG_PORT, PG_USER
from tests.integrations.stubs import StubLlm, running_stub_llm
from tests.integrations.test_email import smtp_fields, smtp_server  # noqa: F401 (a fixture)
from tests.workflows.test_templates import instantiate, problems, run_first_time
from workflows.jobs import run_execution
from workflows.models import Workflow
from workflows.templates_catalog import ASK_DATABASE, DATABASE_ALERT

pytestmark = pytest.mark.django_db


def run_now(execution_id: str, **kwargs):
    return run_execution(execution_id, **kwargs)


def prepare(target, *statements: str) -> None:
    with psycopg.connect(host=PG_HOST, port=PG_PORT, user=PG_USER, dbname=target.database, autocommit=True) as conn:
        for statement in statements:
            conn.execute(statement)


def connect(project, target):
    values = {"name": "shop", "host": target.host, "port": target.port, "database": target.database}
    values |= {"username": target.user, "ssl_mode": "disable"}
    return create_connection(project, kind="postgresql", values=values)


def set_config(workflow: Workflow, node_id: str, **config) -> None:
    node = next(node for node in workflow.definition["nodes"] if node["id"] == node_id)
    node["config"].update(config)
    workflow.save(update_fields=["definition"])


@pytest.fixture
def fake_model():
    with running_stub_llm(StubLlm()) as stub:
        yield stub


def test_ask_your_database_reads_the_real_schema_and_answers_with_columns_and_a_sentence(
    acme, alice, alice_api, client, scratch_postgres, fake_model
):
    prepare(
        scratch_postgres,
        "CREATE TABLE orders (id serial PRIMARY KEY, customer_id int REFERENCES customers(id), total numeric)",
        "INSERT INTO orders (customer_id, total) VALUES (1, 10), (1, 20), (3, 5)",
    )
    project = acme.default_project
    fields = {"provider": "openai_compatible", "base_url": fake_model.base_url, "api_key": "stub-openai-key"}
    llm = create_credential(project, name="model", type="llm", fields={**fields, "default_model": "fake-1"})
    client.force_login(alice)
    workflow = instantiate(client, ASK_DATABASE)
    assert {(p["node_id"], p["path"].rsplit(".", 1)[-1]) for p in problems(alice_api, workflow)} == {
        ("ask", "connection"),
        ("ask", "credential"),
    }
    set_config(workflow, "ask", connection=connect(project, scratch_postgres).id, credential=llm.id)
    assert problems(alice_api, workflow) == []
    sql = (
        "SELECT c.name, count(*) AS orders FROM customers c JOIN orders o ON o.customer_id = c.id "
        "GROUP BY c.name ORDER BY orders DESC"
    )
    fake_model.replies = [json.dumps({"sql": sql}), "Ada ordered most: 2 orders."]

    execution = run_first_time(alice_api, workflow, run_now)

    assert execution.status == "completed", execution.error
    output = execution.output
    assert output["question"] == "Which customers ordered most last month?"
    assert output["answer"] == "Ada ordered most: 2 orders."
    assert [column["name"] for column in output["columns"]] == ["name", "orders"]
    assert output["rows"] == [{"name": "Ada", "orders": 2}, {"name": "Linus", "orders": 1}]
    system = fake_model.requests[0]["body"]["messages"][0]["content"]
    assert "public.orders(id integer PK, customer_id integer -> customers.id, total numeric)" in system
    assert "created_at" not in system  # the old hard-coded schema text is gone


def test_the_scheduled_alert_emails_the_matching_rows_by_column_name(
    acme, alice, alice_api, client, scratch_postgres, smtp_server  # noqa: F811 (the fixture)
):
    prepare(
        scratch_postgres,
        "CREATE TABLE orders (id int PRIMARY KEY, customer text, total numeric(10, 2), status text, "
        "created_at timestamptz NOT NULL DEFAULT now())",
        "INSERT INTO orders (id, customer, total, status) VALUES (41, 'Ada', 12.50, 'failed'), "
        "(42, 'Grace Hopper', 99.00, 'failed'), (43, 'Linus', 5.00, 'paid')",
        "INSERT INTO orders VALUES (40, 'Old', 1.00, 'failed', now() - interval '3 days')",
    )
    inbox, port = smtp_server
    project = acme.default_project
    smtp = create_credential(project, name="mail", type="smtp", fields=smtp_fields(port))
    client.force_login(alice)
    workflow = instantiate(client, DATABASE_ALERT)
    found = problems(alice_api, workflow)
    assert {(p["node_id"], p["code"]) for p in found} == {(i.node_id, "SETUP_REQUIRED") for i in DATABASE_ALERT.to_fill}
    set_config(workflow, "failed_orders", connection=connect(project, scratch_postgres).id)
    set_config(workflow, "alert", credential=smtp.id, to="ops@acme.test")
    assert problems(alice_api, workflow) == []

    execution = run_first_time(alice_api, workflow, run_now)

    assert execution.status == "completed", execution.error
    [envelope] = inbox.envelopes
    assert envelope.rcpt_tos == ["ops@acme.test"]
    message = email.message_from_bytes(envelope.content, policy=email.policy.default)
    assert message["Subject"] == "2 failed orders in the last day"
    body = message.get_content().replace("\r\n", "\n")
    table = "id | customer     | total\n---+--------------+------\n41 | Ada          | 12.5\n42 | Grace Hopper | 99"
    assert table in body
    assert "Linus" not in body and "Old" not in body
