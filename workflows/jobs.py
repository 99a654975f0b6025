"""RQ entry points. Thin: claim the execution, advance it, and make sure it ends (workflows.lifecycle)."""

from __future__ import annotations

import logging
from typing import Any

from django.db import connection

from workflows.events import flush_events
from workflows.lifecycle import advance_claimed, claim_execution, fail_on_internal_error

logger = logging.getLogger(__name__)


def run_execution(execution_id: str, resume: dict[str, Any] | None = None) -> str | None:
    """Run (or continue) one execution; returns its status, or None if not ours to run.

    Whatever breaks outside a node still ends the run: after the claim, the run is marked
    failed (INTERNAL_ERROR). A claim that fails (a locked SQLite database) leaves the run
    pending, and the scheduler's sweep hands it out again.
    """
    # Workers live long and run many jobs on one connection: keep it (a new PostgreSQL
    # connection costs more than a 5-node run's queries), but drop it if it broke. Never
    # inside a transaction: that one is a caller's (a test's).
    if not connection.in_atomic_block and connection.connection is not None and not connection.is_usable():
        connection.close()
    execution = claim_execution(execution_id, resume)
    if execution is None:
        return None
    try:
        return advance_claimed(execution, resume)
    except Exception:
        logger.exception("execution %s failed outside its nodes", execution_id)
        return fail_on_internal_error(execution)
    finally:
        flush_events()  # a forked work horse exits right after the job
