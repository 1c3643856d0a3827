"""manage.py import_projects FILE [FILE ...] [--layout auto|cordis-bulk|...] [--dry-run]"""

from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from clusterhub.core.progress import ProgressBar
from clusterhub.projects.cordis import LAYOUTS
from clusterhub.projects.importing import AUTO, import_projects


class Command(BaseCommand):
    help = (
        "Import EU research projects and their participants from CORDIS open-data files "
        "(a project table and its participant table given together, or one combined file). "
        "Participants of the region are linked to the registry. All or nothing: if any row has "
        "a problem, nothing is stored and the exit status is 1. Importing again changes nothing."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("files", nargs="+", metavar="FILE")
        parser.add_argument(
            "--layout",
            default=AUTO,
            choices=(AUTO, *LAYOUTS),
            help="How to read the files (default: recognised from each file's header row).",
        )
        parser.add_argument(
            "--dry-run", action="store_true", help="Check the files and report; store nothing."
        )
        parser.add_argument(
            "--no-progress", action="store_true", help="Do not draw the progress bar."
        )

    def handle(self, *args: Any, **options: Any) -> None:
        paths = [Path(f) for f in options["files"]]
        missing = [str(p) for p in paths if not p.is_file()]
        if missing:
            raise CommandError(f"No such file: {', '.join(missing)}")
        bar = ProgressBar(self.stderr._out)
        report = import_projects(
            paths,
            layout=options["layout"],
            dry_run=options["dry_run"],
            progress=None
            if options["no_progress"]
            else lambda done, total, rows: bar(done, total, f"{rows:,} rows"),
        )
        if not options["no_progress"]:
            bar.finish()
        for problem in report.errors:
            where = f"{problem.file or 'files'}"
            where += f", line {problem.line}" if problem.line else ""
            column = f", column {problem.column!r}" if problem.column else ""
            self.stdout.write(f"{where}{column}: {problem.message}")
        if report.error_count > len(report.errors):
            self.stdout.write(f"... and {report.error_count - len(report.errors)} more problems.")
        for file in report.files:
            self.stdout.write(
                f"{file.name}: {file.layout or '?'} {file.kind or ''}, {file.rows} rows"
            )
        self.stdout.write(report.summary())
        if not report.ok:
            raise CommandError(f"{report.error_count} problems: nothing was imported.")
