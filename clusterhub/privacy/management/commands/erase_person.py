"""Erase a person's account on request (GDPR article 17): `manage.py erase_person <email or id>`."""

from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from clusterhub.people.models import Person
from clusterhub.privacy.services import erase_person


class Command(BaseCommand):
    help = (
        "Anonymize a person (email, name, password), end their sessions, close their roles, "
        "revoke their tokens, withdraw their consents and delete their personal-only records. "
        "Running it again changes nothing."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("who", help="The person's email address, or their account number")

    def handle(self, *args: Any, **options: Any) -> None:
        who = str(options["who"]).strip()
        person = (
            Person.objects.filter(pk=int(who)).first()
            if who.isdigit()
            else Person.objects.filter(email__iexact=who).first()
        )
        if person is None:
            raise CommandError(
                f"No account has {who!r} (an erased account no longer has its email; "
                "give its number instead)."
            )
        result = erase_person(person=person, actor=None, note="erase_person command")
        self.stdout.write(f"Account {result.person_id}: {result.summary()}")
