"""Journey: a member registers for a workshop of their cluster and gets a ticket; at the
door the cluster's manager checks them in by the ticket's code (twice: the second time only
says so), checks in another participant from the attendance list, and the attendance page
shows who came."""

import re
from datetime import timedelta

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from clusterhub.events.models import EventKind
from clusterhub.events.services import event_save, registration_create
from clusterhub.regions.models import Cluster
from clusterhub.registry.models import OrganizationKind
from clusterhub.registry.services import membership_upsert, organization_create
from tests.factories import PASSWORD, ClusterRoleFactory, OrganizationRoleFactory, PersonFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

TITLE = "Workshop: packaging compostabile"


@pytest.fixture
def workshop(region_preset):
    """A workshop of agrifood next week, its manager, a member and one more participant."""
    agrifood = Cluster.objects.get(slug="agrifood")
    firm = organization_create(
        name="Imballaggi Modenesi Srl", kind=OrganizationKind.FIRM, postcode="41121"
    )
    membership_upsert(organization=firm, cluster=agrifood)
    member = PersonFactory(email="giulia@example.org", full_name="Giulia Bianchi")
    OrganizationRoleFactory(person=member, organization=firm, role="member")
    other = PersonFactory(email="marco@example.org", full_name="Marco Ferrari")
    OrganizationRoleFactory(person=other, organization=firm, role="member")
    manager = ClusterRoleFactory(cluster=agrifood, person__email="manager@example.org").person
    starts = timezone.now().replace(minute=0, second=0, microsecond=0) + timedelta(days=7)
    event = event_save(
        event=None,
        actor=manager,
        clusters=[agrifood],
        title=TITLE,
        kind=EventKind.WORKSHOP,
        starts_at=starts,
        ends_at=starts + timedelta(hours=3),
        location="Tecnopolo di Parma",
        capacity=20,
        status="published",
        visibility="members",
    )
    registration_create(event=event, person=other)
    return event


def sign_in(page, base_url, email):
    page.goto(f"{base_url}/accounts/login/")
    page.get_by_label("Email").fill(email)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    expect(page.get_by_role("button", name="Sign out")).to_be_visible()


def test_a_member_registers_and_the_manager_checks_them_in_at_the_door(live_server, page, workshop):
    # Giulia finds the members-only workshop of her cluster and registers.
    sign_in(page, live_server.url, "giulia@example.org")
    page.get_by_role("navigation", name="Main").get_by_role("link", name="Events").click()
    page.get_by_role("link", name=TITLE).click()
    expect(page.get_by_text("1 of 20 seats taken")).to_be_visible()
    page.get_by_role("button", name="Register").click()
    expect(page.get_by_text("You are registered.")).to_be_visible()
    expect(page.get_by_text("2 of 20 seats taken")).to_be_visible()

    # Her ticket: a QR and the code to show at the door.
    page.get_by_role("button", name="Show my ticket").click()
    expect(page.locator(".ticket-qr svg")).to_be_visible()
    code = page.locator(".ticket-code").inner_text().strip()
    assert re.fullmatch(r"[A-Z2-9]{4}-[A-Z2-9]{4}", code)

    # The manager, on another device, opens the attendance list: nobody has come yet.
    manager_page = page.context.browser.new_page(viewport={"width": 390, "height": 844})
    sign_in(manager_page, live_server.url, "manager@example.org")
    manager_page.goto(f"{live_server.url}/events/{workshop.pk}/")
    manager_page.get_by_role("button", name="Attendance").click()
    expect(manager_page.locator("#checked-in-count")).to_have_text("0")
    giulia_row = manager_page.locator("tr", has_text="Giulia Bianchi")
    expect(giulia_row.get_by_role("button", name="Check in")).to_be_visible()

    # At the door the code is typed (as a scanner would), lower case and all.
    manager_page.get_by_role("button", name="Check-in at the door").click()
    manager_page.get_by_label("Ticket code").fill(code.lower())
    manager_page.get_by_role("button", name="Check in").click()
    expect(manager_page.get_by_text("Checked in. Welcome!")).to_be_visible()
    expect(manager_page.get_by_text("Giulia Bianchi")).to_be_visible()

    # The same ticket again: no error, it says when she came in.
    manager_page.get_by_label("Ticket code").fill(code)
    manager_page.get_by_role("button", name="Check in").click()
    expect(manager_page.get_by_text(re.compile(r"Already checked in at"))).to_be_visible()

    # Marco forgot his phone: checked in from his row of the list (htmx swaps the row).
    manager_page.get_by_role("link", name="Attendance list").click()
    expect(manager_page.locator("#checked-in-count")).to_have_text("1")
    giulia_row = manager_page.locator("tr", has_text="Giulia Bianchi")
    expect(giulia_row).to_contain_text("Checked in at")
    marco_row = manager_page.locator("tr", has_text="Marco Ferrari")
    marco_row.get_by_role("button", name="Check in").click()
    expect(marco_row).to_contain_text("Checked in at")
    manager_page.reload()
    expect(manager_page.locator("#checked-in-count")).to_have_text("2")

    # Giulia's ticket now says she was checked in.
    page.reload()
    expect(page.get_by_text(re.compile(r"Checked in at"))).to_be_visible()
