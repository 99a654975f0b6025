"""What the AI cost: tokens per model and per workflow, priced from `FLOWBUILDER_AI_PRICES`.

Prices are US dollars per million tokens, input and output apart, per model. A model is
priced by its exact name, else by the longest listed name it starts with (dated releases
such as `gpt-4o-mini-2024-07-18` take their family's price); a model with no price shows its
tokens and no cost, and the total says how many tokens it leaves out. An estimate, not an
invoice: the provider's bill is the truth (docs/design.md D23).
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal

from django.conf import settings
from django.db.models import Sum

from accounts.models import AiTokenUsage

MILLION = Decimal(1_000_000)
PRECISION = Decimal("0.000001")  # a millionth of a dollar: one call of a small model still shows


@dataclass(frozen=True)
class Price:
    model: str  # the price table's entry that applies
    input_per_million: Decimal
    output_per_million: Decimal


def price_for(model: str) -> Price | None:
    table = settings.FLOWBUILDER_AI_PRICES
    if model in table:
        entry = model
    else:
        entry = max((name for name in table if model.startswith(name)), key=len, default=None)
    if entry is None:
        return None
    given_in, given_out = table[entry]
    return Price(entry, Decimal(str(given_in)), Decimal(str(given_out)))


def estimate_cost(model: str, input_tokens: int, output_tokens: int) -> Decimal | None:
    """US dollars for these tokens of `model`, to a millionth; None when it has no price."""
    price = price_for(model)
    if price is None:
        return None
    cost = (input_tokens * price.input_per_million + output_tokens * price.output_per_million) / MILLION
    return cost.quantize(PRECISION, rounding=ROUND_HALF_UP)


def ai_rows(organization, start: dt.date, end: dt.date, *group: str) -> list[dict]:
    """Token sums grouped by `group` fields (and the model, which the price needs)."""
    fields = sorted({"model", *group})
    return list(
        AiTokenUsage.objects.filter(organization=organization, date__range=(start, end))
        .values(*fields)
        .annotate(input_tokens=Sum("input_tokens"), output_tokens=Sum("output_tokens"))
        .order_by(*fields)
    )


def priced(rows: list[dict]) -> list[dict]:
    """Each row with its total tokens and estimated cost (None: no price for its model)."""
    return [
        {
            **row,
            "tokens": row["input_tokens"] + row["output_tokens"],
            "estimated_cost": estimate_cost(row["model"], row["input_tokens"], row["output_tokens"]),
        }
        for row in rows
    ]


def by_model(organization, start: dt.date, end: dt.date) -> list[dict]:
    rows = priced(ai_rows(organization, start, end))
    for row in rows:
        price = price_for(row["model"])
        row["price"] = None if price is None else {"input": price.input_per_million, "output": price.output_per_million}
    return rows


def by_workflow(organization, start: dt.date, end: dt.date) -> list[dict]:
    """Tokens and cost per workflow (summed over its models), the largest first; names looked up."""
    from workflows.models import Workflow  # accounts sits below workflows: looked up only here

    totals: dict[str, dict] = defaultdict(lambda: {"input_tokens": 0, "output_tokens": 0, "estimated_cost": None})
    for row in priced(ai_rows(organization, start, end, "workflow_id")):
        total = totals[row["workflow_id"]]
        total["input_tokens"] += row["input_tokens"]
        total["output_tokens"] += row["output_tokens"]
        if row["estimated_cost"] is not None:
            total["estimated_cost"] = (total["estimated_cost"] or Decimal(0)) + row["estimated_cost"]
    names = dict(Workflow.objects.filter(pk__in=[key for key in totals if key]).values_list("id", "name"))
    rows = [
        {
            "workflow_id": key or None,
            "workflow_name": names.get(key) or ("(deleted workflow)" if key else "(outside a workflow run)"),
            **total,
            "tokens": total["input_tokens"] + total["output_tokens"],
        }
        for key, total in totals.items()
    ]
    return sorted(rows, key=lambda row: (-row["tokens"], row["workflow_name"]))


def cost_summary(model_rows: list[dict]) -> dict:
    """The estimated total and the tokens it leaves out (models without a price)."""
    costs = [row["estimated_cost"] for row in model_rows if row["estimated_cost"] is not None]
    unpriced = [row for row in model_rows if row["estimated_cost"] is None]
    return {
        "estimated_cost": sum(costs, Decimal(0)).quantize(PRECISION),
        "unpriced_models": [row["model"] for row in unpriced],
        "unpriced_tokens": sum(row["tokens"] for row in unpriced),
    }
