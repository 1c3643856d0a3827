"""Pre-filled answers say what the platform's own data says: members, events, attendance."""

from datetime import date

import pytest
from django.utils import timezone

from clusterhub.assessment.models import Answer
from clusterhub.assessment.services import assessment_create
from clusterhub.events.models import EventStatus
from clusterhub.registry.models import MembershipStatus
from tests.assessment.helpers import attend, event, member

pytestmark = pytest.mark.django_db


@pytest.fixture
def platform(agrifood, mech):
    """Agrifood: 2 firms (1 SME) and a lab active, a member that left last year; a mech member.

    Events of agrifood this year: two published ones, a draft, a cancelled one. Check-ins:
    three at the first (two people of the SME, one of the lab), one at the second (the SME);
    one registration without check-in; one check-in at a mech event.
    """
    sme = member(agrifood, "Caseificio Piccolo Srl", size="small")
    member(agrifood, "Grande Alimentari Spa", size="large")
    lab = member(agrifood, "Laboratorio Latte", kind="research_lab")
    last_year = timezone.localdate().year - 1
    member(
        agrifood,
        "Uscita Srl",
        size="micro",
        status=MembershipStatus.ENDED,
        since=date(last_year - 3, 1, 1),
        until=date(last_year, 12, 31),
    )
    outsider = member(mech, "Meccanica Srl", size="small")

    first, second = event(agrifood, "Workshop"), event(agrifood, "Camp", days=-10)
    draft = event(agrifood, "Draft", status=EventStatus.DRAFT)
    cancelled = event(agrifood, "Cancelled", status=EventStatus.CANCELLED)
    attend(first, sme), attend(first, sme), attend(first, lab)
    attend(second, sme)
    attend(second, lab, checked_in=False)
    attend(draft, lab), attend(cancelled, lab)
    attend(event(mech, "Mech day"), outsider)


def _answers(cluster, manager):
    assessment = assessment_create(cluster=cluster, year=timezone.localdate().year, actor=manager)
    return {a.indicator: a for a in Answer.objects.filter(assessment=assessment)}


def test_member_indicators_count_the_active_members_by_kind_and_size(platform, agrifood, manager):
    answers = _answers(agrifood, manager)

    # S1: 3 members this year (not the one that left last year, not mech's): level 0.
    assert (answers["S1"].value, answers["S1"].level) == (3, 0)
    # S2: two kinds (firm, research lab) -> the first threshold (2) -> level 1.
    assert (answers["S2"].value, answers["S2"].level) == (2, 1)
    assert answers["S2"].evidence["parts"] == {"firm": 2, "research_lab": 1}
    # S3: 2 firms of 3 members = 66.7% -> reaches 65 -> level 4.
    assert (float(answers["S3"].value), answers["S3"].level) == (66.7, 4)
    # S4: 1 SME of 2 firms = 50% -> reaches 25 and 45 -> level 2.
    assert (float(answers["S4"].value), answers["S4"].level) == (50.0, 2)
    assert all(answers[code].prefilled for code in ("S1", "S2", "S3", "S4"))


def test_event_indicators_count_published_events_and_check_ins_only(platform, agrifood, manager):
    answers = _answers(agrifood, manager)

    # V1: the two published events (not the draft nor the cancelled one) -> level 1.
    assert (answers["V1"].value, answers["V1"].level) == (2, 1)
    # V2: four check-ins at them; the registration without check-in does not count.
    assert answers["V2"].value == 4
    assert answers["V2"].evidence["parts"] == {"checked_in": 4, "events": 2}
    # V3: the SME and the lab took part: 2 of 3 members = 66.7% -> level 4.
    assert (float(answers["V3"].value), answers["V3"].level) == (66.7, 4)
    assert answers["V3"].evidence["parts"] == {"organizations_reached": 2, "members": 3}


def test_each_pre_filled_answer_links_to_its_evidence(platform, agrifood, manager):
    answers = _answers(agrifood, manager)
    year = timezone.localdate().year

    assert answers["S1"].evidence["url"] == (
        f"/monitoring/?cluster=agrifood&year_from={year}&year_to={year}"
    )
    assert answers["C2"].evidence["url"].startswith("/clusters/agrifood/")


def test_without_a_published_agenda_g2_is_answered_by_hand(agrifood, manager):
    answers = _answers(agrifood, manager)

    assert answers["G2"].prefilled is False
    assert answers["G2"].level is None
    assert answers["G2"].evidence["available"] is False
    assert answers["G2"].evidence["note"] == "no_published_agenda"


def test_a_published_agenda_with_kpi_targets_and_progress_fills_g2(agrifood, manager):
    from tests.agenda.core_helpers import draft, item, kpi, publish

    version = draft(agrifood, manager)
    kpi(item(version, manager, title="Measured"), manager, target=10, current=4)
    kpi(item(version, manager, title="Targeted"), manager, target=5)
    publish(version, manager)

    answers = _answers(agrifood, manager)

    # Every item has a KPI target and half of them record progress: level 4.
    assert answers["G2"].prefilled is True
    assert answers["G2"].level == 4
    assert answers["G2"].evidence["parts"] == {
        "items": 2,
        "items_with_kpis": 2,
        "kpis": 2,
        "items_measured": 1,
    }
    assert answers["G2"].evidence["url"] == "/clusters/agrifood/agenda/v1/"


def test_another_cluster_sees_none_of_these_figures(platform, mech, officer):
    answers = _answers(mech, officer)

    assert answers["S1"].value == 1
    assert answers["V1"].value == 1
    assert answers["V2"].value == 1
