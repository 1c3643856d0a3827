"""Many people of one member organization vote on the same item at the same moment: exactly
one ballot remains, nobody gets an error, and a points budget is never exceeded. Real threads
on PostgreSQL (skipped on SQLite, which runs one writer at a time)."""

from datetime import timedelta

import pytest
from django.conf import settings
from django.core.management import call_command
from django.utils import timezone

from clusterhub.agenda import services
from clusterhub.agenda.consultation import ballot_cast
from clusterhub.agenda.models import Ballot
from clusterhub.regions.models import Cluster
from tests.events.concurrency import postgresql_only, run_at_once
from tests.factories import (
    ClusterRoleFactory,
    MembershipFactory,
    OrganizationFactory,
    OrganizationRoleFactory,
)

VOTERS = 12


@pytest.fixture
def setting(region_preset_after_flush, django_db_blocker):
    """A consultation of agrifood with three items; an organization with VOTERS people."""

    def make(method, budget=10):
        with django_db_blocker.unblock():
            if not Cluster.objects.exists():
                call_command("load_region", settings.CLUSTERHUB_REGION_PRESET, verbosity=0)
        cluster = Cluster.objects.get(slug="agrifood")
        manager = ClusterRoleFactory(cluster=cluster).person
        version = services.version_create(cluster=cluster, actor=manager, title="Agenda")
        items = [
            services.item_create(version=version, actor=manager, title=t, objective="O")
            for t in ("Uno", "Due", "Tre")
        ]
        now = timezone.now()
        services.version_open_consultation(
            version=version,
            actor=manager,
            opens_at=now - timedelta(hours=1),
            closes_at=now + timedelta(days=1),
            voting_method=method,
            points_budget=budget,
        )
        organization = OrganizationFactory()
        MembershipFactory(organization=organization, cluster=cluster)
        people = [
            OrganizationRoleFactory(organization=organization, role="member").person
            for _ in range(VOTERS)
        ]
        return items, organization, people

    return make


@postgresql_only
@pytest.mark.django_db(transaction=True)
def test_parallel_ballots_of_one_organization_on_one_item_end_with_exactly_one(setting):
    items, organization, people = setting("approval")
    item = items[0]

    errors = run_at_once(lambda i: ballot_cast(item=item, actor=people[i], value=i % 2), VOTERS)

    assert errors == []
    ballots = Ballot.objects.filter(item=item, organization=organization)
    assert ballots.count() == 1
    assert ballots.get().value in (0, 1)


@postgresql_only
@pytest.mark.django_db(transaction=True)
def test_parallel_points_never_exceed_the_budget(setting):
    items, organization, people = setting("points", budget=10)

    def vote(i):
        try:
            ballot_cast(item=items[i % 3], actor=people[i], value=4)
        except Exception as exc:  # the budget refusals are expected; anything else is not
            if "points left" not in str(exc):
                raise

    errors = run_at_once(vote, VOTERS)

    assert errors == []
    ballots = Ballot.objects.filter(organization=organization)
    # 4 + 4 fit in 10, a third 4 does not: two items got 4 points, one got none.
    assert sorted(ballots.values_list("value", flat=True)) == [4, 4]
