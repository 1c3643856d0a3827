"""A small world of two clusters for the monitoring tests; every figure is worked out by hand
in the tests from what is written here.

agrifood (A) members, by start year:
  lab_a      research lab, 2019, Bologna
  uni_a      university, no `since`, recorded 2021
  firm_a1    firm, micro, 2020, Modena
  firm_a2    firm, large, 2020
  firm_a3    firm, size unknown, 2022
  firm_both  firm, medium, A since 2021 and mech since 2020, Bologna
  user_a     final user, 2019, ended 2020
  invited_a  firm, invited 2020 (never counts)
mech (M) members: centre_m (innovation centre, 2018), firm_m1 (firm, small, 2021),
  firm_both, suspended_m (firm, size unknown, 2019, suspended).
Not a member: outsider (firm).

Projects (start, participants with EU contribution):
  P1 2020-05  lab_a 100k, firm_a1 50k, a foreign partner 300k
  P2 2021-02  lab_a 200k (declared in Parma), firm_both 80k, centre_m 120k, outsider 10k
  P3 2021-09  lab_a (no amount), firm_a1 40k
  P4 2022-03  nobody of the registry; linked to mech, link to agrifood rejected
  P5 2022-06  suspended_m 70k; linked to agrifood
  P6 2019-01  lab_a 10k, firm_a2 10k (before the years asked for)
  P7 2021-04  firm_m1 60k, firm_a2 30k
"""

from datetime import date, datetime
from types import SimpleNamespace
from zoneinfo import ZoneInfo

import pytest

from clusterhub.registry.models import Membership, MembershipStatus
from tests.factories import OrganizationFactory
from tests.monitoring.factories import member, project


@pytest.fixture
def world(agrifood, mech):
    w = SimpleNamespace(agrifood=agrifood, mech=mech)
    w.lab_a = member(agrifood, "Lab A", "research_lab", since=date(2019, 3, 1), nuts3="ITH55")
    w.uni_a = member(agrifood, "Uni A", "university")
    Membership.objects.filter(organization=w.uni_a).update(
        created_at=datetime(2021, 3, 1, tzinfo=ZoneInfo("Europe/Rome"))
    )
    w.firm_a1 = member(agrifood, "Firm A1", size="micro", since=date(2020, 6, 1), nuts3="ITH54")
    w.firm_a2 = member(agrifood, "Firm A2", size="large", since=date(2020, 1, 1))
    w.firm_a3 = member(agrifood, "Firm A3", since=date(2022, 5, 1))
    w.firm_both = member(mech, "Firm Both", size="medium", since=date(2020, 2, 1), nuts3="ITH55")
    member(agrifood, "", since=date(2021, 1, 1), organization=w.firm_both)
    w.user_a = member(
        agrifood,
        "User A",
        "final_user",
        since=date(2019, 1, 1),
        until=date(2020, 12, 31),
        status=MembershipStatus.ENDED,
    )
    w.invited_a = member(
        agrifood, "Invited A", since=date(2020, 1, 1), status=MembershipStatus.INVITED
    )
    w.centre_m = member(mech, "Centre M", "innovation_centre", since=date(2018, 1, 1))
    w.firm_m1 = member(mech, "Firm M1", size="small", since=date(2021, 7, 1))
    w.suspended_m = member(
        mech, "Suspended M", since=date(2019, 1, 1), status=MembershipStatus.SUSPENDED
    )
    w.outsider = OrganizationFactory(name="Outsider Firm", kind="firm")

    w.p1 = project(date(2020, 5, 1), (w.lab_a, 100_000), (w.firm_a1, 50_000), (None, 300_000))
    w.p2 = project(
        date(2021, 2, 1),
        (w.lab_a, 200_000, "ITH52"),
        (w.firm_both, 80_000),
        (w.centre_m, 120_000),
        (w.outsider, 10_000),
    )
    w.p3 = project(date(2021, 9, 1), (w.lab_a, None), (w.firm_a1, 40_000))
    w.p4 = project(date(2022, 3, 1), (None, 500_000), links=[(mech, False), (agrifood, True)])
    w.p5 = project(date(2022, 6, 1), (w.suspended_m, 70_000), links=[(agrifood, False)])
    w.p6 = project(date(2019, 1, 1), (w.lab_a, 10_000), (w.firm_a2, 10_000))
    w.p7 = project(date(2021, 4, 1), (w.firm_m1, 60_000), (w.firm_a2, 30_000))
    return w
