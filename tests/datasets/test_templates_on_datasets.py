"""The "Ask your database" and "Scheduled database alert" templates work on a dataset as shipped
(issue 19's Done-when): a spreadsheet of orders uploaded, the template pointed at the project's
Datasets connection, run through the API and the worker's job function, with the local
OpenAI-compatible fake model and a local SMTP server."""

from __future__ import annotations

import datetime as dt
import email
import email.policy
import json

import pytest

from integrations.models import Connection
from integrations.services import create_credential
from tests.datasets.conftest import upload
from tests.integrations.stubs import StubLlm, running_stub_llm
from tests.integrations.test_email import smtp_fields, smtp_server  # noqa: F401 (a fixture)
from tests.integrations.test_ops_templates import run_now, set_config
from tests.workflows.test_templates import instantiate, problems, run_first_time
from workflows.templates_catalog import ASK_DATABASE, DATABASE_ALERT

pytestmark = pytest.mark.django_db


def orders_csv() -> bytes:
    """Orders relative to now: two failed in the last day, one failed three days ago, one paid."""
    now = dt.datetime.now(dt.UTC).replace(microsecond=0)
    at = lambda hours: (now - dt.timedelta(hours=hours)).isoformat().replace("+00:00", "Z")  # noqa: E731
    lines = [
        "ID,Customer,Total,Status,Created at",
        f"41,Ada,12.50,failed,{at(2)}",
        f'42,"Hopper, Grace",99.00,failed,{at(5)}',
        f"43,Linus,5.00,paid,{at(1)}",
        f"40,Old,1.00,failed,{at(72)}",
    ]
    return ("\r\n".join(lines) + "\r\n").encode()


@pytest.fixture
def shop(acme, alice_api):
    response = upload(alice_api, "/datasets", orders_csv(), name="orders")
    assert response.status_code == 201, response.content
    return Connection.objects.get(project=acme.default_project, kind="datasets")


@pytest.fixture
def fake_model():
    with running_stub_llm(StubLlm()) as stub:
        yield stub


def test_ask_your_database_answers_from_a_dataset_and_the_prompt_has_its_columns(
    acme, alice, alice_api, client, shop, fake_model
):
    project = acme.default_project
    fields = {"provider": "openai_compatible", "base_url": fake_model.base_url, "api_key": "stub-openai-key"}
    llm = create_credential(project, name="model", type="llm", fields={**fields, "default_model": "fake-1"})
    client.force_login(alice)
    workflow = instantiate(client, ASK_DATABASE)
    set_config(workflow, "ask", connection=shop.id, credential=llm.id)
    assert problems(alice_api, workflow) == []
    sql = "SELECT customer, sum(total) AS spent FROM orders GROUP BY customer ORDER BY spent DESC LIMIT 2"
    fake_model.replies = [json.dumps({"sql": sql}), "Hopper, Grace ordered most."]

    execution = run_first_time(alice_api, workflow, run_now)

    assert execution.status == "completed", execution.error
    assert execution.output["answer"] == "Hopper, Grace ordered most."
    assert execution.output["rows"] == [
        {"customer": "Hopper, Grace", "spent": 99.0},
        {"customer": "Ada", "spent": 12.5},
    ]
    system = fake_model.requests[0]["body"]["messages"][0]["content"]
    assert "DuckDB" in system
    assert (
        'main.orders(id BIGINT "ID", customer VARCHAR "Customer", total DECIMAL(38,2) "Total", '
        'status VARCHAR "Status", created_at TIMESTAMP WITH TIME ZONE "Created at")'
    ) in system


def test_the_scheduled_alert_emails_the_failed_orders_of_a_dataset(
    acme,
    alice,
    alice_api,
    client,
    shop,
    smtp_server,  # noqa: F811 (the fixture)
):
    inbox, port = smtp_server
    project = acme.default_project
    smtp = create_credential(project, name="mail", type="smtp", fields=smtp_fields(port))
    client.force_login(alice)
    workflow = instantiate(client, DATABASE_ALERT)
    set_config(workflow, "failed_orders", connection=shop.id)
    set_config(workflow, "alert", credential=smtp.id, to="ops@acme.test")
    assert problems(alice_api, workflow) == []

    execution = run_first_time(alice_api, workflow, run_now)  # the template's SQL as shipped

    assert execution.status == "completed", execution.error
    [envelope] = inbox.envelopes
    message = email.message_from_bytes(envelope.content, policy=email.policy.default)
    assert message["Subject"] == "2 failed orders in the last day"
    body = message.get_content().replace("\r\n", "\n")
    assert "41 | Ada" in body and "42 | Hopper, Grace | 99" in body
    assert "Linus" not in body and "Old" not in body
