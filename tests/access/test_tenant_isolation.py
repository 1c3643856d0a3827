"""A manager of agrifood sees and changes nothing private of the mech cluster."""

import pytest
from django.urls import reverse

from clusterhub.people.models import Invitation
from clusterhub.people.services import invitation_create
from clusterhub.registry.models import Membership, MembershipStatus
from tests.factories import MembershipFactory, OrganizationRoleFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def mech_private(officer, mech, other_org):
    """Private things of the mech cluster: a suspended member, its people, an invitation."""
    suspended = MembershipFactory(
        cluster=mech, status=MembershipStatus.SUSPENDED, organization__name="Segreta Spa"
    )
    person = OrganizationRoleFactory(
        organization=other_org, person__email="mech.person@example.org"
    )
    invitation_create(
        inviter=officer,
        email="mech.invitee@example.org",
        role="member",
        cluster=mech,
        organization=other_org,
        site_url="http://testserver/",
    )
    return {"suspended": suspended, "person": person.person}


def test_a_manager_gets_404_on_another_clusters_members_page(client, manager, mech_private):
    client.force_login(manager)

    assert client.get(reverse("registry_manage:members", args=["mech"])).status_code == 404
    assert client.get(reverse("registry_manage:members", args=["agrifood"])).status_code == 200


def test_nothing_private_of_another_cluster_shows_on_the_managers_page(
    client, manager, mech_private, other_org
):
    client.force_login(manager)

    response = client.get(reverse("registry_manage:members", args=["agrifood"]))

    page = response.content.decode()
    assert all(m.cluster.slug == "agrifood" for m in response.context["memberships"])
    assert all(i.cluster.slug == "agrifood" for i in response.context["invitations"])
    assert mech_private["person"] not in {r.person for r in response.context["people"]}
    for private in ("Segreta Spa", "mech.person@example.org", "mech.invitee@example.org"):
        assert private not in page


def test_a_manager_cannot_change_another_clusters_membership_by_its_id(
    client, manager, other_org, mech
):
    foreign = Membership.objects.get(organization=other_org, cluster=mech)
    client.force_login(manager)

    # Through the other cluster's URL, and smuggled under the manager's own cluster.
    for slug in ("mech", "agrifood"):
        response = client.post(
            reverse("registry_manage:membership_status", args=[slug, foreign.pk]),
            {"action": "end", "until": "2025-01-01"},
        )
        assert response.status_code == 404

    foreign.refresh_from_db()
    assert (foreign.status, foreign.until) == (MembershipStatus.ACTIVE, None)


def test_a_manager_cannot_invite_into_another_cluster(client, manager, mech, other_org):
    client.force_login(manager)

    client.post(
        reverse("people:invite"),
        {
            "email": "x@example.org",
            "role": "org_admin",
            "cluster": mech.pk,
            "organization": other_org.pk,
        },
    )

    assert not Invitation.objects.filter(cluster=mech).exists()


def test_an_officer_sees_every_cluster(client, officer, mech_private):
    client.force_login(officer)

    response = client.get(reverse("registry_manage:members", args=["mech"]))

    assert response.status_code == 200
    assert "Segreta Spa" in response.content.decode()
