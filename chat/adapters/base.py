"""The adapter interface and the registry: one module per channel type.

An adapter knows three things about its channel type: which settings it takes (checked when a
channel is created or changed), how the outside world reaches us (`handle_inbound`, the
`/channels/<token>/messages` endpoint: parse, check signatures, hand each message to
`chat.routing.receive`), and how a reply leaves (`deliver`, run by a job off the request
path, with retries). Adding Instagram, Telegram or Twilio is one module that subclasses
`Adapter` and calls `register`; nothing else names the types.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any, ClassVar

from django.http import HttpRequest, HttpResponse


class SettingsInvalid(ValueError):
    """The channel's settings break the adapter's rules; `errors` maps setting names to messages."""

    def __init__(self, errors: dict[str, str]) -> None:
        super().__init__("; ".join(f"{key}: {message}" for key, message in errors.items()))
        self.errors = errors


class DeliveryError(Exception):
    """A reply could not be delivered; `retryable=False` when trying again cannot help."""

    def __init__(self, message: str, *, retryable: bool = True) -> None:
        super().__init__(message)
        self.retryable = retryable


class Adapter:
    type: ClassVar[str] = ""
    # Whether customers reach the channel over `/channels/<token>/messages` (the API shows `inbound_url`).
    has_inbound_url: ClassVar[bool] = True
    # Settings the API accepts, with their defaults (None: no default); anything else is refused.
    settings_defaults: ClassVar[dict[str, Any]] = {}
    # Settings never shown back as they are (credential ids are fine to show; secrets are not kept here).
    secret_created: ClassVar[bool] = False

    def clean_settings(self, project, settings: Mapping[str, Any], *, partial: bool = False) -> dict[str, Any]:
        """The settings to store, or SettingsInvalid. `partial`: only the given keys change."""
        unknown = sorted(set(settings) - set(self.settings_defaults))
        if unknown:
            raise SettingsInvalid({key: "This channel type has no such setting." for key in unknown})
        return dict(settings)

    def new_secret(self) -> dict[str, str]:
        """Secrets made for a new channel, sealed with its token (the generic channel's signing secret)."""
        return {}

    def handle_inbound(self, request: HttpRequest, channel) -> HttpResponse:
        raise NotImplementedError

    def deliver(self, channel, conversation, message) -> None:
        raise NotImplementedError

    def run_started(self, channel, conversation) -> None:
        """A message started or resumed a run (after the commit): the web widget shows typing."""


_ADAPTERS: dict[str, Adapter] = {}


def register(adapter_class: type[Adapter]) -> type[Adapter]:
    _ADAPTERS[adapter_class.type] = adapter_class()
    return adapter_class


def adapter_for(channel_type: str) -> Adapter:
    try:
        return _ADAPTERS[channel_type]
    except KeyError:
        raise LookupError(f"No chat adapter for channel type {channel_type!r}.") from None


def adapter_types() -> list[str]:
    return sorted(_ADAPTERS)
