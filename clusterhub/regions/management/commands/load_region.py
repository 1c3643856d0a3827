from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from clusterhub.regions.services import PresetError, region_load_preset


class Command(BaseCommand):
    help = "Load (or update) the region preset: clusters, S3 themes, competences, territories."

    def add_arguments(self, parser):  # type: ignore[no-untyped-def]
        parser.add_argument("path", nargs="?", default=settings.CLUSTERHUB_REGION_PRESET)

    def handle(self, *args, path: str, **options):  # type: ignore[no-untyped-def]
        try:
            summary = region_load_preset(path=Path(path))
        except PresetError as exc:
            raise CommandError(str(exc)) from exc
        self.stdout.write(
            f"Region {summary.region}: {summary.clusters} clusters, {summary.s3_themes} S3 themes, "
            f"{summary.competences} competences, {summary.territories} territories, "
            f"{summary.postcodes} postcodes."
        )
