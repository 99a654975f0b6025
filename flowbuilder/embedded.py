"""The embedded mode's RQ worker: a thread inside the server process.

RQ's regular worker forks and installs signal handlers; neither works in a thread, so the
embedded worker runs jobs in-process (SimpleWorker) and leaves signals to the server.
"""

from __future__ import annotations

import logging
import threading

from django.conf import settings
from rq import SimpleWorker

from flowbuilder.redis import get_queue, get_redis

logger = logging.getLogger(__name__)
_started = threading.Event()


class ThreadWorker(SimpleWorker):
    def _install_signal_handlers(self) -> None:  # signals belong to the main thread
        pass


def start_embedded_worker() -> threading.Thread | None:
    """Start the in-process worker once, if we are in the embedded mode."""
    if not settings.EMBEDDED_MODE or _started.is_set():
        return None
    _started.set()
    queues = [get_queue(name) for name in settings.RQ_QUEUE_NAMES]
    worker = ThreadWorker(queues, connection=get_redis())

    def work() -> None:
        logger.info("embedded RQ worker started on queues %s", settings.RQ_QUEUE_NAMES)
        worker.work(with_scheduler=True, logging_level="WARNING")

    thread = threading.Thread(target=work, name="embedded-rq-worker", daemon=True)
    thread.start()
    start_embedded_scheduler()
    return thread


def start_embedded_scheduler() -> threading.Thread:
    """Cron triggers and recovery, in a thread (the scaled mode runs `run_scheduler`)."""
    from workflows.scheduler import run_scheduler_forever

    thread = threading.Thread(
        target=run_scheduler_forever, args=(threading.Event(),), name="embedded-scheduler", daemon=True
    )
    thread.start()
    return thread
