import datetime

import pytest
from django.urls import reverse

from clusterhub.registry.models import Membership, MembershipStatus
from tests.factories import MembershipFactory, OrganizationFactory

pytestmark = pytest.mark.django_db


def status_url(membership):
    return reverse(
        "registry_manage:membership_status", args=[membership.cluster.slug, membership.pk]
    )


@pytest.fixture
def membership(member_org, agrifood):
    return Membership.objects.get(organization=member_org, cluster=agrifood)


def test_the_members_page_shows_every_membership_whatever_its_status(client, manager, agrifood):
    for status in MembershipStatus.values:
        MembershipFactory(cluster=agrifood, status=status, organization__name=f"Org {status}")
    client.force_login(manager)

    response = client.get(reverse("registry_manage:members", args=["agrifood"]))

    assert response.status_code == 200
    page = response.content.decode()
    for status in MembershipStatus.values:
        assert f"Org {status}" in page


def test_the_members_page_shows_the_people_of_member_organizations(
    client, manager, member, member_org
):
    client.force_login(manager)

    response = client.get(reverse("registry_manage:members", args=["agrifood"]))

    people = list(response.context["people"])
    assert {role.person for role in people} >= {member}
    assert member.email in response.content.decode()


def test_a_manager_suspends_and_reactivates_a_membership(client, manager, membership):
    client.force_login(manager)

    client.post(status_url(membership), {"action": "suspend"})
    membership.refresh_from_db()
    assert membership.status == MembershipStatus.SUSPENDED

    client.post(status_url(membership), {"action": "reactivate"})
    membership.refresh_from_db()
    assert membership.status == MembershipStatus.ACTIVE


def test_a_manager_ends_a_membership_on_a_date(client, manager, membership):
    client.force_login(manager)

    response = client.post(status_url(membership), {"action": "end", "until": "2025-12-31"})

    assert response.status_code == 302
    membership.refresh_from_db()
    assert membership.status == MembershipStatus.ENDED
    assert membership.until == datetime.date(2025, 12, 31)


def test_ending_without_a_date_is_refused_with_a_message(client, manager, membership):
    client.force_login(manager)

    response = client.post(status_url(membership), {"action": "end"}, follow=True)

    membership.refresh_from_db()
    assert membership.status == MembershipStatus.ACTIVE
    assert "Give the date the membership ends" in response.content.decode()


def test_an_end_date_before_the_start_is_refused_and_nothing_changes(client, manager, agrifood):
    membership = MembershipFactory(cluster=agrifood, since=datetime.date(2024, 5, 1))
    client.force_login(manager)

    response = client.post(
        status_url(membership), {"action": "end", "until": "2024-01-01"}, follow=True
    )

    membership.refresh_from_db()
    assert (membership.status, membership.until) == (MembershipStatus.ACTIVE, None)
    assert response.status_code == 200
    assert list(response.context["messages"])[0].level_tag == "error"


def test_the_members_page_lists_pending_invitations(client, manager, agrifood, invite):
    org = OrganizationFactory()
    invite(manager, email="pending@example.org", role="member", cluster=agrifood, organization=org)
    client.force_login(manager)

    response = client.get(reverse("registry_manage:members", args=["agrifood"]))

    assert [i.email for i in response.context["invitations"]] == ["pending@example.org"]
