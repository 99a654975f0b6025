"""Usage that explains the bill (issue 24, item 5): AI tokens per model and per workflow, an
estimated cost from the price table, every run counted, and the month as CSV.

AI calls are real `ai.chat` steps of workflow runs against a loopback OpenAI-compatible stub.
"""

from __future__ import annotations

import csv
import io
from decimal import Decimal

import pytest
from django.core.exceptions import ImproperlyConfigured
from django.utils import timezone

from accounts import billing, services
from accounts.models import AiTokenUsage
from flowbuilder.ai_prices import envprices
from integrations.services import create_credential
from tests.integrations.conftest import TEST_KEY_A
from tests.integrations.stubs import StubLlm, running_stub_llm
from tests.workflows.conftest import edge, node
from tests.workflows.conftest import simple_flow as flow
from workflows import services as workflow_services
from workflows.jobs import run_execution
from workflows.models import Execution

pytestmark = pytest.mark.django_db

PRICES = {"gpt-4o": ("2.50", "10"), "gpt-4o-mini": ("0.15", "0.60"), "claude-sonnet-4": ("3", "15")}


@pytest.fixture(autouse=True)
def price_table(settings):
    settings.FLOWBUILDER_AI_PRICES = PRICES


def test_a_model_is_priced_by_its_name_or_its_longest_listed_prefix():
    assert billing.price_for("gpt-4o").input_per_million == Decimal("2.50")
    assert billing.price_for("gpt-4o-mini-2024-07-18").model == "gpt-4o-mini"  # not "gpt-4o"
    assert billing.price_for("claude-sonnet-4-5").output_per_million == Decimal("15")
    assert billing.price_for("llama-3-local") is None


def test_the_cost_is_input_and_output_tokens_at_their_price_per_million():
    # 1.2M in at $3 + 300k out at $15 = $3.60 + $4.50
    assert billing.estimate_cost("claude-sonnet-4-5", 1_200_000, 300_000) == Decimal("8.100000")
    # 13 in, 5 out of gpt-4o-mini: 13 × 0.15 / 1M + 5 × 0.60 / 1M = $0.00000495, to a millionth
    assert billing.estimate_cost("gpt-4o-mini", 13, 5) == Decimal("0.000005")
    assert billing.estimate_cost("llama-3-local", 10, 10) is None


def test_the_price_table_setting_is_json_per_model_in_and_out(monkeypatch):
    monkeypatch.setenv("FLOWBUILDER_AI_PRICES", '{"my-model": [1, 2.5]}')
    assert envprices("FLOWBUILDER_AI_PRICES", {"gpt-4o": ("2.50", "10")}) == {
        "gpt-4o": ("2.50", "10"), "my-model": ("1", "2.5"),
    }  # fmt: skip
    for bad in ('["gpt"]', '{"m": [1]}', '{"m": [-1, 2]}', "{nope"):
        monkeypatch.setenv("FLOWBUILDER_AI_PRICES", bad)
        with pytest.raises(ImproperlyConfigured):
            envprices("FLOWBUILDER_AI_PRICES", {})


@pytest.fixture
def summarizer(acme, alice, settings):
    """A workflow whose one AI step asks the stub (13 input and 5 output tokens per call)."""
    settings.FLOWBUILDER_ENCRYPTION_KEYS = TEST_KEY_A
    settings.FLOWBUILDER_NETWORK_ALLOW_LIST = ["127.0.0.1"]
    with running_stub_llm(StubLlm(reply_text="Short summary.")) as stub:
        llm = create_credential(
            acme.default_project, name="Stub", type="llm", actor=alice,
            fields={"provider": "openai_compatible", "base_url": stub.base_url, "api_key": "stub-openai-key"},
        )  # fmt: skip
        definition = {
            "nodes": [
                node("start", "trigger.manual"),
                node("summary", "ai.chat", {"credential": llm.id, "model": "gpt-4o-mini-2024-07-18", "prompt": "Hi"}),
            ],
            "edges": [edge("start", "summary")],
        }
        yield workflow_services.create_workflow(acme.default_project, name="Summarizer", definition=definition)


@pytest.fixture
def month_of_ai(acme, summarizer, django_capture_on_commit_callbacks):
    """Two runs of the summarizer, Claude tokens of another workflow, and a model with no price."""
    for _ in range(2):
        execution = workflow_services.start_execution(summarizer, input={}, version=None)
        with django_capture_on_commit_callbacks(execute=True):  # the run is counted once it commits
            status = run_execution(execution.id)
        assert status == "completed", Execution.objects.get(pk=execution.id).error
    # A name a spreadsheet would run as a formula.
    reporter = workflow_services.create_workflow(acme.default_project, name="=Weekly report", definition=flow())
    services.record_ai_usage(
        acme.id, model="claude-sonnet-4-5", input_tokens=1_000_000, output_tokens=200_000, workflow_id=reporter.id
    )
    services.record_ai_usage(acme.id, model="llama-local", input_tokens=500, output_tokens=100)
    return summarizer, reporter


def test_ai_tokens_of_a_run_are_recorded_for_its_workflow(acme, month_of_ai):
    summarizer, _ = month_of_ai
    row = AiTokenUsage.objects.get(organization=acme, workflow_id=summarizer.id)
    assert (row.model, row.input_tokens, row.output_tokens) == ("gpt-4o-mini-2024-07-18", 26, 10)


def test_the_usage_api_gives_tokens_and_cost_per_model_and_per_workflow(alice_api, month_of_ai):
    summarizer, reporter = month_of_ai
    usage = alice_api.get("/api/v1/usage").json()["data"]
    assert usage["ai_tokens_by_model"] == [
        {"model": "claude-sonnet-4-5", "input_tokens": 1_000_000, "output_tokens": 200_000, "estimated_cost_usd": 6.0},
        {"model": "gpt-4o-mini-2024-07-18", "input_tokens": 26, "output_tokens": 10, "estimated_cost_usd": 0.00001},
        {"model": "llama-local", "input_tokens": 500, "output_tokens": 100, "estimated_cost_usd": None},
    ]
    assert [(row["workflow_id"], row["workflow_name"]) for row in usage["ai_tokens_by_workflow"]] == [
        (reporter.id, "=Weekly report"), (None, "(outside a workflow run)"), (summarizer.id, "Summarizer"),
    ]  # fmt: skip
    assert usage["estimated_ai_cost_usd"] == 6.00001


def test_the_usage_page_shows_tokens_and_cost_per_model_and_per_workflow(client, bob_viewer, month_of_ai):
    summarizer, reporter = month_of_ai
    client.force_login(bob_viewer)
    page = client.get("/usage/").content.decode()
    assert '<strong data-usage="ai_cost">$6.0000</strong>' in page
    assert "600 tokens of llama-local have no price" in page
    assert '<tr data-model="claude-sonnet-4-5"><th scope="row">claude-sonnet-4-5</th>' in page
    assert "$3 / $15" in page and "$0.15 / $0.60" in page
    assert f'<tr data-workflow="{summarizer.id}"><th scope="row">Summarizer</th><td class="num">26</td>' in page
    assert f'<tr data-workflow="{reporter.id}"><th scope="row">=Weekly report</th>' in page
    assert 'data-chart="ai-by-model"' in page and 'data-chart="ai-by-workflow"' in page
    assert '<script id="ai-by-workflow-data" type="application/json">' in page


def test_the_month_exports_as_csv_that_sums_to_the_page(client, alice, acme, month_of_ai):
    summarizer, reporter = month_of_ai
    client.force_login(alice)
    today = timezone.now().date()
    answer = client.get("/usage/export.csv", {"month": f"{today:%Y-%m}"})
    assert answer.status_code == 200 and answer["Content-Type"] == "text/csv; charset=utf-8"
    assert answer["Content-Disposition"] == f'attachment; filename="usage-{today:%Y-%m}.csv"'
    rows = list(csv.DictReader(io.StringIO(answer.content.decode())))
    days = [row for row in rows if row["record"] == "day"]
    assert [row["date"] for row in days][-1] == today.isoformat() and len(days) == today.day
    assert next(row for row in days if row["date"] == today.isoformat())["executions"] == "2"
    ai = {(row["workflow_id"], row["model"]): row for row in rows if row["record"] == "ai"}
    mini = ai[(summarizer.id, "gpt-4o-mini-2024-07-18")]
    assert (mini["workflow"], mini["input_tokens"], mini["output_tokens"]) == ("Summarizer", "26", "10")
    assert ai[(reporter.id, "claude-sonnet-4-5")]["workflow"] == "'=Weekly report"  # never a formula
    assert ai[("", "llama-local")]["estimated_cost_usd"] == ""
    [total] = [row for row in rows if row["record"] == "total"]
    assert (total["executions"], total["input_tokens"], total["output_tokens"]) == ("2", "1000526", "200110")
    assert Decimal(total["estimated_cost_usd"]) == Decimal("6.00001")


def test_a_bad_or_future_month_is_a_clear_400(client, alice):
    client.force_login(alice)
    for month in ("2026-13", "last month", "2999-01"):
        answer = client.get("/usage/export.csv", {"month": month})
        assert answer.status_code == 400 and b"like 2026-11" in answer.content
