"""Suggest clusters and S3 themes for every project (managers' decisions are kept)."""

from typing import Any

from django.core.management.base import BaseCommand

from clusterhub.core.progress import ProgressBar
from clusterhub.projects.classification import classify_projects


class Command(BaseCommand):
    help = __doc__

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument(
            "--no-progress", action="store_true", help="Do not draw the progress bar."
        )

    def handle(self, *args: Any, **options: Any) -> None:
        bar = None if options["no_progress"] else ProgressBar(self.stderr._out, unit="projects")
        count = classify_projects(progress=bar)
        if bar:
            bar.finish()
        self.stdout.write(f"{count} projects classified.")
