"""Reads about people, their roles and invitations, scoped to what the caller may see."""

from django.db.models import QuerySet
from django.utils import timezone

from clusterhub.people.models import (
    ClusterRole,
    Invitation,
    InvitationRole,
    OrganizationRole,
    OrganizationRoleKind,
    Person,
)
from clusterhub.regions.models import Cluster
from clusterhub.registry.models import Organization
from clusterhub.registry.selectors import clusters_managed_by


def cluster_roles_of(person: Person) -> QuerySet[ClusterRole]:
    return person.cluster_roles.select_related("cluster").order_by("cluster__position")


def organization_roles_of(person: Person) -> QuerySet[OrganizationRole]:
    return person.organization_roles.select_related("organization").order_by(
        "organization__normalized_name"
    )


def cluster_people(*, cluster: Cluster) -> QuerySet[OrganizationRole]:
    """People of the organizations with a membership (of any status) in this cluster."""
    return (
        OrganizationRole.objects.filter(organization__memberships__cluster=cluster)
        .select_related("person", "organization")
        .order_by("organization__normalized_name", "person__email")
        .distinct()
    )


def cluster_managers(*, cluster: Cluster) -> QuerySet[ClusterRole]:
    return ClusterRole.objects.filter(cluster=cluster).select_related("person")


def pending_invitations(*, cluster: Cluster) -> QuerySet[Invitation]:
    return (
        Invitation.objects.filter(
            cluster=cluster, accepted_at__isnull=True, expires_at__gt=timezone.now()
        )
        .select_related("organization", "invited_by")
        .order_by("-created_at")
    )


def invitation_clusters_for(person: Person) -> QuerySet[Cluster]:
    """Clusters this person may invite people into."""
    return clusters_managed_by(person)


def invitation_organizations_for(person: Person) -> QuerySet[Organization]:
    """Organizations this person may invite people of.

    Managers and officers may invite any organization of the registry into a cluster
    (its membership starts as invited); an organization admin only their own.
    """
    if person.is_regional_officer or person.cluster_roles.exists():
        return Organization.objects.order_by("normalized_name")
    return Organization.objects.filter(
        person_roles__person=person, person_roles__role=OrganizationRoleKind.ADMIN
    ).order_by("normalized_name")


def invitation_organizations_listed_for(
    person: Person, *, chosen: object = None
) -> QuerySet[Organization]:
    """What the invite form lists: organizations of the clusters the person manages (or
    their own), plus one chosen elsewhere (e.g. from a profile page), never the whole registry.
    """
    if person.is_regional_officer or person.cluster_roles.exists():
        listed = Organization.objects.filter(memberships__cluster__in=clusters_managed_by(person))
    else:
        listed = invitation_organizations_for(person)
    if str(chosen or "").isdigit():
        listed = listed | invitation_organizations_for(person).filter(pk=int(str(chosen)))
    return listed.distinct().order_by("normalized_name")


def invitation_roles_for(person: Person) -> list[str]:
    """The roles this person may invite others into (empty: may not invite)."""
    if person.is_regional_officer:
        return [InvitationRole.CLUSTER_MANAGER, InvitationRole.ORG_ADMIN, InvitationRole.MEMBER]
    if person.cluster_roles.exists():
        return [InvitationRole.ORG_ADMIN, InvitationRole.MEMBER]
    if person.organization_roles.filter(role=OrganizationRoleKind.ADMIN).exists():
        return [InvitationRole.MEMBER]
    return []


def invitation_role_choices_for(person: Person) -> list[tuple[str, str]]:
    allowed = set(invitation_roles_for(person))
    return [(value, label) for value, label in InvitationRole.choices if value in allowed]


def person_for_email(email: str) -> Person | None:
    return Person.objects.filter(email__iexact=email).first()
