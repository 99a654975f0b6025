"""Fixtures for the pure engine tests: no database, no network, no real time."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest

from tests.engine.support import FakeClock, Probe, RecordingSleep
from workflows.engine import InMemoryJournal, NodeRegistry, RunOutcome, default_registry, run_workflow


@pytest.fixture
def registry() -> NodeRegistry:
    Probe.calls = []
    reg = default_registry()
    reg.register(Probe)
    return reg


@pytest.fixture
def journal() -> InMemoryJournal:
    return InMemoryJournal()


@pytest.fixture
def clock() -> FakeClock:
    return FakeClock()


@pytest.fixture
def sleep() -> RecordingSleep:
    return RecordingSleep()


@pytest.fixture
def run(
    registry: NodeRegistry, journal: InMemoryJournal, clock: FakeClock, sleep: RecordingSleep
) -> Callable:
    def _run(definition: dict, payload: Any = None, **kwargs: Any) -> RunOutcome:
        options = {
            "registry": registry,
            "journal": journal,
            "trigger_node_id": "start",
            "trigger_payload": payload,
            "execution": {"id": "exec-1", "workflow_id": "wf-1"},
            "clock": clock,
            "sleep": sleep,
            **kwargs,
        }
        return run_workflow(definition, **options)

    return _run
