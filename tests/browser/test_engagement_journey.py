"""Journey 3: a manager notices members going quiet.

The health cluster's manager opens the engagement page: the funnel by kind shows final
users dropping off; three are dormant, and for each the platform suggests the upcoming
workshop and the open call; she invites them. Two of them register for the workshop and
are checked in at the door; the engagement page shows the change.
"""

import re
from datetime import timedelta

import pytest
from django.core import mail
from django.utils import timezone
from playwright.sync_api import expect

from clusterhub.contributions.models import Contribution
from clusterhub.events.models import Event
from clusterhub.opportunities.services import opportunity_create
from clusterhub.people.models import ClusterRole
from clusterhub.privacy.services import consent_give
from clusterhub.regions.models import Cluster
from clusterhub.registry.models import OrganizationKind
from clusterhub.registry.services import membership_upsert, organization_create
from tests.factories import PASSWORD, OrganizationRoleFactory, PersonFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

QUIET = ("Ospedale di Comunità Appennino", "RSA Villa Serena", "Farmacia Comunale Lugo")


@pytest.fixture
def health(region_preset):
    """Two firms that contribute, one final user that contributed, three silent final
    users each with one person, an upcoming workshop and an open call for the cluster."""
    cluster = Cluster.objects.get(slug="health")
    manager = PersonFactory(email="giulia@example.org", full_name="Giulia Bianchi")
    ClusterRole.objects.create(person=manager, cluster=cluster)

    def member(name, kind):
        organization = organization_create(name=name, kind=kind, postcode="40126", city="Bologna")
        membership_upsert(organization=organization, cluster=cluster)
        return organization

    for name in ("Biomedica Srl", "Diagnostica Avanzata Spa"):
        Contribution.objects.create(
            kind="need",
            title="Clinical validation",
            text="We need a hospital partner.",
            organization=member(name, OrganizationKind.FIRM),
        )
    Contribution.objects.create(
        kind="need",
        title="Telemonitoring",
        text="Patients at home.",
        organization=member("AUSL Romagna", OrganizationKind.FINAL_USER),
    )
    people = {}
    for number, name in enumerate(QUIET):
        organization = member(name, OrganizationKind.FINAL_USER)
        people[name] = PersonFactory(email=f"quiet{number}@example.org", language="en")
        OrganizationRoleFactory(person=people[name], organization=organization, role="member")
        # Invited members accepted the terms, which allow their cluster's service messages.
        consent_give(person=people[name], purpose="terms")
    start = timezone.now() + timedelta(days=10)
    workshop = Event.objects.create(
        title="Workshop: telemedicine in rural areas",
        kind="workshop",
        starts_at=start,
        ends_at=start + timedelta(hours=3),
        status="published",
        visibility="members",
    )
    workshop.clusters.set([cluster])
    opportunity_create(
        actor=manager,
        kind="financing",
        title="Call for digital health services",
        programme="PR FESR Emilia-Romagna",
        deadline=timezone.localdate() + timedelta(days=45),
        clusters=[cluster],
        embed=False,
    )
    return {"manager": manager, "people": people, "workshop": workshop}


def card_of(page, name):
    return page.locator(".quiet-member").filter(has=page.locator("h3", has_text=name))


def sign_in(page, url, email):
    page.context.clear_cookies()
    page.goto(f"{url}/accounts/login/")
    page.get_by_label("Email").fill(email)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    expect(page).not_to_have_url(re.compile(r"/accounts/login/"))


def test_a_manager_invites_dormant_members_and_sees_them_come_back(live_server, page, health):
    url = live_server.url
    sign_in(page, url, "giulia@example.org")
    page.goto(f"{url}/clusters/health/")
    page.get_by_role("button", name="Engagement", exact=True).click()
    expect(page).to_have_url(re.compile(r"/engagement/health/$"))

    # The funnel: final users drop off (1 of 4 active), firms do not (2 of 2).
    final_users = page.locator('.funnel-table tr[data-kind="final_user"] td')
    expect(final_users).to_have_text([re.compile(r"^4$"), "1 (25%)", "1 (25%)", "1 (25%)"])
    firms = page.locator('.funnel-table tr[data-kind="firm"] td')
    expect(firms).to_have_text([re.compile(r"^2$"), "2 (100%)", "2 (100%)", "2 (100%)"])
    expect(page.locator('[data-status-count="dormant"]')).to_have_text("3")
    expect(page.locator('[data-status-count="active"]')).to_have_text("3")

    cards = page.locator(".quiet-member")
    expect(cards).to_have_count(3)
    for name in QUIET:
        card = card_of(page, name)
        expect(card).to_contain_text("Workshop: telemedicine in rural areas")
        expect(card).to_contain_text("Call for digital health services")
    page.screenshot(path="/tmp/engagement-cluster.png", full_page=True)

    for name in QUIET:
        card_of(page, name).get_by_role("button", name="Invite").click()
        expect(page.locator(".messages")).to_contain_text(f"Invitation sent to 1 person of {name}")
    expect(page.locator(".quiet-member .invited")).to_have_count(3)
    assert sorted(message.to[0] for message in mail.outbox) == [
        "quiet0@example.org",
        "quiet1@example.org",
        "quiet2@example.org",
    ]
    assert "Workshop: telemedicine in rural areas" in mail.outbox[0].body

    # Two of them register for the workshop.
    workshop = health["workshop"]
    for email in ("quiet0@example.org", "quiet1@example.org"):
        sign_in(page, url, email)
        page.goto(f"{url}/events/{workshop.pk}/")
        page.get_by_role("button", name="Register").click()
        expect(page.locator(".messages")).to_contain_text("You are registered")

    # Signed in and registered, but not yet at the event: nothing attended.
    sign_in(page, url, "giulia@example.org")
    first = card_of(page, QUIET[0])
    page.goto(f"{url}/engagement/health/")
    expect(page.locator('[data-status-count="dormant"]')).to_have_text("1")
    attended = page.locator('tr[data-part="attendance"] td').first
    row = next(iter(health["people"][QUIET[0]].organization_roles.all())).organization
    page.goto(f"{url}/engagement/organizations/{row.pk}/")
    expect(attended).to_contain_text("0")
    score_before = float(page.locator("[data-score]").inner_text().split()[0])

    # The manager checks them in at the door, from the attendance list.
    page.goto(f"{url}/events/{workshop.pk}/attendance/")
    # One at a time: htmx swaps the row, and a click before the swap hits the same button.
    for checked_in in (1, 2):
        page.get_by_role("button", name="Check in").first.click()
        expect(page.locator(".event-state-ok")).to_have_count(checked_in)

    page.goto(f"{url}/engagement/organizations/{row.pk}/")
    expect(attended).to_contain_text("1")
    expect(page.locator('tr[data-part="attendance"] td').last).to_contain_text("10.0")
    assert float(page.locator("[data-score]").inner_text().split()[0]) == score_before + 10
    expect(page.locator("[data-status]")).to_have_attribute("data-status", "active")
    page.screenshot(path="/tmp/engagement-organization.png", full_page=True)

    page.goto(f"{url}/engagement/health/")
    expect(page.locator('[data-status-count="active"]')).to_have_text("5")
    expect(page.locator('[data-status-count="dormant"]')).to_have_text("1")
    expect(first).to_have_count(0)  # back among the active members
    expect(page.locator(".quiet-member")).to_have_count(1)
    expect(card_of(page, QUIET[2])).to_have_count(1)
