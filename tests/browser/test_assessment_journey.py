"""Journey 5: a cluster organization improves itself. The manager starts the year's
self-assessment, finds the platform's figures already filled in with links to the evidence,
answers an area, overrides a figure with a note, sees the radar chart and submits; the
regional officer then compares two clusters side by side."""

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from clusterhub.assessment import services
from clusterhub.regions.models import Cluster
from tests.assessment.helpers import attend, event, member
from tests.factories import PASSWORD, ClusterRoleFactory, PersonFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def region(region_preset):
    agrifood = Cluster.objects.get(slug="agrifood")
    mech = Cluster.objects.get(slug="mech")
    firm = member(agrifood, "Caseificio Rossi Srl", size="small")
    member(agrifood, "Laboratorio Latte", kind="research_lab")
    attend(event(agrifood, "Learning camp"), firm)
    ClusterRoleFactory(cluster=agrifood, person__email="manager@example.org")
    officer = PersonFactory(email="officer@example.org", is_regional_officer=True)
    other = services.assessment_create(cluster=mech, year=timezone.localdate().year, actor=officer)
    services.answers_save(
        assessment=other,
        area="services",
        entries={"V4": services.AnswerInput(level="4")},
        actor=officer,
    )
    services.assessment_set_status(assessment=other, status="submitted", actor=officer)


def sign_in(page, url, email):
    page.context.clear_cookies()
    page.goto(f"{url}/accounts/login/?next=/")
    page.get_by_label("Email").fill(email)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    expect(page.get_by_role("button", name="Sign out")).to_be_visible()


def test_a_manager_completes_the_assessment_and_the_officer_compares(live_server, page, region):
    sign_in(page, live_server.url, "manager@example.org")
    page.goto(f"{live_server.url}/clusters/agrifood/")
    page.get_by_role("button", name="Self-assessment").click()
    page.get_by_role("button", name="Start").click()

    expect(page.locator(".message-success").first).to_contain_text(
        "answers are filled from the platform"
    )
    members = page.locator("#indicator-S1")
    expect(members).to_contain_text("The platform says 2 organizations")
    expect(members.get_by_role("link", name="See the evidence")).to_have_attribute(
        "href",
        f"/monitoring/?cluster=agrifood&year_from={timezone.localdate().year}"
        f"&year_to={timezone.localdate().year}",
    )
    expect(page.locator("#indicator-V1")).to_contain_text("The platform says 1 events")
    # Plotly, served by the platform itself, drew the radar chart.
    expect(page.locator("[data-radar] .main-svg").first).to_be_visible()

    governance = page.locator("#area-governance")
    for code, level in (("G1", "3"), ("G2", "2"), ("G3", "4"), ("G4", "3")):
        governance.locator(f'select[name="level-{code}"]').select_option(level)
    governance.locator('textarea[name="note-G2"]').fill("Agenda 2025-2027 with six KPIs.")
    governance.get_by_role("button", name="Save “Management and governance”").click()
    governance = page.locator("#area-governance")
    expect(governance.get_by_role("status")).to_have_text("Answers saved.")
    expect(governance.locator(".area-score strong")).to_have_text("75.0%")  # (3+2+4+3)/16
    expect(page.locator("#assessment-scores tbody tr").nth(1)).to_contain_text("75.0%")

    structure = page.locator("#area-structure")
    structure.get_by_label("Override the platform's figure").first.check()
    structure.locator('input[name="value-S1"]').fill("12")
    structure.locator('textarea[name="note-S1"]').fill("Ten members joined in November.")
    structure.get_by_role("button", name="Save “Structure of the cluster”").click()
    expect(page.get_by_test_id("override-S1")).to_be_visible()
    expect(page.locator("#indicator-S1")).to_contain_text("level 1/4")

    page.get_by_role("button", name="Submit").click()
    expect(page.get_by_test_id("status")).to_have_text("Submitted")
    expect(page.locator("[data-radar] .main-svg").first).to_be_visible()

    sign_in(page, live_server.url, "officer@example.org")
    page.goto(f"{live_server.url}/assessment/compare/")
    page.get_by_label("Clust-ER Agrifood").check()
    page.get_by_label("Clust-ER Mech").check()
    page.get_by_role("button", name="Compare").click()

    table = page.locator("table.compare-table")
    expect(table.locator("thead")).to_contain_text("Clust-ER Agrifood")
    expect(table.locator("thead")).to_contain_text("Clust-ER Mech")
    expect(table.get_by_role("row", name="Management and governance")).to_contain_text("75.0%")
    expect(page.locator("[data-radar] .main-svg").first).to_be_visible()
    expect(page.locator("[data-radar]")).to_contain_text("Clust-ER Mech")  # legend
