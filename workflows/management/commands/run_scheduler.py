import signal
import threading

from django.core.management.base import BaseCommand

from workflows.scheduler import run_scheduler_forever, run_scheduler_once


class Command(BaseCommand):
    help = "Fire cron triggers, recover runs abandoned by dead workers, queue lost pending runs and due waits."

    def add_arguments(self, parser):
        parser.add_argument("--once", action="store_true", help="Run one pass and exit.")
        parser.add_argument("--interval", type=float, default=None, help="Seconds between passes.")

    def handle(self, *args, **options):
        if options["once"]:
            self.stdout.write(str(run_scheduler_once()))
            return
        stop = threading.Event()
        signal.signal(signal.SIGTERM, lambda *_: stop.set())
        signal.signal(signal.SIGINT, lambda *_: stop.set())
        self.stdout.write("scheduler running; Ctrl-C to stop")
        run_scheduler_forever(stop, options["interval"])
