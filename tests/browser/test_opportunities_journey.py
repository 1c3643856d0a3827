"""A member opens the opportunities, sees the open calls ranked for her organization with
why each one suits it, opens the best one, finds a closed call in the archive, and looks at
the digest she will receive."""

import re
from datetime import timedelta

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from clusterhub.digest.services import digest_subscribe
from clusterhub.opportunities.services import opportunity_create
from clusterhub.regions.models import Cluster
from clusterhub.registry.models import OrganizationKind
from clusterhub.registry.services import membership_upsert, organization_create
from tests.factories import PASSWORD, OrganizationRoleFactory, PersonFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def chiara(region_preset):
    """A dairy in Reggio Emilia, member of agrifood, and the calls of the moment."""
    agrifood = Cluster.objects.get(slug="agrifood")
    mech = Cluster.objects.get(slug="mech")
    dairy = organization_create(
        name="Caseificio Val d'Enza",
        kind=OrganizationKind.FIRM,
        postcode="42121",
        city="Reggio Emilia",
        description="Produciamo Parmigiano Reggiano e derivati del latte; "
        "cerchiamo innovazione nella stagionatura e nella shelf life.",
    )
    membership_upsert(organization=dairy, cluster=agrifood)
    officer = PersonFactory(email="officer@example.org", is_regional_officer=True)
    today = timezone.localdate()
    calls = [
        (
            "Space propulsion and launchers",
            "Horizon Europe",
            60,
            [mech],
            "Electric thrusters and launchers for small satellites.",
        ),
        (
            "Dairy innovation: cheese ripening and shelf life",
            "PR FESR Emilia-Romagna",
            20,
            [agrifood],
            "Grants for dairy firms that innovate cheese ripening and milk processing.",
        ),
        (
            "Export missions for food companies",
            "ICE Agency",
            -10,
            [agrifood],
            "Missions to importers abroad.",
        ),
    ]
    for title, programme, days, clusters, description in calls:
        opportunity_create(
            actor=officer,
            kind="financing",
            title=title,
            programme=programme,
            deadline=today + timedelta(days=days),
            clusters=clusters,
            description=description,
        )
    person = PersonFactory(email="chiara@example.org", full_name="Chiara Rossi")
    OrganizationRoleFactory(person=person, organization=dairy, role="member")
    digest_subscribe(person=person, frequency="weekly")
    return person


def test_a_member_opens_the_opportunities_ranked_for_her_organization(live_server, page, chiara):
    page.goto(f"{live_server.url}/accounts/login/")
    page.get_by_label("Email").fill("chiara@example.org")
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Sign in").click()

    page.get_by_role("link", name="Opportunities", exact=True).click()
    expect(page).to_have_url(re.compile(r"/opportunities/$"))
    cards = page.locator(".opportunity-card")
    expect(cards).to_have_count(2)  # the closed call is not in the open feed

    page.get_by_role("button", name="Ranked for my organization").click()
    expect(page.locator("h1")).to_have_text("Opportunities for my organization")
    expect(page.get_by_text("Caseificio Val d'Enza")).to_be_visible()
    first = page.locator(".ranked-list .opportunity-card").first
    expect(first.locator("h3 a")).to_have_text("Dairy innovation: cheese ripening and shelf life")
    expect(first.locator(".why-this")).to_contain_text("similar to your profile")
    expect(first.locator(".why-this")).to_contain_text("For your cluster")
    expect(first.locator(".badge-deadline")).to_contain_text("20 days left")
    page.screenshot(path="/tmp/opportunities-for-me.png", full_page=True)

    first.locator("h3 a").click()
    expect(page.locator("h1")).to_have_text("Dairy innovation: cheese ripening and shelf life")

    page.goto(f"{live_server.url}/opportunities/")
    page.get_by_role("link", name="Archive").click()
    expect(page.locator(".opportunity-card h3 a")).to_have_text(
        ["Export missions for food companies"]
    )

    page.goto(f"{live_server.url}/account/")
    page.get_by_role("link", name="Email digest").click()
    page.get_by_role("button", name="Preview my next digest").click()
    expect(page.locator("#digest-opportunities")).to_be_visible()
    expect(page.locator(".digest-preview")).to_contain_text("Dairy innovation")
