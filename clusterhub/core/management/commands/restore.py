from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from clusterhub.core.backups import BackupError, restore


class Command(BaseCommand):
    help = (
        "Replace the whole database with a backup made by `manage.py backup`, check it, apply "
        "newer migrations, and re-apply the erasures recorded after the backup was taken. "
        "Stop the server first. Refuses without --yes."
    )

    def add_arguments(self, parser):  # type: ignore[no-untyped-def]
        parser.add_argument("path", help="The backup file (its .meta.json must be next to it).")
        parser.add_argument(
            "--yes", action="store_true", help="Really replace the current database."
        )

    def handle(self, *args, path: str, yes: bool, **options):  # type: ignore[no-untyped-def]
        if not yes:
            raise CommandError(
                "Restoring replaces every row of the current database with the backup's. "
                "Run again with --yes to do it."
            )
        try:
            result = restore(Path(path))
        except BackupError as exc:
            raise CommandError(str(exc)) from exc
        info = result.info
        self.stdout.write(
            self.style.SUCCESS(
                f"Restored {info.path} (taken at {info.taken_at.isoformat()}): "
                f"{len(info.tables)} tables, row counts equal to the backup's. "
                f"Erasures recorded since: {result.erasures_found}, "
                f"re-applied: {result.erasures_reapplied}."
            )
        )
