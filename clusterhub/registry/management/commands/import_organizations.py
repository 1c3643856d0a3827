"""manage.py import_organizations PATH [--dry-run] [--map HEADER=FIELD ...] [--cluster SLUG]"""

import sys
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError, CommandParser

from clusterhub.regions.models import Cluster
from clusterhub.registry.importing import COLUMNS, import_organizations


class Command(BaseCommand):
    help = (
        "Import organizations and their cluster memberships from a CSV or XLSX file. "
        "All or nothing: if any row has a problem, nothing is stored and the exit status is 1. "
        f"Fields: {', '.join(COLUMNS)}."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("path")
        parser.add_argument(
            "--dry-run", action="store_true", help="Check the file and report; store nothing."
        )
        parser.add_argument(
            "--map",
            action="append",
            default=[],
            metavar="HEADER=FIELD",
            help="Map a column of the file to a field (FIELD empty to ignore it). Repeatable.",
        )
        parser.add_argument("--cluster", help="Slug of a cluster every row becomes a member of.")

    def handle(self, *args: object, **options: object) -> None:
        path = Path(str(options["path"]))
        if not path.is_file():
            raise CommandError(f"No such file: {path}")
        mapping = {}
        for item in options["map"]:  # type: ignore[attr-defined]
            header, sep, field = str(item).partition("=")
            if not sep:
                raise CommandError(f"--map expects HEADER=FIELD, not {item!r}.")
            mapping[header.strip()] = field.strip()
        cluster = None
        if options["cluster"]:
            cluster = Cluster.objects.filter(slug=options["cluster"]).first()
            if cluster is None:
                slugs = ", ".join(Cluster.objects.values_list("slug", flat=True))
                raise CommandError(f"No cluster {options['cluster']!r}; the clusters are: {slugs}.")
        report = import_organizations(
            path,
            mapping=mapping,
            dry_run=bool(options["dry_run"]),
            cluster=cluster,
            progress=self._progress,
        )
        self.stderr.write("")
        for problem in report.errors:
            where = f"line {problem.line}" if problem.line else "file"
            column = f", column {problem.column!r}" if problem.column else ""
            self.stdout.write(f"{where}{column}: {problem.message}")
        if report.error_count > len(report.errors):
            self.stdout.write(f"... and {report.error_count - len(report.errors)} more problems.")
        self.stdout.write(report.summary())
        if not report.ok:
            raise CommandError(f"{report.error_count} problems: nothing was imported.")

    def _progress(self, rows: int) -> None:
        self.stderr.write(f"\r{rows} rows read", ending="")
        sys.stderr.flush()
