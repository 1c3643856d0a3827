from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from clusterhub.core.demo import DEMO_PASSWORD, DemoError, demo_load


class Command(BaseCommand):
    help = (
        "Load the region preset's demo data: real organizations, memberships, working groups "
        "and one account per role. Adds only what is missing. Refuses without DEBUG unless --force."
    )

    def add_arguments(self, parser):  # type: ignore[no-untyped-def]
        parser.add_argument("path", nargs="?", default=settings.CLUSTERHUB_REGION_PRESET)
        parser.add_argument(
            "--force",
            action="store_true",
            help="Load even though DEBUG is off (the demo accounts have a published password).",
        )

    def handle(self, *args, path: str, force: bool, **options):  # type: ignore[no-untyped-def]
        if not settings.DEBUG and not force:
            raise CommandError(
                "Refusing to load demo accounts with a published password while DEBUG is off. "
                "Set CLUSTERHUB_DEBUG=1, or pass --force if this really is a demo server."
            )
        try:
            summary = demo_load(preset_path=Path(path))
        except DemoError as exc:
            raise CommandError(str(exc)) from exc
        self.stdout.write(
            f"Demo data: {summary.organizations_created} organizations created "
            f"({summary.organizations_present} already present), "
            f"{summary.memberships_created} memberships, "
            f"{summary.working_groups_created} working groups, "
            f"{summary.accounts_created} accounts created; "
            f"{summary.projects_created} EU projects created, "
            f"{summary.participations_linked} participations linked to the registry, "
            f"{summary.projects_classified} projects classified; "
            f"{summary.profiles_indexed} profiles indexed for matchmaking."
        )
        for line in summary.app_lines:
            self.stdout.write(f"  {line}")
        self.stdout.write(f"Demo logins (password for all: {DEMO_PASSWORD}):")
        for role, email in summary.logins:
            self.stdout.write(f"  {role:<50} {email}")
