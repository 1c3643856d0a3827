"""A visitor finds a lab by a competence, in Italian, and opens its profile."""

import re

import pytest
from playwright.sync_api import expect

from clusterhub.regions.models import Competence
from clusterhub.registry.models import OrganizationKind
from clusterhub.registry.services import organization_create

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def labs(region_preset):
    """Three labs with competences of the real High Technology Network taxonomy."""
    robotics = Competence.objects.get(code="10")  # Automazione: attuatori e robotica
    packaging = Competence.objects.get(code="33")  # Packaging
    organization_create(
        name="Laboratorio Robotica Industriale",
        kind=OrganizationKind.RESEARCH_LAB,
        htn_accredited=True,
        postcode="40126",
        city="Bologna",
        competences=[robotics],
        source="htn",
    )
    organization_create(
        name="Centro Imballaggi Alimentari",
        kind=OrganizationKind.RESEARCH_LAB,
        htn_accredited=True,
        postcode="43121",
        city="Parma",
        competences=[packaging],
        source="htn",
    )
    organization_create(name="Officina Meccanica Srl", kind=OrganizationKind.FIRM)


def test_a_visitor_finds_a_lab_by_competence_in_italian_and_opens_its_profile(
    live_server, page, labs
):
    page.goto(f"{live_server.url}/organizations/")
    expect(page.locator("html")).to_have_attribute("lang", "en")
    expect(page.locator(".org-card")).to_have_count(3)

    page.get_by_label("Language").select_option("it")  # submits itself
    expect(page.locator("html")).to_have_attribute("lang", "it")
    expect(page).to_have_url(re.compile(r"/organizations/$"))

    page.locator("#id_q").fill("packag")
    # htmx swaps the results and keeps the search in the address bar.
    expect(page).to_have_url(re.compile(r"/organizations/\?q=packag$"))
    expect(page.locator(".org-card")).to_have_count(1)

    page.get_by_role("link", name="Centro Imballaggi Alimentari").click()
    expect(page.locator("h1")).to_have_text("Centro Imballaggi Alimentari")
    expect(page.locator("html")).to_have_attribute("lang", "it")
    competences = page.locator("#competences-heading + *, #competences-heading ~ *")
    expect(competences.filter(has_text="Packaging").first).to_be_visible()
    expect(page.get_by_text("Agroalimentare").first).to_be_visible()  # the platform, in Italian


def test_the_directory_works_without_javascript_too(live_server, chromium_path, labs):
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=chromium_path, headless=True, args=["--no-sandbox"]
        )
        page = browser.new_context(java_script_enabled=False).new_page()
        page.goto(f"{live_server.url}/organizations/")
        page.locator("#id_kind").select_option("research_lab")
        page.get_by_role("button", name="Apply").click()
        expect(page).to_have_url(re.compile(r"kind=research_lab"))
        expect(page.locator(".org-card")).to_have_count(2)
        browser.close()
