"""Idempotent starts: a client that retries with the same `Idempotency-Key` gets the same run.

A client whose connection dropped during `execute` never learned the execution id; it
sends the request again with the same key and must not start a second run. The key is
stored with a hash of the request body in the transaction that stores the run, under a
unique constraint, so two concurrent requests with one key start one run between them.
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass
from datetime import timedelta
from typing import Any

from django.db import IntegrityError, transaction
from django.utils import timezone

from accounts.services import ConflictError
from workflows.models import Execution, IdempotencyKey, Workflow

KEY_MAX_LENGTH = 255
KEY_LIFETIME = timedelta(hours=24)


class InvalidIdempotencyKey(ValueError):
    pass


class IdempotencyKeyReused(ConflictError):
    """The key was used for a different request body."""


@dataclass(frozen=True)
class StartedRun:
    execution: Execution
    replayed: bool  # True when the key had already started this run


def clean_key(raw: str | None) -> str | None:
    """The key from the header, or None when there is none; refuses empty, long or odd keys."""
    if raw is None:
        return None
    key = raw.strip()
    if not key:
        raise InvalidIdempotencyKey("Idempotency-Key must not be empty.")
    if len(key) > KEY_MAX_LENGTH:
        raise InvalidIdempotencyKey(f"Idempotency-Key must be at most {KEY_MAX_LENGTH} characters; got {len(key)}.")
    if not key.isprintable() or not key.isascii():
        raise InvalidIdempotencyKey("Idempotency-Key must be printable ASCII.")
    return key


def hash_body(body: Any) -> str:
    """A stable hash of a JSON body: key order and spacing do not matter."""
    canonical = json.dumps(body, sort_keys=True, separators=(",", ":"), default=str, ensure_ascii=False)
    return hashlib.sha256(canonical.encode()).hexdigest()


def start_once(workflow: Workflow, *, key: str, body_hash: str, start) -> StartedRun:
    """Run `start()` (which creates the execution) unless `key` already started one.

    The key row and the execution commit together. A concurrent request with the same key
    blocks on the unique index until the first commits, then finds its run.
    """
    with transaction.atomic():
        found = _fresh_record(workflow, key)
        if found is not None:
            return _replay(found, body_hash)
        try:
            with transaction.atomic():
                execution = start()
                IdempotencyKey.objects.create(workflow=workflow, key=key, body_hash=body_hash, execution=execution)
        except IntegrityError:
            found = _fresh_record(workflow, key)
            if found is None:  # the winner's row vanished again (expired and replaced): give up cleanly
                raise ConflictError("A request with this Idempotency-Key is in progress; retry it.") from None
            return _replay(found, body_hash)
    return StartedRun(execution=execution, replayed=False)


def _fresh_record(workflow: Workflow, key: str) -> IdempotencyKey | None:
    """The key's record if it is younger than a day; an expired one is deleted to free the key."""
    record = IdempotencyKey.objects.select_related("execution").filter(workflow=workflow, key=key).first()
    if record is not None and record.created_at < timezone.now() - KEY_LIFETIME:
        record.delete()
        return None
    return record


def _replay(record: IdempotencyKey, body_hash: str) -> StartedRun:
    if record.body_hash != body_hash:
        raise IdempotencyKeyReused(
            "This Idempotency-Key was already used with a different request body; use a new key for a new run."
        )
    return StartedRun(execution=record.execution, replayed=True)


def prune_expired_keys() -> int:
    """Delete the keys older than a day (they can no longer match); returns how many."""
    deleted, _ = IdempotencyKey.objects.filter(created_at__lt=timezone.now() - KEY_LIFETIME).delete()
    return deleted
