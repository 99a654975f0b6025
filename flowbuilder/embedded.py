"""The embedded mode's RQ worker and scheduler: threads inside the server process.

RQ's regular worker forks, installs signal handlers and times jobs out with SIGALRM; its
scheduler runs in a child process. None of that works with an in-process Redis stand-in
shared by threads, so here the worker runs jobs in-process (SimpleWorker) with a timer-based
timeout, and delayed jobs (waits, webhook retries) are promoted by a thread of our own.
"""

from __future__ import annotations

import logging
import threading

from django.conf import settings
from rq import SimpleWorker
from rq.scheduler import RQScheduler
from rq.timeouts import TimerDeathPenalty

from flowbuilder.redis import get_queue, get_redis

logger = logging.getLogger(__name__)
_started = threading.Event()
PROMOTE_INTERVAL_SECONDS = 0.5


class ThreadWorker(SimpleWorker):
    death_penalty_class = TimerDeathPenalty

    def _install_signal_handlers(self) -> None:  # signals belong to the main thread
        pass


def start_embedded_worker() -> threading.Thread | None:
    """Start the in-process worker and schedulers once, if we are in the embedded mode."""
    if not settings.EMBEDDED_MODE or _started.is_set():
        return None
    _started.set()
    queues = [get_queue(name) for name in settings.RQ_QUEUE_NAMES]
    worker = ThreadWorker(queues, connection=get_redis())

    def work() -> None:
        logger.info("embedded RQ worker started on queues %s", settings.RQ_QUEUE_NAMES)
        worker.work(logging_level="WARNING")

    thread = threading.Thread(target=work, name="embedded-rq-worker", daemon=True)
    thread.start()
    start_thread(promote_scheduled_jobs_forever, "embedded-rq-scheduler")
    start_embedded_scheduler()
    return thread


def start_thread(target, name: str) -> threading.Thread:
    thread = threading.Thread(target=target, args=(threading.Event(),), name=name, daemon=True)
    thread.start()
    return thread


def promote_scheduled_jobs_forever(stop: threading.Event) -> None:
    """Move delayed jobs whose time has come onto their queues (RQ's scheduler, as a thread)."""
    scheduler = RQScheduler(settings.RQ_QUEUE_NAMES, connection=get_redis())
    scheduler.acquire_locks()
    while not stop.wait(PROMOTE_INTERVAL_SECONDS):
        try:
            scheduler.enqueue_scheduled_jobs()
        except Exception:  # noqa: BLE001 - keep promoting after a bad pass
            logger.exception("could not promote scheduled jobs")


def start_embedded_scheduler() -> threading.Thread:
    """Cron triggers and recovery, in a thread (the scaled mode runs `run_scheduler`)."""
    from workflows.scheduler import run_scheduler_forever

    return start_thread(run_scheduler_forever, "embedded-scheduler")
