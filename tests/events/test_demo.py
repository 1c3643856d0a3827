"""The demo events: past ones with attendance, coming ones to register for; loaded once."""

import pytest

from clusterhub.core.demo import MEMBER_EMAIL, OFFICER_EMAIL
from clusterhub.events.demo import EVENTS, load_demo
from clusterhub.events.models import Event, EventKind, Registration
from clusterhub.events.selectors import attendance_of
from tests.factories import OrganizationRoleFactory, PersonFactory

pytestmark = pytest.mark.django_db


def test_the_demo_events_are_loaded_once_with_attendance_at_past_ones(member_org, other_org):
    PersonFactory(email=OFFICER_EMAIL, is_regional_officer=True)
    OrganizationRoleFactory(organization=member_org, person__email=MEMBER_EMAIL)

    summary = load_demo()
    registrations = Registration.objects.count()
    again = load_demo()

    assert Event.objects.count() == len(EVENTS)
    assert summary.startswith(f"{len(EVENTS)} events ({len(EVENTS)} new")
    assert again.startswith(f"{len(EVENTS)} events (0 new, 0 registrations")
    assert Registration.objects.count() == registrations
    assert Registration.objects.filter(checked_in_at__isnull=False).exists()
    b2b = Event.objects.get(kind=EventKind.B2B)
    assert b2b.registrations.filter(person__email=MEMBER_EMAIL).exists()
    assert attendance_of(member_org, b2b.starts_at.replace(year=2000)).attended >= 1
