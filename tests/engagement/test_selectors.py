"""Engagement read from the other apps' activities: statuses, funnel, history, who sees what."""

from datetime import datetime, timedelta

import pytest
from django.http import Http404
from django.utils import timezone

from clusterhub.engagement.scoring import Reason, Status, month_index
from clusterhub.engagement.selectors import (
    cluster_engagement,
    cluster_engagement_get,
    organization_engagement,
    organization_engagement_get,
)
from clusterhub.registry.models import OrganizationKind
from tests.factories import MembershipFactory, OrganizationFactory, PersonFactory

pytestmark = pytest.mark.django_db


def _member(cluster, name, kind=OrganizationKind.FIRM):
    organization = OrganizationFactory(name=name, kind=kind)
    MembershipFactory(organization=organization, cluster=cluster)
    return organization


def _row(engagement, organization):
    return next(row for row in engagement.rows if row.organization == organization)


def test_members_are_dormant_quiet_or_active_by_the_days_since_their_last_activity(
    agrifood, activity
):
    person = PersonFactory()
    never = _member(agrifood, "Never Srl")
    long_ago = _member(agrifood, "Long Ago Srl")
    quiet = _member(agrifood, "Quiet Srl")
    recent = _member(agrifood, "Recent Srl")
    activity.login(long_ago, person, days=200)
    activity.contribution(quiet, days=100)
    activity.check_in(recent, person, days=10)

    engagement = cluster_engagement(agrifood)

    assert (_row(engagement, never).status, _row(engagement, never).reason) == (
        Status.DORMANT,
        Reason.NEVER,
    )
    assert (_row(engagement, long_ago).status, _row(engagement, long_ago).reason) == (
        Status.DORMANT,
        Reason.LONG_QUIET,
    )
    assert (_row(engagement, quiet).status, _row(engagement, quiet).reason) == (
        Status.COOLING,
        Reason.QUIET,
    )
    assert _row(engagement, recent).status == Status.ACTIVE
    assert engagement.status_counts == {"active": 1, "cooling": 1, "dormant": 2}
    assert [row.organization for row in engagement.quiet][-1] == quiet


def test_a_member_whose_last_quarter_earned_half_of_the_one_before_is_cooling(agrifood, activity):
    person = PersonFactory()
    fading = _member(agrifood, "Fading Srl")
    for _ in range(3):
        activity.check_in(fading, person, days=120)  # previous quarter: 30 points
    activity.check_in(fading, person, days=20)  # last quarter: 10 points

    row = _row(cluster_engagement(agrifood), fading)

    assert (row.previous_quarter, row.last_quarter) == (30.0, 10.0)
    assert (row.status, row.reason) == (Status.COOLING, Reason.HALVED)


def test_each_kind_of_activity_counts_in_its_own_part(agrifood, member_org, member, activity):
    other = _member(agrifood, "Other Srl")
    need = activity.contribution(other)
    activity.check_in(member_org, member)
    activity.contribution(member_org)
    activity.endorsement(member_org, need)
    activity.comment(member_org, need)
    activity.comment(member_org, need)
    activity.login(member_org, member)

    parts = organization_engagement(member_org).breakdown

    counts = {part.key: part.count for part in parts.parts}
    assert counts == {
        "attendance": 1,
        "contributions": 1,
        "endorsements": 1,
        "comments": 2,
        "logins": 1,
        "votes": 0,
    }
    # Everything this month: 10 + 8 + 3 + 2 x 2 + 1, and a profile created today: 15.
    assert parts.activity == 26.0
    assert parts.total == 41.0


def test_a_check_in_without_an_organization_counts_for_the_persons_organization(
    member_org, member, activity
):
    activity.check_in(member_org, member, organization_on_registration=False)

    assert organization_engagement(member_org).breakdown.part("attendance").count == 1


def test_a_cancelled_registration_never_counts(member_org, member, activity):
    activity.check_in(member_org, member, status="cancelled")

    assert organization_engagement(member_org).breakdown.part("attendance").count == 0


def test_the_history_scores_the_end_of_each_of_the_last_twelve_months(member_org, member, activity):
    today = timezone.localdate()
    first = today.replace(day=1)
    three_months_ago = (first - timedelta(days=80)).replace(day=10)
    assert month_index(first) - month_index(three_months_ago) == 3
    event_day = timezone.make_aware(datetime(three_months_ago.year, three_months_ago.month, 10, 12))
    registration = activity.check_in(member_org, member)
    type(registration).objects.filter(pk=registration.pk).update(checked_in_at=event_day)

    history = organization_engagement(member_org).history

    assert len(history) == 12
    assert history[-1].month == first
    by_month = {point.month: point.activity for point in history}
    assert by_month[three_months_ago.replace(day=1)] == 10.0
    assert by_month[first] == 5.0
    before = [p.activity for p in history if p.month < three_months_ago.replace(day=1)]
    assert set(before) == {0.0}


def test_the_funnel_counts_each_kind_from_members_to_contributors(agrifood, mech, activity):
    person = PersonFactory()
    users = [_member(agrifood, f"Final User {n}", OrganizationKind.FINAL_USER) for n in range(4)]
    firms = [_member(agrifood, f"Firm {n}", OrganizationKind.FIRM) for n in range(2)]
    activity.login(users[0], person, days=300)  # ever active only
    activity.login(users[1], person, days=20)  # active recently, not contributing
    activity.contribution(firms[0], days=30)  # contributing
    need = activity.contribution(firms[1], days=400)  # ever active only
    activity.comment(firms[1], need, days=250)
    elsewhere = _member(mech, "Mech Firm")
    activity.contribution(elsewhere)

    engagement = cluster_engagement(agrifood)

    funnel = {row.kind: row.stages() for row in engagement.funnel}
    assert funnel == {"firm": [2, 2, 1, 1], "final_user": [4, 2, 1, 0]}
    assert engagement.totals.stages() == [6, 4, 2, 1]
    assert elsewhere not in {row.organization for row in engagement.rows}


def test_suspended_and_ended_members_are_not_in_the_cluster_engagement(agrifood):
    kept = _member(agrifood, "Kept Srl")
    ended = OrganizationFactory(name="Ended Srl")
    MembershipFactory(organization=ended, cluster=agrifood, status="ended")

    assert [row.organization for row in cluster_engagement(agrifood).rows] == [kept]


def test_a_member_reads_its_own_organization_and_never_another(member, member_org, other_org):
    assert organization_engagement_get(user=member, organization_id=member_org.pk)
    with pytest.raises(Http404):
        organization_engagement_get(user=member, organization_id=other_org.pk)


def test_a_manager_reads_the_members_of_the_cluster_and_no_other(manager, member_org, other_org):
    assert organization_engagement_get(user=manager, organization_id=member_org.pk)
    with pytest.raises(Http404):
        organization_engagement_get(user=manager, organization_id=other_org.pk)
    with pytest.raises(Http404):
        cluster_engagement_get(user=manager, slug="mech")
    assert cluster_engagement_get(user=manager, slug="agrifood").cluster.slug == "agrifood"


def test_an_officer_reads_every_organization(officer, other_org):
    assert organization_engagement_get(user=officer, organization_id=other_org.pk)
    assert cluster_engagement_get(user=officer, slug="mech").totals.members == 1


def _count_queries(callable_):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as captured:
        callable_()
    return len(captured)


def test_the_cluster_is_read_with_the_same_queries_for_3_or_30_members(agrifood, activity):
    person = PersonFactory()

    def add(count):
        for n in range(count):
            organization = _member(agrifood, f"Member {count}-{n}")
            activity.login(organization, person, days=n)
            activity.contribution(organization, days=30 * n)

    add(3)
    few = _count_queries(lambda: cluster_engagement(agrifood))
    add(27)
    many = _count_queries(lambda: cluster_engagement(agrifood))

    assert many == few
