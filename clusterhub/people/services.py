"""Writes about people: invitations and their acceptance, profile changes."""

import hashlib
import secrets
from dataclasses import dataclass
from datetime import timedelta

from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.mail import send_mail
from django.db import transaction
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from clusterhub.audit.context import acting_as
from clusterhub.people.models import (
    ClusterRole,
    Invitation,
    InvitationRole,
    OrganizationRole,
    OrganizationRoleKind,
    Person,
)
from clusterhub.people.selectors import invitation_roles_for
from clusterhub.regions.models import Cluster
from clusterhub.registry.models import Membership, MembershipStatus, Organization
from clusterhub.registry.selectors import clusters_managed_by
from clusterhub.registry.services import membership_upsert

INVITATION_VALIDITY = timedelta(days=14)


def token_hash(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def _check_may_invite(
    *, inviter: Person, role: str, cluster: Cluster | None, organization: Organization | None
) -> None:
    """Refuse an invitation the inviter has no right to send, whatever the request said."""
    if role not in invitation_roles_for(inviter):
        raise PermissionDenied(_("You may not invite people with this role."))
    if inviter.is_regional_officer:
        return
    if inviter.cluster_roles.exists():
        if cluster is None or not clusters_managed_by(inviter).filter(pk=cluster.pk).exists():
            raise PermissionDenied(_("You may only invite people into a cluster you manage."))
        return
    # An organization admin invites member users of an organization they administer.
    if (
        organization is None
        or not inviter.organization_roles.filter(
            organization=organization, role=OrganizationRoleKind.ADMIN
        ).exists()
    ):
        raise PermissionDenied(_("You may only invite people into an organization you administer."))


@transaction.atomic
def invitation_create(
    *,
    inviter: Person,
    email: str,
    role: str,
    site_url: str,
    cluster: Cluster | None = None,
    organization: Organization | None = None,
) -> tuple[Invitation, str]:
    """Invite someone by email; returns the invitation and its token (sent, never stored).

    A cluster invitation for an organization that is not yet in the cluster records the
    organization's membership as `invited`; an existing membership is left as it is.
    """
    if role == InvitationRole.CLUSTER_MANAGER:
        if cluster is None:
            raise ValidationError({"cluster": _("A cluster manager needs a cluster.")})
        organization = None
    elif organization is None:
        raise ValidationError({"organization": _("Choose the organization of the person.")})
    _check_may_invite(inviter=inviter, role=role, cluster=cluster, organization=organization)

    token = secrets.token_urlsafe(32)
    invitation = Invitation(
        email=Person.objects.normalize_email(email).lower(),
        role=role,
        cluster=cluster,
        organization=organization,
        token_hash=token_hash(token),
        invited_by=inviter,
        expires_at=timezone.now() + INVITATION_VALIDITY,
    )
    invitation.full_clean()
    invitation.save()
    joins_cluster = cluster is not None and organization is not None
    if (
        joins_cluster
        and not Membership.objects.filter(organization=organization, cluster=cluster).exists()
    ):
        membership_upsert(
            organization=organization, cluster=cluster, status=MembershipStatus.INVITED
        )
    link = site_url.rstrip("/") + reverse("people:invitation_accept", args=[token])
    context = {"invitation": invitation, "link": link, "days": INVITATION_VALIDITY.days}
    send_mail(
        subject=_("You are invited to clusterhub"),
        message=render_to_string("people/invitation_email.txt", context),
        from_email=None,
        recipient_list=[invitation.email],
    )
    return invitation, token


class InvitationUnusable(Exception):
    """The token is unknown, already used or expired; `reason` says which."""

    def __init__(self, reason: str) -> None:
        super().__init__(reason)
        self.reason = reason


def invitation_for_token(token: str) -> Invitation:
    """The usable invitation behind a token, or InvitationUnusable."""
    invitation = (
        Invitation.objects.select_related("cluster", "organization")
        .filter(token_hash=token_hash(token))
        .first()
    )
    if invitation is None:
        raise InvitationUnusable("unknown")
    if invitation.accepted_at is not None:
        raise InvitationUnusable("accepted")
    if invitation.expires_at <= timezone.now():
        raise InvitationUnusable("expired")
    return invitation


@dataclass(frozen=True)
class Acceptance:
    person: Person
    created: bool  # a new account was made for the invited email


@transaction.atomic
def invitation_accept(*, token: str, full_name: str = "", password: str = "") -> Acceptance:
    """Use an invitation once: make the account if the email has none, then grant the role."""
    found = invitation_for_token(token)
    # Lock the row so two concurrent acceptances cannot both succeed.
    invitation = Invitation.objects.select_for_update().get(pk=found.pk)
    if invitation.accepted_at is not None:
        raise InvitationUnusable("accepted")

    person = Person.objects.filter(email__iexact=invitation.email).first()
    created = person is None
    if person is None:
        full_name = full_name.strip()
        if not full_name:
            raise ValidationError({"full_name": _("Enter your name.")})
        person = Person(email=invitation.email, full_name=full_name)
        validate_password(password, user=person)
        person.set_password(password)
        person.full_clean()
        person.save()

    # The audit trail names the inviter, who chose the role, as the one who granted it.
    with acting_as(invitation.invited_by, note=f"invitation accepted by {person.email}"):
        _grant_invited_role(invitation, person)

    invitation.accepted_at = timezone.now()
    invitation.accepted_by = person
    invitation.save(update_fields=["accepted_at", "accepted_by"])
    # Accepting is agreeing to the terms of use and privacy notice in force (privacy app).
    from clusterhub.privacy.services import terms_consent_record

    terms_consent_record(person=person)
    return Acceptance(person=person, created=created)


def _grant_invited_role(invitation: Invitation, person: Person) -> None:
    if invitation.role == InvitationRole.CLUSTER_MANAGER:
        ClusterRole.objects.get_or_create(person=person, cluster=invitation.cluster)
    else:
        kind = (
            OrganizationRoleKind.ADMIN
            if invitation.role == InvitationRole.ORG_ADMIN
            else OrganizationRoleKind.MEMBER
        )
        role, role_created = OrganizationRole.objects.get_or_create(
            person=person, organization=invitation.organization, defaults={"role": kind}
        )
        # An invitation may raise a member to admin, never lower an admin.
        if not role_created and kind == OrganizationRoleKind.ADMIN and role.role != kind:
            role.role = kind
            role.save(update_fields=["role"])
        if invitation.cluster is not None:
            _activate_invited_membership(invitation)


def _activate_invited_membership(invitation: Invitation) -> None:
    membership = Membership.objects.filter(
        organization=invitation.organization,
        cluster=invitation.cluster,
        status=MembershipStatus.INVITED,
    ).first()
    if membership is not None:
        membership_upsert(
            organization=membership.organization,
            cluster=membership.cluster,
            role=membership.role,
            status=MembershipStatus.ACTIVE,
            since=membership.since or timezone.localdate(),
            until=membership.until,
        )


@transaction.atomic
def person_update_profile(*, person: Person, full_name: str, language: str) -> Person:
    person.full_name = full_name.strip()
    person.language = language
    person.full_clean()
    person.save(update_fields=["full_name", "language"])
    return person
