"""A person with records in several apps (`rich_member`), and another person beside them."""

from datetime import timedelta
from types import SimpleNamespace

import pytest
from django.test import Client
from django.utils import timezone

from tests.factories import PASSWORD


def signed_in_client(person):
    client = Client()
    assert client.login(email=person.email, password=PASSWORD)
    return client


@pytest.fixture
def records(member, org_admin, member_org, agrifood):
    """The member wrote, voted, registered and searched; the org admin (another person) did the
    same on the same objects, so a leak of theirs into the member's export would show."""
    from clusterhub.agenda.models import AgendaItem, AgendaVersion, Ballot, ItemComment
    from clusterhub.contributions.models import Comment, Contribution
    from clusterhub.digest.models import DigestPreference
    from clusterhub.engagement.models import LoginEvent
    from clusterhub.events.models import CalendarFeed, Event, Registration
    from clusterhub.matchmaking.models import SavedSearch
    from clusterhub.people.models import Consent

    member.full_name = "Maria Membro"
    member.save(update_fields=["full_name"])
    org_admin.full_name = "Alberto Amministratore"
    org_admin.save(update_fields=["full_name"])
    now = timezone.now()
    contribution = Contribution.objects.create(
        kind="need",
        title="Cold chain sensors for small dairies",
        text="We need low-cost sensors.",
        organization=member_org,
        author=member,
    )
    Comment.objects.create(
        contribution=contribution, author=org_admin, organization=member_org, text="Admin's reply"
    )
    Comment.objects.create(
        contribution=contribution, author=member, organization=member_org, text="Member's reply"
    )
    upcoming = Event.objects.create(
        title="Dairy workshop",
        starts_at=now + timedelta(days=10),
        ends_at=now + timedelta(days=10, hours=2),
        created_by=org_admin,
    )
    past = Event.objects.create(
        title="Past fair",
        starts_at=now - timedelta(days=10),
        ends_at=now - timedelta(days=10) + timedelta(hours=3),
    )
    future_seat = Registration.objects.create(
        event=upcoming, person=member, organization=member_org, code="MEMBER01"
    )
    Registration.objects.create(
        event=upcoming, person=org_admin, organization=member_org, code="ADMIN001"
    )
    past_seat = Registration.objects.create(
        event=past, person=member, organization=member_org, code="MEMBER02"
    )
    CalendarFeed.objects.create(person=member, token="member-feed-token")
    SavedSearch.objects.create(person=member, query="sensori caseifici")
    SavedSearch.objects.create(person=org_admin, query="admin's own search")
    DigestPreference.objects.create(person=member, frequency="weekly")
    Consent.objects.create(person=member, purpose="digest", terms_version="digest-1")
    Consent.objects.create(person=member, purpose="terms", terms_version="2026-12")
    LoginEvent.objects.create(person=member, organization=member_org, at=now, day=now.date())
    version = AgendaVersion.objects.create(
        cluster=agrifood, number=1, title="Agenda 2027", created_by=org_admin
    )
    item = AgendaItem.objects.create(version=version, title="Cold chain", objective="Fewer losses")
    ballot = Ballot.objects.create(item=item, organization=member_org, cast_by=member, value=1)
    ItemComment.objects.create(item=item, author=member, organization=member_org, text="Yes!")
    return SimpleNamespace(
        contribution=contribution,
        upcoming=upcoming,
        future_seat=future_seat,
        past_seat=past_seat,
        ballot=ballot,
        item=item,
    )
