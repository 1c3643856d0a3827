"""Journey: the agenda from consultation to publication. The agrifood manager opens the
consultation of v2 (drafted from the published v1); members of two member organizations
vote, one of them proposes an amendment; the manager accepts it, closes the consultation,
approves and publishes v2. The public page then shows v2 with the consultation's result,
and the comparison with v1 shows the amended words."""

import re

import pytest
from playwright.sync_api import expect

from clusterhub.regions.models import Cluster
from clusterhub.registry.models import OrganizationKind
from clusterhub.registry.services import membership_upsert, organization_create
from tests.agenda.core_helpers import draft, item, kpi, publish
from tests.browser.helpers import sign_in
from tests.factories import ClusterRoleFactory, OrganizationRoleFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PACKAGING = "Imballaggi compostabili"
WATER = "Irrigazione di precisione"
AMENDED_OBJECTIVE = "Sostituire la plastica monouso negli imballaggi dei formaggi freschi."


@pytest.fixture
def agrifood_agenda(region_preset):
    """agrifood: a manager, two member organizations with one member each, v1 published
    with two items, and v2 drafted from it."""
    agrifood = Cluster.objects.get(slug="agrifood")
    manager = ClusterRoleFactory(
        cluster=agrifood, person__email="manager@example.org", person__full_name="Marta Manager"
    ).person
    members = {}
    for email, name, kind in (
        ("anna@example.org", "Caseificio Val d'Enza Srl", OrganizationKind.FIRM),
        ("bruno@example.org", "Laboratorio Qualità Alimenti", OrganizationKind.RESEARCH_LAB),
    ):
        organization = organization_create(
            name=name, kind=kind, postcode="42121", city="Reggio Emilia"
        )
        membership_upsert(organization=organization, cluster=agrifood)
        OrganizationRoleFactory(organization=organization, role="member", person__email=email)
        members[email] = organization
    v1 = draft(agrifood, manager, title="Agenda agroalimentare 2025")
    packaging = item(
        v1,
        manager,
        title=PACKAGING,
        objective="Ridurre la plastica negli imballaggi dei formaggi freschi.",
    )
    kpi(packaging, manager, name="Caseifici coinvolti", target=8, current=3)
    item(v1, manager, title=WATER, objective="Ridurre l'acqua usata nei frutteti.")
    publish(v1, manager)
    v2 = draft(agrifood, manager, title="Agenda agroalimentare 2026", based_on=v1)
    return {"v1": v1, "v2": v2, "manager": manager, "members": members}


def sign_out(page):
    page.get_by_role("button", name="Sign out").click()


def vote(page, item_id, choice):
    card = page.locator(f"#item-{item_id}")
    card.get_by_role("button", name=choice, exact=True).click()
    expect(page.get_by_text("Your organization's vote was saved.")).to_be_visible()


def consultation_of(page, item_id):
    """The item's consultation panel (comments, amendments), unfolded."""
    details = page.locator(f"#consult-{item_id}")
    if details.get_attribute("open") is None:
        details.locator("summary").click()
    return details


def confirm_step(page, link_name):
    page.get_by_role("button", name=link_name).click()  # a link shown as a button
    page.get_by_role("button", name=re.compile("^Confirm")).click()


def test_a_consultation_from_opening_to_the_published_result(live_server, page, agrifood_agenda):
    base = live_server.url
    v2 = agrifood_agenda["v2"]
    packaging = v2.items.get(title=PACKAGING).pk
    water = v2.items.get(title=WATER).pk
    version_path = "/clusters/agrifood/agenda/v2/"

    # The manager opens the consultation of v2 (dates and method as offered: approval).
    sign_in(page, base, "manager@example.org", version_path)
    confirm_step(page, "Open the consultation…")
    expect(page.get_by_text("The consultation is open.")).to_be_visible()
    sign_out(page)

    # Anna's firm supports both items and proposes new wording for the packaging one.
    sign_in(page, base, "anna@example.org", version_path)
    vote(page, packaging, "Support")
    vote(page, water, "Support")
    consultation_of(page, packaging).get_by_role("link", name="Propose an amendment…").click()
    page.get_by_label("Objective").fill(AMENDED_OBJECTIVE)
    page.get_by_label("Why this change").fill("Il problema è la plastica monouso.")
    page.get_by_role("button", name="Propose").click()
    expect(page.get_by_text("Amendment proposed: the managers will decide")).to_be_visible()
    sign_out(page)

    # Bruno's lab supports packaging only.
    sign_in(page, base, "bruno@example.org", version_path)
    vote(page, packaging, "Support")
    vote(page, water, "No support")
    sign_out(page)

    # The manager accepts the amendment, closes the consultation, approves and publishes.
    sign_in(page, base, "manager@example.org", version_path)
    consultation_of(page, packaging).get_by_role("button", name="Decide…").click()
    page.get_by_label("Accept").check()
    page.get_by_label("Reason (shown to everyone)").fill("Più preciso: grazie.")
    page.get_by_role("button", name="Record the decision").click()
    expect(page.locator(f"#item-{packaging}")).to_contain_text("Sostituire la plastica monouso")
    confirm_step(page, "Close the consultation…")
    expect(page.get_by_text("The consultation is closed.")).to_be_visible()
    confirm_step(page, "Approve…")
    confirm_step(page, "Publish…")
    expect(page.get_by_text("Version published.")).to_be_visible()
    sign_out(page)

    # Anyone: the cluster's agenda is now v2, with the consultation's result...
    page.goto(f"{base}/agenda/")
    page.get_by_role("link", name="Agenda agroalimentare 2026").click()
    expect(page).to_have_url(re.compile(r"/agenda/agrifood/$"))
    expect(page.get_by_text("Current agenda")).to_be_visible()
    results = page.locator("#results")
    expect(results).to_contain_text("2 of 2 member organizations voted.")
    first = results.locator("tbody tr").first
    expect(first).to_contain_text(PACKAGING)
    expect(first).to_contain_text("66.7%")
    page.get_by_role("link", name=PACKAGING).first.click()
    expect(page.get_by_text("2 organizations voted")).to_be_visible()
    expect(page.get_by_text(AMENDED_OBJECTIVE)).to_be_visible()
    expect(page.get_by_role("link", name=PACKAGING)).to_have_attribute(
        "href", re.compile(r"/agenda/agrifood/v1/items/\d+/$")
    )

    # ... and the comparison with v1 shows the amended words.
    page.goto(f"{base}/agenda/agrifood/")
    page.get_by_role("link", name="What changed since v1").click()
    expect(page).to_have_url(re.compile(r"/agenda/agrifood/diff/\?from=1&to=2$"))
    expect(page.get_by_role("heading", name="What changed from v1 to v2")).to_be_visible()
    expect(page.locator(".ap-diff-text ins").filter(has_text="Sostituire")).to_be_visible()
    expect(page.locator(".ap-diff-text del").filter(has_text="Ridurre")).to_be_visible()
    expect(page.locator(".ap-kind-changed").first).to_contain_text("1")
