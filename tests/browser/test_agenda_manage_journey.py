"""The agenda, from the manager's side: the manager of agrifood drafts the first version of
the cluster's agenda, adds an item, gives it a KPI (htmx, in place), splits it in two, and
follows the lineage of one part back to the original item."""

import re

import pytest
from playwright.sync_api import expect

from clusterhub.regions.models import Cluster
from tests.browser.helpers import sign_in
from tests.factories import ClusterRoleFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def manager(region_preset):
    return ClusterRoleFactory(
        cluster=Cluster.objects.get(slug="agrifood"),
        person__email="manager@example.org",
        person__full_name="Maria Manager",
    ).person


def test_a_manager_drafts_an_agenda_adds_an_item_with_a_kpi_splits_it_and_sees_the_lineage(
    live_server, page, manager
):
    base = live_server.url
    sign_in(page, base, "manager@example.org", "/clusters/agrifood/agenda/")
    expect(page.get_by_text("No agenda yet")).to_be_visible()

    page.get_by_label("Title").fill("Agenda 2026")
    page.get_by_role("button", name="Draft the version").click()
    expect(page).to_have_url(re.compile(r"/clusters/agrifood/agenda/v1/$"))
    expect(page.get_by_text("Draft", exact=True)).to_be_visible()

    page.get_by_role("button", name="Add an item").click()
    page.get_by_label("Title").fill("Digital traceability")
    page.get_by_label("Objective").fill("Trace milk from the farm to the shelf.")
    page.get_by_role("button", name="Add the item").click()
    expect(page.get_by_role("heading", name="Digital traceability")).to_be_visible()

    page.get_by_text("Add a KPI").click()
    page.get_by_label("Indicator").fill("Producers trained")
    page.get_by_label("Target").fill("60")
    page.get_by_label("Current value", exact=True).fill("15")
    page.get_by_role("button", name="Add the KPI").click()
    kpis = page.locator("table.agenda-kpis")
    expect(kpis.get_by_role("rowheader", name="Producers trained")).to_be_visible()
    expect(kpis.get_by_text("25%")).to_be_visible()
    expect(page.locator("#agenda-measures").get_by_text("25%").first).to_be_visible()

    page.get_by_role("button", name="Split").click()  # a link styled as a button
    expect(page.get_by_role("heading", name="Split “Digital traceability”")).to_be_visible()
    titles = page.get_by_label("Title")
    objectives = page.get_by_label("Objective")
    titles.nth(0).fill("Traceability tools")
    objectives.nth(0).fill("An open traceability template.")
    titles.nth(1).fill("Traceability training")
    objectives.nth(1).fill("Train small producers.")
    page.get_by_role("button", name="Split").click()
    expect(page).to_have_url(re.compile(r"/clusters/agrifood/agenda/v1/$"))
    expect(page.get_by_role("link", name="Traceability tools")).to_be_visible()
    expect(page.get_by_role("link", name="Traceability training")).to_be_visible()

    page.get_by_role("link", name="Traceability training").click()
    lineage = page.locator("section.agenda-lineage")
    expect(lineage.get_by_text("split from")).to_be_visible()
    lineage.get_by_role("link", name="v1 · Digital traceability").click()
    expect(page.get_by_text("This item is no longer active")).to_be_visible()
    became = page.locator("section.agenda-lineage")
    expect(became.get_by_role("link", name="v1 · Traceability tools")).to_be_visible()
    # The KPI went with the first part.
    page.goto(f"{base}/clusters/agrifood/agenda/v1/")
    page.get_by_role("link", name="Traceability tools").click()
    expect(
        page.locator("table.agenda-kpis").get_by_role("rowheader", name="Producers trained")
    ).to_be_visible()
