import signal
import subprocess
import sys
import time
from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError


class Command(BaseCommand):
    help = "Serve the site with runserver and run the background task worker; Ctrl-C stops both."
    # runserver runs the checks itself.
    requires_system_checks: list[str] = []

    def add_arguments(self, parser):  # type: ignore[no-untyped-def]
        parser.add_argument("addrport", nargs="?", default="127.0.0.1:8000")

    def handle(self, *args, addrport: str, **options):  # type: ignore[no-untyped-def]
        asked_to_stop: list[int] = []

        def stop(signum: int, frame: Any) -> None:
            asked_to_stop.append(signum)

        # Explicit handlers: a shell may have started us with SIGINT ignored.
        signal.signal(signal.SIGINT, stop)
        signal.signal(signal.SIGTERM, stop)
        manage = [sys.executable, str(settings.BASE_DIR / "manage.py")]
        # Fixed commands; the only argument is the address given by whoever runs this.
        processes = {
            "task worker": subprocess.Popen([*manage, "db_worker"]),  # noqa: S603
            "web server": subprocess.Popen([*manage, "runserver", addrport]),  # noqa: S603
        }
        stopped = None
        while stopped is None and not asked_to_stop:
            time.sleep(0.2)
            stopped = next((name for name, p in processes.items() if p.poll() is not None), None)
        # A terminal's Ctrl-C reaches both already; stop whichever is still running.
        for process in processes.values():
            if process.poll() is None:
                process.terminate()
        for process in processes.values():
            try:
                process.wait(timeout=10)
            except subprocess.TimeoutExpired:
                process.kill()
        if asked_to_stop:
            self.stdout.write("Stopped the web server and the task worker.")
        elif stopped is not None:
            raise CommandError(f"The {stopped} stopped (exit {processes[stopped].returncode}).")
