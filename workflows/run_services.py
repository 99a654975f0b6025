"""Services other apps add to a run's `ctx.services`, without workflows importing them.

An app built on workflows (the chat app's `chat_sender`, for one) registers a provider in
its `ready()`; `workflows.lifecycle.engine_services` asks every provider for its services
when a run is claimed. A provider gets the Execution and returns a mapping (empty when it
has nothing for that run).
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any

Provider = Callable[[Any], Mapping[str, Any]]

_providers: dict[str, Provider] = {}


def register_service_provider(name: str, provider: Provider) -> None:
    """Add (or replace, by `name`) a provider of run services."""
    _providers[name] = provider


def provided_services(execution) -> dict[str, Any]:
    found: dict[str, Any] = {}
    for provider in _providers.values():
        found.update(provider(execution))
    return found
