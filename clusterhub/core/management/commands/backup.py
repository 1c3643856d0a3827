from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from clusterhub.core.backups import BackupError, backup


class Command(BaseCommand):
    help = (
        "Back up the database while the server keeps running: SQLite with its online backup "
        "API, PostgreSQL with pg_dump -Fc. Writes the file and <file>.meta.json (when it was "
        "taken, the rows of every table). Default: var/backups/clusterhub-<UTC time>."
    )

    def add_arguments(self, parser):  # type: ignore[no-untyped-def]
        parser.add_argument("--output", "-o", help="Where to write the backup file.")

    def handle(self, *args, output: str | None, **options):  # type: ignore[no-untyped-def]
        try:
            info = backup(Path(output) if output else None)
        except BackupError as exc:
            raise CommandError(str(exc)) from exc
        rows = sum(info.tables.values())
        self.stdout.write(
            self.style.SUCCESS(
                f"Backed up {info.engine} to {info.path} ({info.path.stat().st_size} bytes, "
                f"{len(info.tables)} tables, {rows} rows), taken at {info.taken_at.isoformat()}."
            )
        )
