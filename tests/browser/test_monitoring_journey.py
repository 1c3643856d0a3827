"""Journey 4: the Region looks at its strategy. A regional officer opens the monitoring
dashboard, keeps one cluster and one year, downloads the table behind the charts, and looks
at the network of who works with whom."""

import csv
import io
import re
from datetime import date

import pytest
from playwright.sync_api import expect

from clusterhub.regions.models import Cluster
from tests.factories import PASSWORD, PersonFactory
from tests.monitoring.factories import member, project

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def region(region_preset):
    agrifood = Cluster.objects.get(slug="agrifood")
    mech = Cluster.objects.get(slug="mech")
    lab = member(agrifood, "Laboratorio Latte", "research_lab", since=date(2019, 1, 1))
    firm = member(agrifood, "Caseificio Rossi Srl", size="small", since=date(2021, 3, 1))
    maker = member(mech, "Meccanica Bianchi Spa", size="medium", since=date(2020, 1, 1))
    project(date(2021, 2, 1), (lab, 120_000), (firm, 80_000), (maker, 50_000))
    project(date(2022, 6, 1), (lab, 40_000), (maker, 10_000))
    PersonFactory(email="officer@example.org", is_regional_officer=True)


def test_an_officer_compares_filters_and_downloads_the_indicators(live_server, page, region):
    page.goto(f"{live_server.url}/accounts/login/?next=/")
    page.get_by_label("Email").fill("officer@example.org")
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Sign in").click()

    page.get_by_role("link", name="Monitoring").click()
    expect(page.locator("h1")).to_have_text("Monitoring")
    expect(page.get_by_role("heading", name="Clusters side by side")).to_be_visible()
    # Plotly, served by the platform itself, drew the charts.
    expect(page.locator('[data-mchart="members"] .main-svg').first).to_be_visible()

    page.get_by_label("Clust-ER Agrifood").check()
    page.get_by_label("From", exact=True).fill("2021")
    page.get_by_label("To", exact=True).fill("2021")
    page.get_by_role("button", name="Apply").click()
    expect(page).to_have_url(re.compile(r"cluster=agrifood&year_from=2021&year_to=2021"))
    expect(page.get_by_role("heading", name="Summary")).to_be_visible()

    with page.expect_download() as download_info:
        page.get_by_role("button", name="Download all indicators (CSV)").click()
    download = download_info.value
    assert download.suggested_filename == "indicators-agrifood-2021-2021.csv"
    with open(download.path(), encoding="utf-8") as handle:
        header, *rows = list(csv.reader(io.StringIO(handle.read())))
    assert len(rows) == 1
    row = dict(zip(header, rows[0], strict=True))
    assert (row["year"], row["members"], row["new_members"]) == ("2021", "2", "1")
    # The lab pairs with the cheese maker (agrifood) and with the mech firm.
    assert (row["projects"], row["eu_funding"], row["lab_firm_pairs"]) == ("1", "200000.00", "2")

    page.get_by_role("button", name="Collaboration network").click()
    expect(page.locator("h1")).to_have_text("Collaboration network")
    expect(page.locator('[data-network="graph"] .main-svg').first).to_be_visible()
    bridges = page.locator("#bridges-heading").locator("xpath=../..")
    expect(bridges.get_by_role("link", name="Laboratorio Latte")).to_be_visible()
