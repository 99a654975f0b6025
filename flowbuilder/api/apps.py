from __future__ import annotations

from django.apps import AppConfig


class ApiConfig(AppConfig):
    """The API layer's start-up: strict string fields (flowbuilder/api/strict.py)."""

    name = "flowbuilder.api"
    label = "flowbuilder_api"

    def ready(self) -> None:
        from flowbuilder.api import strict

        strict.install()
