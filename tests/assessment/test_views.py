"""The pages: filling an area with htmx, who sees what, the comparison, the API's evidence."""

import pytest
from django.test import Client
from django.utils import timezone

from clusterhub.assessment import services
from clusterhub.assessment.models import Answer
from tests.assessment.helpers import attend, event, member

pytestmark = pytest.mark.django_db

YEAR = timezone.localdate().year


def client_for(person):
    client = Client()
    client.force_login(person)
    return client


@pytest.fixture
def draft(agrifood, manager):
    member(agrifood, "Caseificio Srl", size="small")
    return services.assessment_create(cluster=agrifood, year=YEAR, actor=manager)


def _url(assessment, suffix=""):
    return f"/clusters/{assessment.cluster.slug}/assessment/{assessment.pk}/{suffix}"


def test_the_manager_starts_the_year_and_lands_on_the_pre_filled_form(agrifood, manager):
    member(agrifood, "Caseificio Srl", size="small")

    response = client_for(manager).post(
        "/clusters/agrifood/assessment/start/", {"year": str(YEAR)}, follow=True
    )

    assert response.status_code == 200
    page = response.content.decode()
    assert "answers are filled from the platform" in page
    assert "The platform says" in page
    assert "See the evidence" in page


def test_saving_an_area_with_htmx_returns_the_area_and_the_new_scores(draft, manager):
    response = client_for(manager).post(
        _url(draft, "areas/governance/"),
        {"level-G1": "4", "level-G2": "4", "level-G3": "4", "level-G4": "4"},
        HTTP_HX_REQUEST="true",
    )

    assert response.status_code == 200
    page = response.content.decode()
    assert page.startswith('<section class="assessment-area card" id="area-governance"')
    assert 'id="assessment-scores" class="assessment-scores" hx-swap-oob="true"' in page
    assert "100.0%" in page  # the governance area, every indicator at the top level
    assert Answer.objects.get(assessment=draft, indicator="G1").level == 4


def test_an_htmx_save_with_a_mistake_shows_it_beside_what_was_typed(draft, manager):
    response = client_for(manager).post(
        _url(draft, "areas/structure/"),
        {"override-S1": "on", "value-S1": "35", "note-S1": "", "level-S6": "2"},
        HTTP_HX_REQUEST="true",
    )

    page = response.content.decode()
    assert "Nothing was saved" in page
    assert "Say in the note why the platform" in page
    assert 'name="value-S1" maxlength="20" value="35"' in page
    assert Answer.objects.get(assessment=draft, indicator="S6").level is None


def test_an_override_is_shown_on_the_page(draft, manager):
    client_for(manager).post(
        _url(draft, "areas/structure/"),
        {"override-S1": "on", "value-S1": "35", "note-S1": "Joining in May."},
    )

    page = client_for(manager).get(_url(draft)).content.decode()
    assert 'data-testid="override-S1"' in page
    assert "Joining in May." in page


def test_a_note_is_shown_escaped(draft, manager):
    client_for(manager).post(
        _url(draft, "areas/governance/"), {"level-G1": "1", "note-G1": "<b>bold</b>"}
    )
    services.assessment_set_status(assessment=draft, status="submitted", actor=manager)

    page = client_for(manager).get(_url(draft)).content.decode()
    assert "&lt;b&gt;bold&lt;/b&gt;" in page
    assert "<b>bold</b>" not in page


def test_members_see_an_assessment_only_once_published(draft, manager, member):
    as_member = client_for(member)
    assert as_member.get(_url(draft)).status_code == 404
    assert (
        "No published assessment yet."
        in as_member.get("/clusters/agrifood/assessment/").content.decode()
    )

    services.assessment_set_status(assessment=draft, status="submitted", actor=manager)
    services.assessment_set_status(assessment=draft, status="published", actor=manager)

    assert as_member.get(_url(draft)).status_code == 200
    listing = as_member.get("/clusters/agrifood/assessment/").content.decode()
    assert f">{YEAR}</a>" in listing
    assert "Save “" not in as_member.get(_url(draft)).content.decode()


def test_the_officer_compares_two_clusters_side_by_side(draft, manager, mech, officer):
    services.assessment_set_status(assessment=draft, status="submitted", actor=manager)
    other = services.assessment_create(cluster=mech, year=YEAR, actor=officer)
    services.answers_save(
        assessment=other,
        area="governance",
        entries={"G1": services.AnswerInput(level="4")},
        actor=officer,
    )
    services.assessment_set_status(assessment=other, status="submitted", actor=officer)

    response = client_for(officer).get("/assessment/compare/?cluster=agrifood&cluster=mech")

    page = response.content.decode()
    assert response.status_code == 200
    assert "Clust-ER Agrifood" in page and "Clust-ER Mech" in page
    radar = response.context["radar"]
    assert [s["name"] for s in radar["series"]] == ["Clust-ER Agrifood", "Clust-ER Mech"]
    governance = dict(response.context["table"])["Management and governance"]
    assert governance == [0.0, 25.0]  # mech: G1 at 4 of 4, the other three unanswered


def test_a_draft_is_never_compared(draft, officer):
    response = client_for(officer).get("/assessment/compare/?cluster=agrifood")

    assert response.context["with_scores"] == []
    assert "has no submitted assessment" in response.content.decode()


def test_the_api_returns_the_platform_figures_of_the_answers(agrifood, manager):
    firm = member(agrifood, "Caseificio Srl", size="small")
    attend(event(agrifood), firm)
    attend(event(agrifood, "Camp"), firm)
    draft = services.assessment_create(cluster=agrifood, year=YEAR, actor=manager)

    body = client_for(manager).get(f"/api/assessments/{draft.pk}").json()

    answers = {a["indicator"]: a for a in body["answers"]}
    assert answers["S1"]["value"] == 1 and answers["S1"]["prefilled"]
    assert answers["V1"]["value"] == 2
    assert answers["V2"]["value"] == 2
    assert answers["V3"]["value"] == 100.0
    assert answers["V3"]["evidence"]["parts"] == {"organizations_reached": 1, "members": 1}
    assert body["status"] == "draft"
    assert [a["code"] for a in body["areas"]][0] == "structure"
