"""Activities placed in time, for the engagement tests."""

from datetime import timedelta

import pytest
from django.utils import timezone

from clusterhub.contributions.models import Comment, Contribution, Endorsement
from clusterhub.engagement.models import LoginEvent
from clusterhub.events.models import Event, Registration


def ago(days: int):
    return timezone.now() - timedelta(days=days)


@pytest.fixture
def activity():
    """Makers of one activity of an organization, `days` days ago."""

    class Make:
        @staticmethod
        def login(organization, person, days=0):
            at = ago(days)
            return LoginEvent.objects.create(
                person=person, organization=organization, at=at, day=timezone.localdate(at)
            )

        @staticmethod
        def contribution(organization, days=0, **fields):
            contribution = Contribution.objects.create(
                kind="need",
                title="A need",
                text="We need help.",
                organization=organization,
                **fields,
            )
            Contribution.objects.filter(pk=contribution.pk).update(created_at=ago(days))
            return contribution

        @staticmethod
        def endorsement(organization, contribution, days=0):
            endorsement = Endorsement.objects.create(
                contribution=contribution, organization=organization
            )
            Endorsement.objects.filter(pk=endorsement.pk).update(created_at=ago(days))
            return endorsement

        @staticmethod
        def comment(organization, contribution, days=0):
            comment = Comment.objects.create(
                contribution=contribution, organization=organization, text="Interesting."
            )
            Comment.objects.filter(pk=comment.pk).update(created_at=ago(days))
            return comment

        @staticmethod
        def check_in(organization, person, days=0, *, organization_on_registration=True, **extra):
            start = ago(days)
            event = Event.objects.create(
                title="Workshop",
                kind="workshop",
                starts_at=start - timedelta(hours=1),
                ends_at=start + timedelta(hours=2),
                status="published",
            )
            return Registration.objects.create(
                event=event,
                person=person,
                organization=organization if organization_on_registration else None,
                checked_in_at=start,
                **extra,
            )

    return Make
