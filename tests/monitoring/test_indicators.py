"""Each indicator of the dashboard, on the small world of conftest.py (figures by hand)."""

from datetime import date
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.db import connection
from django.http import Http404
from django.test.utils import CaptureQueriesContext

from clusterhub.monitoring.selectors import (
    cluster_indicators,
    monitoring_scope,
    resolve_years,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def indicators(world, officer):
    scope = monitoring_scope(
        user=officer, cluster_slugs=["agrifood", "mech"], year_from=2020, year_to=2022
    )
    return cluster_indicators(scope)


def cell(indicators, cluster, year):
    return indicators.figures[cluster.pk][year]


def test_members_count_the_years_each_membership_lasted(indicators, world):
    a, m = world.agrifood, world.mech
    # user_a ended in 2020; invited_a never counts; suspended_m still counts in mech.
    assert [cell(indicators, a, y).members for y in (2020, 2021, 2022)] == [4, 5, 6]
    assert [cell(indicators, m, y).members for y in (2020, 2021, 2022)] == [3, 4, 4]


def test_a_membership_without_since_counts_from_when_it_was_recorded(indicators, world):
    assert cell(indicators, world.agrifood, 2020).members_by_kind.get("university", 0) == 0
    assert cell(indicators, world.agrifood, 2021).members_by_kind["university"] == 1


def test_members_by_kind(indicators, world):
    assert cell(indicators, world.agrifood, 2022).members_by_kind == {
        "research_lab": 1,
        "university": 1,
        "firm": 4,
    }
    assert cell(indicators, world.agrifood, 2020).members_by_kind == {
        "research_lab": 1,
        "firm": 2,
        "final_user": 1,
    }


def test_share_of_firms_and_of_smes_among_firms(indicators, world):
    a2020, a2022 = cell(indicators, world.agrifood, 2020), cell(indicators, world.agrifood, 2022)
    assert (a2020.firms, a2020.smes, a2020.firm_share, a2020.sme_share) == (2, 1, 50.0, 50.0)
    # firm_a3 has no size class: a firm, not an SME.
    assert (a2022.firms, a2022.smes, a2022.firms_unknown_size) == (4, 2, 1)
    assert (a2022.firm_share, a2022.sme_share) == (66.7, 50.0)
    m2021 = cell(indicators, world.mech, 2021)
    assert (m2021.firm_share, m2021.sme_share) == (75.0, 66.7)


def test_new_members_by_start_year(indicators, world):
    assert [cell(indicators, world.agrifood, y).new_members for y in (2020, 2021, 2022)] == [
        2,
        2,
        1,
    ]
    assert [cell(indicators, world.mech, y).new_members for y in (2020, 2021, 2022)] == [1, 1, 0]


def test_projects_count_by_member_participation_or_accepted_link(indicators, world):
    # agrifood: P1 | P2, P3, P7 | P5 by its link (P4's link was rejected).
    assert [cell(indicators, world.agrifood, y).projects for y in (2020, 2021, 2022)] == [1, 3, 1]
    # mech: P2, P7 | P4 by its link; P5 has only a suspended member.
    assert [cell(indicators, world.mech, y).projects for y in (2020, 2021, 2022)] == [0, 2, 1]


def test_a_project_with_a_member_and_a_link_counts_once(world, officer):
    from tests.monitoring.factories import ProjectClusterFactory

    ProjectClusterFactory(project=world.p2, cluster=world.agrifood, rejected=False)
    scope = monitoring_scope(user=officer, cluster_slugs=["agrifood"], year_from=2021, year_to=2021)

    assert cluster_indicators(scope).figures[world.agrifood.pk][2021].projects == 3


def test_an_unsure_suggestion_does_not_count_until_a_manager_confirms_it(world, officer):
    from clusterhub.projects.classification import project_cluster_decide
    from tests.monitoring.factories import ProjectClusterFactory, ProjectFactory

    unsure = ProjectFactory(start_date=date(2022, 9, 1))
    ProjectClusterFactory(project=unsure, cluster=world.agrifood, confidence=0.3)
    scope = monitoring_scope(user=officer, cluster_slugs=["agrifood"], year_from=2022, year_to=2022)

    def projects_2022():
        return cluster_indicators(scope).figures[world.agrifood.pk][2022].projects

    before = projects_2022()
    project_cluster_decide(project=unsure, cluster=world.agrifood, keep=True)
    assert projects_2022() == before + 1


def test_eu_funding_received_by_active_members_by_start_year(indicators, world):
    a = [cell(indicators, world.agrifood, y) for y in (2020, 2021, 2022)]
    assert [c.eu_funding for c in a] == [Decimal("150000.00"), Decimal("350000.00"), Decimal(0)]
    assert [c.participations for c in a] == [2, 5, 0]
    m = [cell(indicators, world.mech, y) for y in (2020, 2021, 2022)]
    # The suspended member's 70k in P5 is not received by the cluster.
    assert [c.eu_funding for c in m] == [Decimal(0), Decimal("260000.00"), Decimal(0)]


def test_lab_firm_pairs_with_a_member_on_either_side(indicators, world):
    # 2021 in agrifood: lab_a-firm_both, lab_a-outsider, centre_m-firm_both (firm_both is a
    # member), lab_a-firm_a1 (P3); P7 pairs two firms.
    assert [cell(indicators, world.agrifood, y).lab_firm_pairs for y in (2020, 2021, 2022)] == [
        1,
        4,
        0,
    ]
    assert [cell(indicators, world.mech, y).lab_firm_pairs for y in (2020, 2021, 2022)] == [
        0,
        3,
        0,
    ]


def test_a_pair_sharing_two_projects_in_a_year_counts_once(world, officer):
    from datetime import date

    from tests.monitoring.factories import project

    project(date(2020, 9, 1), (world.lab_a, 1), (world.firm_a1, 1))
    scope = monitoring_scope(user=officer, cluster_slugs=["agrifood"], year_from=2020, year_to=2020)

    assert cluster_indicators(scope).figures[world.agrifood.pk][2020].lab_firm_pairs == 1


def test_participations_by_province_where_declared_else_where_the_member_is(indicators, world):
    places = indicators.provinces[world.agrifood.pk]
    assert places["Bologna"] == {2020: 1, 2021: 2}  # lab_a in P1 and P3, firm_both in P2
    assert places["Parma"] == {2021: 1}  # lab_a declared Parma in P2
    assert places["Modena"] == {2020: 1, 2021: 1}
    assert places["Province unknown"] == {2021: 1}  # firm_a2 in P7


def test_totals_count_each_organization_and_project_once(indicators):
    totals = indicators.totals
    assert totals.members == 8  # firm_both is in both clusters
    assert totals.projects == 6  # P1 P2 P3 P4 P5 P7
    assert totals.eu_funding == Decimal("680000.00")
    assert totals.participations == 9
    assert totals.lab_firm_pairs == 5
    assert totals.new_members == 7


def test_years_outside_the_range_are_left_out(world, officer):
    scope = monitoring_scope(user=officer, year_from=2019, year_to=2019)
    indicators = cluster_indicators(scope)
    # P6 is the only project of 2019.
    assert indicators.figures[world.agrifood.pk][2019].projects == 1
    assert indicators.figures[world.agrifood.pk][2019].lab_firm_pairs == 1  # any size of firm
    assert indicators.figures[world.agrifood.pk][2019].eu_funding == Decimal("20000.00")


def test_the_query_count_does_not_grow_with_the_data(world, officer, django_assert_max_num_queries):
    scope = monitoring_scope(user=officer, year_from=2015, year_to=2025)
    with django_assert_max_num_queries(13):
        cluster_indicators(scope)


def test_membership_groups_are_cached_until_a_membership_changes(world, officer):
    from clusterhub.registry.services import membership_upsert

    scope = monitoring_scope(user=officer, cluster_slugs=["agrifood"], year_from=2022, year_to=2022)
    assert cluster_indicators(scope).figures[world.agrifood.pk][2022].members == 6
    with CaptureQueriesContext(connection) as again:
        cluster_indicators(scope)
    # Only the grouping of memberships reads the organizations' size class.
    assert not any('"size_class"' in q["sql"] for q in again.captured_queries)

    membership_upsert(organization=world.outsider, cluster=world.agrifood, since=date(2021, 1, 1))

    assert cluster_indicators(scope).figures[world.agrifood.pk][2022].members == 7


def test_a_manager_cannot_ask_for_another_cluster(world, manager):
    assert [c.slug for c in monitoring_scope(user=manager).clusters] == ["agrifood"]
    with pytest.raises(Http404):
        monitoring_scope(user=manager, cluster_slugs=["mech"])
    with pytest.raises(Http404):
        monitoring_scope(user=manager, cluster_slugs=["agrifood", "mech"])


def test_year_ranges_are_checked():
    assert resolve_years(2018, 2022) == (2018, 2022)
    assert resolve_years(None, 2022) == (2018, 2022)
    with pytest.raises(ValidationError, match="before the first"):
        resolve_years(2022, 2018)
    with pytest.raises(ValidationError, match="at most"):
        resolve_years(1960, 2020)
    with pytest.raises(ValidationError, match="between"):
        resolve_years(1800, 1801)
