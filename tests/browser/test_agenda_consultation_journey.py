"""The consultation, in the browser: a member of agrifood votes on an item of the version in
consultation and proposes an amendment; the manager accepts it with a reason, which everyone
then reads under the item, now carrying the new title."""

import pytest
from playwright.sync_api import expect

from clusterhub.agenda.models import Ballot
from clusterhub.regions.models import Cluster
from tests.agenda.consult_helpers import consultation
from tests.browser.helpers import sign_in
from tests.factories import (
    ClusterRoleFactory,
    MembershipFactory,
    OrganizationFactory,
    OrganizationRoleFactory,
)

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def setting(region_preset):
    agrifood = Cluster.objects.get(slug="agrifood")
    manager = ClusterRoleFactory(cluster=agrifood, person__email="manager@example.org").person
    organization = OrganizationFactory(name="Caseificio Aperto Srl")
    MembershipFactory(organization=organization, cluster=agrifood)
    OrganizationRoleFactory(
        organization=organization, role="member", person__email="member@example.org"
    )
    version, items = consultation(agrifood, manager, titles=("Filiera corta", "Acque reflue"))
    return version, items


def test_a_member_votes_and_proposes_an_amendment_the_manager_accepts_it(
    live_server, page, setting
):
    version, (first, _second) = setting
    base = live_server.url
    version_path = f"/clusters/agrifood/agenda/v{version.number}/"

    sign_in(page, base, "member@example.org", version_path)
    panel = page.locator(".consult-panel")
    expect(panel).to_contain_text("0 of 1 member organizations voted")
    item = page.locator(f"#item-{first.pk}")
    expect(item).to_contain_text("Does Caseificio Aperto Srl support this item?")
    item.get_by_role("button", name="Support", exact=True).click()
    expect(page.get_by_text("Your organization's vote was saved.")).to_be_visible()
    expect(page.locator(f"#item-{first.pk}")).to_contain_text("your organization supports it")
    expect(page.locator(".consult-panel")).to_contain_text("1 of 1 member organizations voted")
    assert Ballot.objects.get(item=first).value == 1

    page.locator(f"#item-{first.pk} summary").click()
    page.locator(f"#item-{first.pk}").get_by_role("link", name="Propose an amendment…").click()
    page.get_by_label("Title").fill("Filiera corta e vendita diretta")
    page.get_by_label("Why this change").fill("La vendita diretta è metà del valore.")
    page.get_by_role("button", name="Propose").click()
    expect(page.get_by_text("Amendment proposed: the managers will decide on it.")).to_be_visible()

    sign_in(page, base, "manager@example.org", version_path)
    page.locator(f"#item-{first.pk} summary").click()
    expect(page.locator(f"#item-{first.pk}")).to_contain_text("Awaiting decision")
    page.locator(f"#item-{first.pk}").get_by_role("button", name="Decide…").click()
    page.get_by_label("Accept").check()
    page.get_by_label("Reason (shown to everyone)").fill("Accolta: rende l'obiettivo concreto.")
    page.get_by_role("button", name="Record the decision").click()
    expect(page.get_by_text("Decision recorded")).to_be_visible()

    sign_in(page, base, "member@example.org", version_path)
    item = page.locator(f"#item-{first.pk}")
    expect(item.get_by_role("heading", name="Filiera corta e vendita diretta")).to_be_visible()
    item.locator("summary").click()
    expect(item).to_contain_text("Accepted")
    expect(item).to_contain_text("Accolta: rende l'obiettivo concreto.")
