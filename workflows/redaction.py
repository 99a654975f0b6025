"""Scrubbing secrets out of what a run stores and broadcasts.

Nodes get decrypted credentials through `ctx.services`; the integrations layer notes each
value it hands out. Before a step record is written or sent as an event, every occurrence
of those values — in any string, at any depth — becomes "[redacted]".
"""

from __future__ import annotations

import dataclasses
from collections.abc import Iterable
from typing import Any

from workflows.engine import StepRecord

REDACTED = "[redacted]"


class Redactor:
    def __init__(self, secrets: Iterable[str] | None = None) -> None:
        # A live view: the set grows as nodes resolve credentials during the run.
        self.secrets = secrets if secrets is not None else set()

    def scrub(self, value: Any) -> Any:
        if not self.secrets:
            return value
        ordered = sorted(self.secrets, key=len, reverse=True)  # "abcd1234" before "abcd"
        return _scrub(value, ordered)

    def record(self, record: StepRecord) -> StepRecord:
        if not self.secrets:
            return record
        return dataclasses.replace(
            record,
            input=self.scrub(record.input),
            output=self.scrub(record.output),
            error=self.scrub(dict(record.error)) if record.error else record.error,
        )


def _scrub(value: Any, secrets: list[str]) -> Any:
    if isinstance(value, str):
        for secret in secrets:
            if secret in value:
                value = value.replace(secret, REDACTED)
        return value
    if isinstance(value, dict):
        return {_scrub(key, secrets): _scrub(item, secrets) for key, item in value.items()}
    if isinstance(value, (list, tuple)):
        return [_scrub(item, secrets) for item in value]
    return value
