"""manage.py rebuild_match_index: build the matchmaking index again from the database."""

import sys
import time
from typing import Any

from django.core.management.base import BaseCommand

from clusterhub.matchmaking.indexing import index_directory, index_rebuild


class Command(BaseCommand):
    help = (
        "Rebuild the matchmaking index of every organization from the database, reusing the "
        "stored vectors of unchanged profiles and encoding the others. Saved atomically in "
        "CLUSTERHUB_INDEX_DIR; running web processes load the new index on their next search."
    )

    def handle(self, *args: Any, **options: Any) -> None:
        self._started = time.perf_counter()
        report = index_rebuild(progress=self._progress)
        self.stdout.write(report.summary())
        self.stdout.write(f"Saved in {index_directory()}.")

    def _progress(self, done: int, total: int) -> None:
        width = 30
        filled = width * done // total if total else width
        elapsed = time.perf_counter() - self._started
        bar = "#" * filled + "-" * (width - filled)
        end = "\n" if total and done >= total else ""
        self.stderr.write(f"\r[{bar}] {done}/{total} organizations, {elapsed:.0f} s", ending=end)
        sys.stderr.flush()
