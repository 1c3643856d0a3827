"""The regional officer ends a membership in the back office, then finds that change in the
audit trail (who, what, before → after), narrows the trail with the filters and downloads it
as CSV."""

import re
from pathlib import Path

import pytest
from playwright.sync_api import expect

from clusterhub.audit.context import acting_as
from clusterhub.regions.models import Cluster
from clusterhub.registry.models import Membership
from clusterhub.registry.services import membership_upsert
from tests.factories import PASSWORD, ClusterRoleFactory, OrganizationFactory, PersonFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def officer(region_preset):
    agrifood = Cluster.objects.get(slug="agrifood")
    manager = ClusterRoleFactory(cluster=agrifood, person__email="manager@example.org").person
    with acting_as(manager):
        for name in ("Caseificio Val d'Enza", "Acetaia <b>Modena</b>"):
            membership_upsert(organization=OrganizationFactory(name=name), cluster=agrifood)
    return PersonFactory(
        email="officer@example.org", is_regional_officer=True, is_staff=True, is_superuser=True
    )


def test_the_officer_finds_a_back_office_change_in_the_audit_trail(live_server, page, officer):
    membership = Membership.objects.get(organization__name="Caseificio Val d'Enza")
    page.goto(f"{live_server.url}/accounts/login/")
    page.get_by_label("Email").fill("officer@example.org")
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Sign in").click()

    page.goto(f"{live_server.url}/backoffice/registry/membership/{membership.pk}/change/")
    page.get_by_label("Status").select_option("ended")
    page.get_by_role("button", name="Save", exact=True).click()
    expect(page.locator(".messagelist")).to_contain_text("was changed successfully")

    page.goto(f"{live_server.url}/audit/")
    expect(page.locator("h1")).to_have_text("Audit trail")
    page.get_by_label("Who").fill("officer@")
    page.get_by_label("Who").press("Enter")
    expect(page).to_have_url(re.compile(r"actor=officer"))
    rows = page.locator(".audit-table tbody tr")
    expect(rows).to_have_count(1)
    expect(rows.first).to_contain_text("Membership changed")
    expect(rows.first).to_contain_text("Caseificio Val d'Enza · Agrifood")
    expect(rows.first.locator(".audit-changes")).to_contain_text("status")
    expect(rows.first.locator(".audit-before")).to_have_text("active")
    expect(rows.first.locator(".audit-after")).to_have_text("ended")
    expect(rows.first.locator(".audit-note")).to_contain_text("/backoffice/registry/membership/")

    page.goto(f"{live_server.url}/audit/")
    page.get_by_label("What").select_option("membership.changed")
    expect(page).to_have_url(re.compile(r"action=membership.changed"))
    expect(rows).to_have_count(3)  # two created by the manager, one ended by the officer
    expect(page.locator(".audit-table")).to_contain_text("Acetaia <b>Modena</b>")  # as text
    page.screenshot(path="/tmp/audit-list.png", full_page=True)

    with page.expect_download() as download:
        page.get_by_role("link", name="Export these entries (CSV)").click()
    content = Path(download.value.path()).read_text(encoding="utf-8").splitlines()
    assert content[0].startswith("id,at_utc,actor,action")
    assert len(content) == 4
    assert all("membership.changed" in line for line in content[1:])
