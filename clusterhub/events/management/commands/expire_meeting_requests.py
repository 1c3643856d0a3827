from typing import Any

from django.core.management.base import BaseCommand

from clusterhub.events.services import expire_meeting_requests


class Command(BaseCommand):
    help = "Expire unanswered B2B meeting requests past their deadline and free their slots."

    def handle(self, *args: Any, **options: Any) -> None:
        expired = expire_meeting_requests()
        self.stdout.write(f"{expired} meeting requests expired")
