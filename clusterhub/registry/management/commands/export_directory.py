"""manage.py export_directory [--format csv|json] [--output PATH] [--cluster SLUG] ..."""

import sys
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from clusterhub.regions.models import Cluster
from clusterhub.registry.exporting import csv_chunks, json_chunks
from clusterhub.registry.models import OrganizationKind
from clusterhub.registry.selectors import DirectoryFilters, organization_directory_loaded


class Command(BaseCommand):
    help = (
        "Write the public directory as open data (CSV or JSON): public facts about "
        "organizations only, never personal data. Streams, so memory stays flat."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--format", choices=["csv", "json"], default="csv")
        parser.add_argument("--output", help="File to write (default: standard output).")
        parser.add_argument("--cluster", default="", help="Only active members of this cluster.")
        parser.add_argument("--kind", default="", choices=["", *OrganizationKind.values])
        parser.add_argument("--territory", default="", help="NUTS-3 code of a province.")
        parser.add_argument("-q", "--query", default="", help="Words to search for.")

    def handle(self, *args: Any, **options: Any) -> None:
        if options["cluster"] and not Cluster.objects.filter(slug=options["cluster"]).exists():
            raise CommandError(f"No cluster with slug {options['cluster']!r}.")
        filters = DirectoryFilters(
            q=options["query"],
            cluster=options["cluster"],
            kind=options["kind"],
            territory=options["territory"],
        )
        organizations = organization_directory_loaded(filters)
        chunks = (
            csv_chunks(organizations) if options["format"] == "csv" else json_chunks(organizations)
        )
        if not options["output"]:
            for chunk in chunks:
                sys.stdout.write(chunk)
            return
        path = Path(options["output"])
        # newline="": the CSV writer already ends rows with CRLF, as RFC 4180 asks.
        with path.open("w", encoding="utf-8", newline="") as stream:
            for chunk in chunks:
                stream.write(chunk)
        self.stderr.write(f"Wrote {organizations.count()} organizations to {path}.")
