"""Journey 2, the trend radar: twelve mechatronics members posted needs on predictive
maintenance and digital twins (two near-duplicates merged into another). Their manager
starts a trend detection from the radar, sees the topic emerging on the chart, opens it and
finds the needs, the members behind them, the region's projects on the same topic and the
labs that work on it. (Posting and merging are in the contributions journey.)"""

import pytest
from playwright.sync_api import expect

from clusterhub.regions.models import Cluster
from clusterhub.trends.services import trend_run_create, trend_run_execute
from tests.factories import PASSWORD, ClusterRoleFactory, OrganizationFactory
from tests.trends.journey import journey_data

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def mechatronics(region_preset, settings):
    # The worker runs the detection as soon as the run is queued (one process here).
    settings.TASKS = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}
    mech = Cluster.objects.get(slug="mech")
    data = journey_data(mech)
    OrganizationFactory(
        name="Laboratorio Manutenzione Predittiva",
        kind="research_lab",
        description="Predictive maintenance, vibration analysis and digital twins of machines.",
    )
    ClusterRoleFactory(cluster=mech, person__email="manager@example.org")
    # The region's own run, done earlier by an officer.
    region = trend_run_create(actor=None, cluster=None, params={"min_topic_size": 4})
    trend_run_execute(run_id=region.pk)
    return data


def test_a_manager_runs_the_radar_and_follows_an_emerging_trend_to_its_evidence(
    live_server, page, mechatronics
):
    page.goto(f"{live_server.url}/accounts/login/?next=/")
    page.get_by_label("Email").fill("manager@example.org")
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Sign in").click()

    page.get_by_role("link", name="Trends").click()
    expect(page.locator("h1")).to_have_text(
        "Trend radar · Mechatronics, engineering and automotive"
    )
    expect(page.get_by_text("No trend detection has been run for this scope yet.")).to_be_visible()
    page.get_by_label("Smallest topic (documents)").fill("4")
    page.get_by_role("button", name="Start trend detection").click()

    # The run is done: Plotly, served by the platform, drew the radar; the table lists topics.
    expect(page.locator("[data-trend-radar] .main-svg").first).to_be_visible()
    emerging = page.locator("table.trend-table tbody tr").filter(has_text="Emerging")
    expect(emerging.first).to_be_visible()
    emerging.first.get_by_role("link").click()

    expect(page.locator("[data-trend-series] .main-svg").first).to_be_visible()
    raised = page.locator("section[aria-labelledby='contributions-heading']")
    expect(
        raised.get_by_role("link", name="Manutenzione predittiva delle macchine utensili")
    ).to_be_visible()
    expect(raised.get_by_text("merged duplicate").first).to_be_visible()
    members = page.locator("section[aria-labelledby='members-heading']")
    expect(members.get_by_role("link", name="Meccatronica 00 Srl")).to_be_visible()
    region = page.locator("section[aria-labelledby='region-heading']")
    expect(region.get_by_role("link", name="Open it")).to_be_visible()
    labs = page.locator(".trend-labs")
    expect(labs.get_by_role("link", name="Laboratorio Manutenzione Predittiva")).to_be_visible(
        timeout=30_000
    )

    raised.get_by_role("link", name="Manutenzione predittiva delle macchine utensili").click()
    expect(page.locator("h1")).to_contain_text("Manutenzione predittiva delle macchine utensili")
