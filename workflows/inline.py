"""Short synchronous runs in the process that was asked for them: no queue hop (D19).

A `last_node` hook or `execute` with `wait` stores its execution (committed first, so the
recovery sweeps cover a process that dies mid-run, exactly as for a worker) without
queueing a job, then runs it here under the same lease and journal as a worker would:
claim → advance → finish (`workflows.lifecycle`). The run goes to a worker when

- it parks: a wait, an event, a sub-workflow, or any retry backoff (a parked run is woken
  by a job, as always);
- it is still going after `FLOWBUILDER_INLINE_RUN_SECONDS` at a step boundary: the
  journal is written under the lease, the lease released and a job queued at the front
  of the queue; the worker replays the journal and carries on.

A step that started here runs to its end here (a thread cannot be stopped mid-step);
the time budget bounds how late a step may start, the request's own timeout how long
the caller waits.
"""

from __future__ import annotations

import logging
import time

from django.conf import settings

from workflows import services
from workflows.leases import WORKER_ID
from workflows.lifecycle import adopt_fresh, advance_claimed, claim_execution, fail_on_internal_error
from workflows.models import TERMINAL_EXECUTION_STATUSES, Execution
from workflows.waiting import REFRESHED_FIELDS, wait_for_end

logger = logging.getLogger(__name__)

# The clock the budget follows (tests step it).
clock = time.monotonic


def inline_enabled() -> bool:
    return settings.FLOWBUILDER_INLINE_RUN_SECONDS > 0


def run_here(execution_id: str, budget: float) -> str | None:
    """Claim and run a fresh execution in this process; its status, or None if not ours.

    Like `workflows.jobs.run_execution`: whatever breaks outside a node fails the run with
    INTERNAL_ERROR. A claim that fails queues the run for a worker instead.
    """
    status, _ = claim_and_run(execution_id, budget)
    return status


def claim_and_run(
    execution_id: str, budget: float, fresh: Execution | None = None
) -> tuple[str | None, Execution | None]:
    """`run_here`, and the claimed execution as the finish left it (None if not claimed).

    `fresh`: the execution as `start_execution(run_here=True)` stored it, already leased to
    this process: it needs no claim (D19 addendum (2)).
    """
    if fresh is not None:
        execution = adopt_fresh(fresh)
    else:
        try:
            execution = claim_execution(execution_id)
        except Exception:
            logger.exception("could not claim %s here; a worker will run it", execution_id)
            services.enqueue_execution(execution_id)
            return None, None
        if execution is None:
            return None, None
    deadline = clock() + budget
    try:
        over_budget = lambda: clock() > deadline  # noqa: E731 - read at every step start
        return advance_claimed(execution, None, over_budget=over_budget, park_retries_over=0), execution
    except Exception:
        logger.exception("execution %s failed outside its nodes", execution_id)
        return fail_on_internal_error(execution), None


def run_and_wait(execution: Execution, timeout: float, *, queued: bool) -> Execution:
    """The execution once it ended, or after `timeout` seconds; run here unless `queued`."""
    started = time.monotonic()
    if not queued:
        fresh = execution if execution.lease_owner == WORKER_ID else None  # stored leased to us
        status, finished = claim_and_run(execution.id, min(settings.FLOWBUILDER_INLINE_RUN_SECONDS, timeout), fresh)
        if finished is not None and status in TERMINAL_EXECUTION_STATUSES:
            return finished  # the finish copied the outcome onto it: no need to read it back
        execution.refresh_from_db(fields=REFRESHED_FIELDS)
        if execution.is_terminal:
            return execution
    return wait_for_end(execution, max(0.0, timeout - (time.monotonic() - started)))
