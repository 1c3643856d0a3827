"""A member reads the privacy page, downloads their data, withdraws a consent and erases
their account; their contribution stays under the pseudonym."""

import io
import json
import re
import zipfile

import pytest
from playwright.sync_api import expect

from clusterhub.contributions.models import Contribution
from clusterhub.people.models import Person
from clusterhub.privacy.services import consent_give
from clusterhub.regions.models import Cluster
from tests.factories import (
    PASSWORD,
    MembershipFactory,
    OrganizationFactory,
    OrganizationRoleFactory,
    PersonFactory,
)

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_a_member_exports_withdraws_a_consent_and_erases_their_account(
    live_server, page, region_preset
):
    organization = OrganizationFactory(name="Caseificio Esempio Srl")
    MembershipFactory(organization=organization, cluster=Cluster.objects.get(slug="agrifood"))
    person = PersonFactory(email="sara@example.org", full_name="Sara Rossi", language="en")
    OrganizationRoleFactory(person=person, organization=organization, role="member")
    consent_give(person=person, purpose="digest")
    Contribution.objects.create(
        kind="need",
        title="Sensors for aging cheese",
        text="Humidity.",
        organization=organization,
        author=person,
    )
    url = live_server.url

    page.goto(f"{url}/accounts/login/")
    page.get_by_label("Email").fill("sara@example.org")
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    page.goto(f"{url}/privacy/")
    expect(page.locator("table.privacy-registry")).to_contain_text("contributions.json")
    page.get_by_role("button", name="My data and consents").click()

    with page.expect_download() as download:
        page.get_by_role("button", name="Download my data (zip)").click()
    archive = zipfile.ZipFile(io.BytesIO(download.value.path().read_bytes()))
    contributions = json.loads(archive.read("contributions.json"))
    assert contributions[0]["title"] == "Sensors for aging cheese"

    digest_row = page.locator('tr[data-purpose="digest"]')
    digest_row.get_by_role("button", name="Withdraw").click()
    expect(digest_row).to_contain_text("Not given")
    page.screenshot(path="/tmp/privacy-journey.png", full_page=True)

    page.get_by_label("Your password").fill(PASSWORD)
    page.get_by_label("I understand that my account is closed for good").check()
    page.get_by_role("button", name="Erase my account").click()
    expect(page.locator(".messages")).to_contain_text("Your account is erased")
    pseudonym = Person.objects.get(pk=person.pk).full_name
    assert re.fullmatch(r"Former member [0-9A-F]{4}", pseudonym)
    page.goto(f"{url}/account/")
    expect(page).to_have_url(re.compile(r"/accounts/login/"))
    assert str(Contribution.objects.get().author) == pseudonym
