"""The end of a run, as other apps see it: a signal sent inside the transaction that ends it.

Outbound webhooks (and anything else that must never miss a run's end) connect to
`execution_ended` and write their rows in the caller's transaction: the rows commit with
the terminal status or not at all, so a worker killed right after the commit loses
nothing (a transactional outbox). Workflows never import the apps that listen.
"""

from __future__ import annotations

import logging

from django.db import connection, transaction
from django.dispatch import Signal

from accounts.services import record_usage
from workflows.models import TEST_MODE, Execution

logger = logging.getLogger(__name__)

# sender=Execution, execution=<Execution in its terminal state>. Sent before the commit:
# receivers write rows and defer side effects (sending, enqueueing) with on_commit.
execution_ended = Signal()

# sender=Execution, execution=<Execution just parked (waiting)>. Sent after the commit that
# parks the run, so a receiver may resume it at once (chat: a customer's reply that arrived
# while the run was still working towards its question).
execution_parked = Signal()


def announce_parked(execution: Execution) -> None:
    """Tell the listeners a run parked; a listener that fails is logged, the run stays parked."""
    try:
        execution_parked.send(sender=Execution, execution=execution)
    except Exception:
        logger.exception("a listener of execution_parked failed for %s", execution.id)


def record_end(execution: Execution, *, steps: int | None = None) -> None:
    """Count the run and tell the listeners, inside the transaction that wrote the terminal status.

    Every place that ends a run calls it: finish, cancel, a failed wait, recovery giving up.
    So every run is counted in usage whatever its end (a run cancelled while stuck too), once
    the end commits; `steps` when the caller knows them, else they are counted here.
    A listener that fails is logged and its writes are rolled back to a savepoint; the run
    still ends (a bug in a listener must not wedge runs), only that listener's rows are lost.
    """
    if not connection.in_atomic_block:
        raise RuntimeError("record_end() belongs inside the transaction that ends the run.")
    if not execution.is_terminal:
        raise ValueError(f"{execution.id} is {execution.status}, not ended.")
    count_run(execution, steps)
    try:
        with transaction.atomic():
            execution_ended.send(sender=Execution, execution=execution)
    except Exception:
        logger.exception("a listener of execution_ended failed for %s; its rows were not written", execution.id)


def count_run(execution: Execution, steps: int | None) -> None:
    """Add the run (production or test, apart) and its steps to usage once the end commits."""
    steps = execution.steps.count() if steps is None else steps
    counter = "test_executions" if execution.mode == TEST_MODE else "executions"
    amounts = {counter: 1, "steps": steps}
    organization_id = execution.project.organization_id
    transaction.on_commit(lambda: record_usage(organization_id, **amounts))
