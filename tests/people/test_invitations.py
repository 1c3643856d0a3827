import hashlib
from datetime import timedelta

import pytest
from django.core import mail
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse
from django.utils import timezone

from clusterhub.people.models import ClusterRole, Invitation, OrganizationRole, Person
from clusterhub.people.services import invitation_accept, invitation_create
from clusterhub.registry.models import Membership, MembershipStatus
from tests.factories import OrganizationFactory, PersonFactory
from tests.people.conftest import token_from_last_email

pytestmark = pytest.mark.django_db

NEW_PASSWORD = "a-long-unusual-passphrase-42"


def accept_url(token):
    return reverse("people:invitation_accept", args=[token])


def test_a_manager_invites_a_person_by_email_and_only_the_token_hash_is_stored(
    manager, agrifood, member_org, invite
):
    token = invite(
        manager,
        email="New.Person@Example.org",
        role="member",
        cluster=agrifood,
        organization=member_org,
    )

    assert token_from_last_email() == token
    assert mail.outbox[-1].to == ["new.person@example.org"]
    invitation = Invitation.objects.get()
    assert invitation.token_hash == hashlib.sha256(token.encode()).hexdigest()
    assert token not in {invitation.token_hash, invitation.email}
    assert invitation.expires_at - timezone.now() > timedelta(days=13)


def test_inviting_a_new_organization_records_its_membership_as_invited(manager, agrifood, invite):
    newcomer = OrganizationFactory(name="Nuova Impresa Srl")

    invite(
        manager,
        email="ceo@nuova.example",
        role="org_admin",
        cluster=agrifood,
        organization=newcomer,
    )

    membership = Membership.objects.get(organization=newcomer, cluster=agrifood)
    assert membership.status == MembershipStatus.INVITED


def test_inviting_a_person_of_an_existing_member_keeps_its_membership(
    manager, agrifood, member_org, invite
):
    invite(manager, email="x@example.org", role="member", cluster=agrifood, organization=member_org)

    membership = Membership.objects.get(organization=member_org, cluster=agrifood)
    assert membership.status == MembershipStatus.ACTIVE


def test_a_manager_cannot_invite_into_a_cluster_they_do_not_manage(manager, mech, other_org):
    with pytest.raises(PermissionDenied):
        invitation_create(
            inviter=manager,
            email="x@example.org",
            role="org_admin",
            cluster=mech,
            organization=other_org,
            site_url="http://testserver/",
        )
    assert not Invitation.objects.exists()
    assert mail.outbox == []


def test_a_manager_cannot_invite_a_cluster_manager(manager, agrifood):
    with pytest.raises(PermissionDenied):
        invitation_create(
            inviter=manager,
            email="x@example.org",
            role="cluster_manager",
            cluster=agrifood,
            site_url="http://testserver/",
        )
    assert not Invitation.objects.exists()


def test_an_org_admin_invites_member_users_of_their_own_organization_only(
    org_admin, member_org, other_org, invite
):
    invite(org_admin, email="colleague@example.org", role="member", organization=member_org)
    assert Invitation.objects.filter(organization=member_org).count() == 1

    with pytest.raises(PermissionDenied):
        invitation_create(
            inviter=org_admin,
            email="x@example.org",
            role="member",
            organization=other_org,
            site_url="http://testserver/",
        )
    with pytest.raises(PermissionDenied):
        invitation_create(
            inviter=org_admin,
            email="x@example.org",
            role="org_admin",
            organization=member_org,
            site_url="http://testserver/",
        )
    assert Invitation.objects.count() == 1


def test_a_member_may_not_invite_anyone(member, member_org):
    with pytest.raises(PermissionDenied):
        invitation_create(
            inviter=member,
            email="x@example.org",
            role="member",
            organization=member_org,
            site_url="http://testserver/",
        )


def test_an_organization_role_needs_an_organization(manager, agrifood):
    with pytest.raises(ValidationError) as error:
        invitation_create(
            inviter=manager,
            email="x@example.org",
            role="member",
            cluster=agrifood,
            site_url="http://testserver/",
        )
    assert "organization" in error.value.message_dict


def test_an_officer_invites_a_cluster_manager_for_any_cluster(officer, mech, invite, client):
    token = invite(officer, email="mech.manager@example.org", role="cluster_manager", cluster=mech)

    response = client.post(
        accept_url(token),
        {"full_name": "Mech Manager", "password1": NEW_PASSWORD, "password2": NEW_PASSWORD},
    )

    assert response.status_code == 302
    person = Person.objects.get(email="mech.manager@example.org")
    assert ClusterRole.objects.filter(person=person, cluster=mech).exists()
    assert client.get(reverse("registry_manage:members", args=["mech"])).status_code == 200


def test_accepting_creates_the_account_grants_the_role_and_activates_the_membership(
    manager, agrifood, invite, client
):
    newcomer = OrganizationFactory(name="Nuova Impresa Srl")
    token = invite(
        manager,
        email="ceo@nuova.example",
        role="org_admin",
        cluster=agrifood,
        organization=newcomer,
    )
    assert client.get(accept_url(token)).status_code == 200

    response = client.post(
        accept_url(token),
        {"full_name": "Anna Rossi", "password1": NEW_PASSWORD, "password2": NEW_PASSWORD},
    )

    assert response.status_code == 302
    person = Person.objects.get(email="ceo@nuova.example")
    assert person.full_name == "Anna Rossi"
    assert person.check_password(NEW_PASSWORD)
    assert OrganizationRole.objects.get(person=person, organization=newcomer).role == "admin"
    membership = Membership.objects.get(organization=newcomer, cluster=agrifood)
    assert membership.status == MembershipStatus.ACTIVE
    assert membership.since == timezone.localdate()
    invitation = Invitation.objects.get()
    assert invitation.accepted_by == person and invitation.accepted_at is not None
    assert client.get(reverse("people:account")).status_code == 200  # signed in


def test_a_weak_password_is_refused_with_its_reason_and_nothing_is_created(
    manager, agrifood, member_org, invite, client
):
    token = invite(
        manager, email="weak@example.org", role="member", cluster=agrifood, organization=member_org
    )

    response = client.post(
        accept_url(token), {"full_name": "Weak", "password1": "12345678", "password2": "12345678"}
    )

    assert response.status_code == 200
    assert "password1" in response.context["form"].errors
    assert not Person.objects.filter(email="weak@example.org").exists()
    assert Invitation.objects.get().accepted_at is None


def test_an_accepted_invitation_cannot_be_used_twice(manager, agrifood, member_org, invite, client):
    token = invite(
        manager, email="once@example.org", role="member", cluster=agrifood, organization=member_org
    )
    invitation_accept(token=token, full_name="Once", password=NEW_PASSWORD)

    response = client.get(accept_url(token))

    assert response.status_code == 410
    assert response.context["reason"] == "accepted"
    assert client.post(accept_url(token), {}).status_code == 410
    assert Person.objects.filter(email="once@example.org").count() == 1


def test_an_expired_invitation_gives_a_clear_page(manager, agrifood, member_org, invite, client):
    token = invite(
        manager, email="late@example.org", role="member", cluster=agrifood, organization=member_org
    )
    Invitation.objects.update(expires_at=timezone.now() - timedelta(minutes=1))

    response = client.post(
        accept_url(token),
        {"full_name": "Late", "password1": NEW_PASSWORD, "password2": NEW_PASSWORD},
    )

    assert response.status_code == 410
    assert b"expired" in response.content
    assert not Person.objects.filter(email="late@example.org").exists()


def test_an_unknown_token_is_not_found(client):
    response = client.get(accept_url("not-a-real-token"))
    assert response.status_code == 404
    assert response.context["reason"] == "unknown"


def test_an_existing_account_gets_the_role_without_choosing_a_password(
    manager, agrifood, member_org, invite, client
):
    existing = PersonFactory(email="known@example.org")
    token = invite(
        manager, email="KNOWN@example.org", role="member", cluster=agrifood, organization=member_org
    )

    response = client.post(accept_url(token))

    assert response.status_code == 302
    assert OrganizationRole.objects.filter(person=existing, organization=member_org).exists()
    assert Person.objects.filter(email__iexact="known@example.org").count() == 1


def test_an_invitation_never_lowers_an_admin_to_member(
    org_admin, manager, agrifood, member_org, invite
):
    token = invite(
        manager, email=org_admin.email, role="member", cluster=agrifood, organization=member_org
    )

    invitation_accept(token=token)

    assert OrganizationRole.objects.get(person=org_admin, organization=member_org).role == "admin"


def test_the_invite_page_refuses_a_cluster_the_manager_does_not_manage(
    client, manager, mech, other_org
):
    client.force_login(manager)

    response = client.post(
        reverse("people:invite"),
        {
            "email": "x@example.org",
            "role": "org_admin",
            "cluster": mech.pk,
            "organization": other_org.pk,
        },
    )

    assert response.status_code == 200
    assert "cluster" in response.context["form"].errors
    assert not Invitation.objects.exists()
    assert not Membership.objects.filter(cluster=mech).exclude(organization=other_org).exists()


def test_the_invite_page_refuses_a_role_the_manager_may_not_grant(client, manager, agrifood):
    client.force_login(manager)

    response = client.post(
        reverse("people:invite"),
        {"email": "x@example.org", "role": "cluster_manager", "cluster": agrifood.pk},
    )

    assert "role" in response.context["form"].errors
    assert not Invitation.objects.exists()


def test_the_invite_page_sends_the_invitation_and_returns_to_the_members_page(
    client, manager, agrifood, member_org
):
    client.force_login(manager)
    members_page = reverse("registry_manage:members", args=["agrifood"])

    response = client.post(
        reverse("people:invite"),
        {
            "email": "new@example.org",
            "role": "member",
            "cluster": agrifood.pk,
            "organization": member_org.pk,
            "next": members_page,
        },
    )

    assert response.status_code == 302
    assert response["Location"] == members_page
    assert Invitation.objects.get().email == "new@example.org"
    assert len(mail.outbox) == 1


def test_the_invite_page_ignores_a_next_url_on_another_site(client, manager, agrifood, member_org):
    client.force_login(manager)

    response = client.post(
        reverse("people:invite"),
        {
            "email": "new@example.org",
            "role": "member",
            "cluster": agrifood.pk,
            "organization": member_org.pk,
            "next": "https://evil.example/",
        },
    )

    assert response["Location"] == reverse("people:invite")


def test_the_invite_page_lists_the_managers_member_organizations_not_the_whole_registry(
    client, manager, member_org, other_org
):
    client.force_login(manager)

    listed = client.get(reverse("people:invite")).context["form"].fields["organization"].queryset

    assert list(listed) == [member_org]


def test_a_manager_invites_an_organization_chosen_from_the_directory_into_their_cluster(
    client, manager, agrifood, other_org
):
    client.force_login(manager)
    page = client.get(reverse("people:invite"), {"organization": other_org.pk})
    assert page.context["form"]["organization"].value() == str(other_org.pk)

    client.post(
        reverse("people:invite"),
        {
            "email": "boss@meccanica.example",
            "role": "org_admin",
            "cluster": agrifood.pk,
            "organization": other_org.pk,
        },
    )

    assert Invitation.objects.get().organization == other_org
    membership = Membership.objects.get(organization=other_org, cluster=agrifood)
    assert membership.status == MembershipStatus.INVITED
