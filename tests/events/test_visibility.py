"""Who sees which event, who manages it, and which events suit an organization."""

from datetime import timedelta

import pytest
from django.contrib.auth.models import AnonymousUser

from clusterhub.events.models import EventStatus, EventVisibility
from clusterhub.events.selectors import events_managed_by, events_visible_to, upcoming_events_for
from clusterhub.regions.models import Competence, S3Theme

pytestmark = pytest.mark.django_db


@pytest.fixture
def events(make_event, agrifood, mech):
    members = EventVisibility.MEMBERS
    return {
        "public agrifood": make_event(title="public agrifood", clusters=[agrifood]),
        "members agrifood": make_event(
            title="members agrifood", clusters=[agrifood], visibility=members
        ),
        "members mech": make_event(title="members mech", clusters=[mech], visibility=members),
        "members region": make_event(title="members region", visibility=members),
        "draft agrifood": make_event(
            title="draft agrifood", clusters=[agrifood], status=EventStatus.DRAFT
        ),
        "draft mech": make_event(title="draft mech", clusters=[mech], status=EventStatus.DRAFT),
        "cancelled public": make_event(title="cancelled public", status=EventStatus.CANCELLED),
    }


def titles(queryset):
    return sorted(queryset.values_list("title", flat=True))


def test_anonymous_visitors_see_public_events_only(events):
    assert titles(events_visible_to(AnonymousUser())) == ["cancelled public", "public agrifood"]


def test_members_see_their_clusters_and_region_wide_members_events(events, member):
    assert titles(events_visible_to(member)) == [
        "cancelled public",
        "members agrifood",
        "members region",
        "public agrifood",
    ]


def test_a_person_of_no_cluster_sees_public_events_only(events, outsider):
    assert titles(events_visible_to(outsider)) == ["cancelled public", "public agrifood"]


def test_managers_also_see_the_drafts_of_their_clusters(events, manager):
    assert "draft agrifood" in titles(events_visible_to(manager))
    assert "draft mech" not in titles(events_visible_to(manager))
    assert "members mech" not in titles(events_visible_to(manager))


def test_officers_see_everything(events, officer):
    assert len(titles(events_visible_to(officer))) == len(events)


def test_managers_manage_the_events_of_their_clusters_only(events, manager, officer):
    assert titles(events_managed_by(manager)) == [
        "draft agrifood",
        "members agrifood",
        "public agrifood",
    ]
    assert len(titles(events_managed_by(officer))) == len(events)


def test_an_event_of_two_clusters_is_managed_by_the_managers_of_each(
    make_event, agrifood, mech, manager
):
    shared = make_event(title="shared", clusters=[agrifood, mech])
    assert list(events_managed_by(manager)) == [shared]


def test_upcoming_events_suit_the_organization_first(make_event, member_org, agrifood, mech):
    theme = S3Theme.objects.filter(level=2).first()
    competence = Competence.objects.filter(level=2).first()
    member_org.s3_themes.add(theme)
    member_org.competences.add(competence)
    soon_elsewhere = make_event(title="mech, soon", clusters=[mech], starts_in=timedelta(days=1))
    own_cluster = make_event(title="agrifood", clusters=[agrifood], starts_in=timedelta(days=20))
    on_topic = make_event(
        title="agrifood on topic",
        clusters=[agrifood],
        s3_themes=[theme],
        competences=[competence],
        starts_in=timedelta(days=30),
    )
    make_event(title="past", clusters=[agrifood], starts_in=timedelta(days=-3))
    make_event(title="closed mech", clusters=[mech], visibility=EventVisibility.MEMBERS)

    ranked = upcoming_events_for(member_org, limit=10)

    assert [event.title for event in ranked] == [
        on_topic.title,
        own_cluster.title,
        soon_elsewhere.title,
    ]
    assert ranked[0].match_score == 3 + 2 + 1
    assert any(theme.name in reason for reason in ranked[0].match_reasons)
    assert upcoming_events_for(member_org, limit=1) == [on_topic]


def test_the_digest_reminds_a_person_of_their_events_of_the_coming_days(make_event, member):
    from clusterhub.events.selectors import upcoming_registrations_of
    from clusterhub.events.services import registration_cancel, registration_create

    soon = make_event(title="soon", starts_in=timedelta(days=2))
    later = make_event(title="later", starts_in=timedelta(days=20))
    cancelled = make_event(title="dropped", starts_in=timedelta(days=3))
    registration_create(event=soon, person=member)
    registration_create(event=later, person=member)
    registration_cancel(registration=registration_create(event=cancelled, person=member))

    reminders = upcoming_registrations_of(member, within=timedelta(days=7))

    assert [r.event.title for r in reminders] == ["soon"]
