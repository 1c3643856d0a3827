"""manage.py rebuild_match_index: build the matchmaking index again from the database."""

from typing import Any

from django.core.management.base import BaseCommand

from clusterhub.core.progress import ProgressBar
from clusterhub.matchmaking.indexing import index_directory, index_rebuild


class Command(BaseCommand):
    help = (
        "Rebuild the matchmaking index of every organization from the database, reusing the "
        "stored vectors of unchanged profiles and encoding the others. Saved atomically in "
        "CLUSTERHUB_INDEX_DIR; running web processes load the new index on their next search."
    )

    def handle(self, *args: Any, **options: Any) -> None:
        bar = ProgressBar(self.stderr._out, unit="organizations")
        report = index_rebuild(progress=bar)
        bar.finish()
        self.stdout.write(report.summary())
        self.stdout.write(f"Saved in {index_directory()}.")
