"""The AI price table behind the usage page's estimated cost (accounts.billing, docs/design.md D23).

US dollars per million tokens, (input, output), per model. A model named
`gpt-4o-mini-2024-07-18` is priced as its longest listed prefix, `gpt-4o-mini`. These are list
prices when this was written; set FLOWBUILDER_AI_PRICES to your contract's.
"""

from __future__ import annotations

import json
import os
from decimal import Decimal

from django.core.exceptions import ImproperlyConfigured

DEFAULT_AI_PRICES: dict[str, tuple[str, str]] = {
    "claude-opus-4": ("15", "75"),
    "claude-sonnet-4": ("3", "15"),
    "claude-haiku-4": ("1", "5"),
    "claude-3-5-haiku": ("0.80", "4"),
    "gpt-4o": ("2.50", "10"),
    "gpt-4o-mini": ("0.15", "0.60"),
    "gpt-4.1": ("2", "8"),
    "gpt-4.1-mini": ("0.40", "1.60"),
    "gpt-4.1-nano": ("0.10", "0.40"),
}


def envprices(name: str, default: dict[str, tuple[str, str]]) -> dict[str, tuple[str, str]]:
    """A JSON object {"model": [input, output]} of US dollars per million tokens, merged over `default`."""
    value = os.environ.get(name)
    if not value:
        return default
    try:
        given = json.loads(value)
        prices = {str(model): (str(pair[0]), str(pair[1])) for model, pair in given.items()}
        for pair in prices.values():
            if any(Decimal(price) < 0 for price in pair):
                raise ValueError
    except (ValueError, TypeError, AttributeError, IndexError, KeyError, ArithmeticError):
        raise ImproperlyConfigured(f'{name} must be JSON like {{"model": [3.0, 15.0]}} (USD per 1M tokens).') from None
    return {**default, **prices}
