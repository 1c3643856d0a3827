"""Journey 1: a firm looks for a lab. Giulia signs in, describes her need in Italian, sees
labs ranked with the passages that matched (an English profile among them), keeps only the
accredited labs, opens a profile and its similar organizations, and saves the search."""

import re

import pytest
from playwright.sync_api import expect

from clusterhub.regions.models import Cluster, Competence
from clusterhub.registry.models import OrganizationKind
from clusterhub.registry.services import membership_upsert, organization_create
from tests.factories import PASSWORD, OrganizationRoleFactory, PersonFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

NEED = "cerchiamo materiali compostabili per vaschette alimentari con barriera all'ossigeno"


@pytest.fixture
def giulia(region_preset):
    """A packaging firm in Modena, member of agrifood, and the labs of the region."""
    agrifood = Cluster.objects.get(slug="agrifood")
    mech = Cluster.objects.get(slug="mech")
    packaging = Competence.objects.get(code="33")
    firm = organization_create(
        name="Imballaggi Modenesi Srl",
        kind=OrganizationKind.FIRM,
        postcode="41121",
        city="Modena",
        description="Produciamo vaschette e contenitori per l'industria alimentare.",
    )
    membership_upsert(organization=firm, cluster=agrifood)
    labs = [
        (
            "Laboratorio Materiali Compostabili",
            True,
            "43121",
            "Parma",
            agrifood,
            "Film e vaschette compostabili per alimenti; barriera all'ossigeno dei biopolimeri.",
        ),
        (
            "Green Packaging Lab",
            False,
            "40126",
            "Bologna",
            mech,
            "We develop biodegradable packaging films with a high oxygen barrier for food trays.",
        ),
        (
            "Centro Robotica Avanzata",
            True,
            "40126",
            "Bologna",
            mech,
            "Robot collaborativi e visione artificiale per l'automazione industriale.",
        ),
    ]
    for name, htn, postcode, city, cluster, description in labs:
        lab = organization_create(
            name=name,
            kind=OrganizationKind.RESEARCH_LAB,
            htn_accredited=htn,
            postcode=postcode,
            city=city,
            description=description,
            competences=[packaging]
            if "ompost" in description or "packaging" in description
            else [],
        )
        membership_upsert(organization=lab, cluster=cluster)
    person = PersonFactory(email="giulia@example.org", full_name="Giulia Bianchi")
    OrganizationRoleFactory(person=person, organization=firm, role="member")
    return person


def sign_in(page, base_url):
    page.goto(f"{base_url}/match/")
    expect(page).to_have_url(re.compile(r"/accounts/login/|/login/"))
    page.get_by_label("Email").fill("giulia@example.org")
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Sign in").click()


def test_a_firm_finds_an_accredited_lab_for_its_need_in_italian(live_server, page, giulia):
    sign_in(page, live_server.url)
    expect(page).to_have_url(re.compile(r"/match/$"))
    expect(page.get_by_role("link", name="Find partners")).to_have_attribute("aria-current", "page")

    page.locator("#id_q").fill(NEED)
    page.get_by_role("button", name="Find").click()

    cards = page.locator(".match-card")
    expect(cards.first).to_be_visible()
    # The two packaging labs lead; the English profile is found by meaning.
    top = [cards.nth(i).locator("h3 a").inner_text() for i in range(2)]
    assert set(top) == {"Laboratorio Materiali Compostabili", "Green Packaging Lab"}
    expect(page.locator(".match-card mark").first).to_be_visible()
    expect(page.locator(".match-card .badge-signal").first).to_be_visible()
    expect(page).to_have_url(re.compile(r"/match/\?q=cerchiamo"))

    # Only accredited labs: htmx redraws the results without leaving the page.
    page.get_by_label("High Technology Network").select_option("yes")
    expect(page).to_have_url(re.compile(r"htn=yes"))
    expect(cards.filter(has_text="Green Packaging Lab")).to_have_count(0)
    expect(cards.first.locator("h3 a")).to_have_text("Laboratorio Materiali Compostabili")

    page.get_by_role("button", name="Save this search").click()
    expect(page).to_have_url(re.compile(r"/match/saved/$"))
    expect(page.get_by_text(NEED)).to_be_visible()

    page.goto(f"{live_server.url}/match/?q={NEED}")
    page.get_by_role("link", name="Laboratorio Materiali Compostabili").first.click()
    expect(page.locator("h1")).to_have_text("Laboratorio Materiali Compostabili")
    similar = page.locator("#similar-organizations")
    expect(similar.get_by_role("link", name="Green Packaging Lab")).to_be_visible()


def test_the_search_works_without_javascript(live_server, chromium_path, giulia):
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=chromium_path, headless=True, args=["--no-sandbox"]
        )
        page = browser.new_context(java_script_enabled=False).new_page()
        sign_in(page, live_server.url)
        page.locator("#id_q").fill(NEED)
        page.locator("#id_kind").select_option("research_lab")
        page.get_by_role("button", name="Apply").click()
        expect(page).to_have_url(re.compile(r"kind=research_lab"))
        expect(page.locator(".match-card").first).to_be_visible()
        expect(page.locator(".match-card mark").first).to_be_visible()
        browser.close()
