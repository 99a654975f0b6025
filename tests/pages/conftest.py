"""Page fixtures: a logged-in browser-like client per person, and runs with real step rows."""

from __future__ import annotations

import pytest
from django.test import Client

from tests.workflows.conftest import edge, make_workflow, node, run_now

# Shared with tests/workflows: the workflow factory and the in-process job runner.
__all__ = ["make_workflow", "run_now"]


@pytest.fixture
def page_client_for():
    """A factory: a Django test client logged in as the user (CSRF checks on, like a browser)."""

    def make(user):
        client = Client(enforce_csrf_checks=False)
        client.force_login(user)
        return client

    return make


def failing_flow() -> dict:
    """manual → set → fail: a run that ends failed with two step rows."""
    return {
        "nodes": [
            node("start", "trigger.manual"),
            node("prepare", "data.set", {"fields": {"amount": "{{ trigger.amount }}"}}),
            node("stop", "logic.fail", {"code": "TOO_BIG", "message": "Amount {{ input.amount }} is over the limit"}),
        ],
        "edges": [edge("start", "prepare"), edge("prepare", "stop")],
    }
