"""Events for the tests: made through the service, as managers make them."""

from datetime import timedelta

import pytest
from django.utils import timezone

from clusterhub.events.models import EventKind, EventStatus, EventVisibility
from clusterhub.events.services import event_save
from tests.factories import OrganizationRoleFactory, PersonFactory


@pytest.fixture
def make_event(officer):
    """An event starting in a week (published, public, region-wide unless told otherwise)."""

    def make(*, clusters=(), starts_in=timedelta(days=7), hours=3, **fields):
        starts_at = timezone.now() + starts_in
        values = {
            "title": "Workshop on food packaging",
            "kind": EventKind.WORKSHOP,
            "starts_at": starts_at,
            "ends_at": starts_at + timedelta(hours=hours),
            "visibility": EventVisibility.PUBLIC,
            "status": EventStatus.PUBLISHED,
            "capacity": None,
        }
        values.update(fields)
        return event_save(event=None, actor=officer, clusters=clusters, **values)

    return make


@pytest.fixture
def make_person(member_org):
    """A member user of `member_org` (agrifood), one more each call."""

    def make(organization=None, **fields):
        role = OrganizationRoleFactory(organization=organization or member_org, **fields)
        return role.person

    return make


@pytest.fixture
def outsider(db):
    """A signed-in person of no organization."""
    return PersonFactory(email="outsider@example.org")
