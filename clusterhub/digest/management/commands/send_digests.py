"""Send the digests that are due: run it hourly or daily from cron (docs/deploy.md)."""

from typing import Any

from django.core.management.base import BaseCommand

from clusterhub.digest.services import send_digests


class Command(BaseCommand):
    help = (
        "Email each person who consented the digest that is due (daily or weekly, as they "
        "chose); empty digests are skipped. Links point to CLUSTERHUB_SITE_URL."
    )

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument(
            "--site-url",
            default=None,
            help="Base address of the links (default: CLUSTERHUB_SITE_URL, else localhost).",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        report = send_digests(base_url=options["site_url"])
        self.stdout.write(report.summary())
