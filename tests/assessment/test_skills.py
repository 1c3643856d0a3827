"""Managers' skills: the self-assessment, the team's gap to the target, the training plan."""

import pytest
from django.test import Client

from clusterhub.assessment.models import SkillAssessment
from clusterhub.events.models import EventStatus
from tests.assessment.helpers import event
from tests.factories import ClusterRoleFactory

pytestmark = pytest.mark.django_db

WEAK_IN_FUNDING = {
    "level-strategy-analysis": "3",
    "level-strategy-agenda": "3",
    "level-facilitation-meetings": "3",
    "level-facilitation-trust": "4",
    "level-funding-scouting": "1",
    "level-funding-proposals": "2",
    "level-international-networks": "2",
    "level-international-missions": "2",
    "level-scouting-trends": "2",
    "level-scouting-transfer": "3",
    "level-communication-members": "2",
    "level-communication-public": "2",
}


def client_for(person):
    client = Client()
    client.force_login(person)
    return client


def test_the_team_gap_and_the_training_plan_point_at_funding(agrifood, manager):
    colleague = ClusterRoleFactory(cluster=agrifood).person
    client_for(colleague).post(
        "/clusters/agrifood/skills/",
        {**WEAK_IN_FUNDING, "level-funding-scouting": "3", "level-funding-proposals": "2"},
    )
    event(agrifood, "Writing Horizon Europe proposals", days=20)
    event(None, "Regional call for funding: info day", days=40)  # region-wide
    event(agrifood, "Funding clinic (draft)", days=10, status=EventStatus.DRAFT)
    event(agrifood, "Funding clinic of last month", days=-30)
    event(agrifood, "Cheese tasting", days=5)

    response = client_for(manager).post("/clusters/agrifood/skills/", WEAK_IN_FUNDING, follow=True)

    assert SkillAssessment.objects.filter(person=manager).count() == 1
    view = response.context["view"]
    assert view.team_size == 2
    team = {gap.code: gap for gap in view.team_gaps}
    # Funding, target 3: the manager (1, 2) and the colleague (3, 2) -> (2 + 2) / 2 = 2.0
    assert (team["funding"].level, team["funding"].gap) == (2.0, 1.0)
    assert team["facilitation"].gap == 0.0  # 3.5 against a target of 3
    first = view.plan[0]
    assert first.gap.code == "funding"
    assert [s.title for s in first.suggestions] == [
        "Writing Horizon Europe proposals",
        "Regional call for funding: info day",
    ]
    assert 'data-testid="team-gap-funding"><strong>1.0</strong>' in response.content.decode()


def test_a_level_out_of_range_is_named_and_nothing_is_saved(agrifood, manager):
    response = client_for(manager).post(
        "/clusters/agrifood/skills/", {**WEAK_IN_FUNDING, "level-funding-scouting": "9"}
    )

    assert response.status_code == 422
    assert "Choose a level from 0 to 4." in response.content.decode()
    assert not SkillAssessment.objects.exists()


def test_an_officer_reads_the_team_but_has_no_self_assessment_to_fill(agrifood, manager, officer):
    client_for(manager).post("/clusters/agrifood/skills/", WEAK_IN_FUNDING)

    response = client_for(officer).post("/clusters/agrifood/skills/", WEAK_IN_FUNDING)

    assert response.status_code == 200
    assert response.context["view"].team_size == 1
    assert SkillAssessment.objects.count() == 1
