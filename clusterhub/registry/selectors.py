"""Reads from the registry, with their joins done and access checked."""

from dataclasses import dataclass

from django.db.models import Prefetch, Q, QuerySet
from django.http import Http404

from clusterhub.regions.models import Cluster
from clusterhub.registry.models import Membership, MembershipStatus, Organization
from clusterhub.registry.search import filter_by_text

PUBLIC_MEMBERSHIP_STATUSES = (MembershipStatus.ACTIVE,)


@dataclass(frozen=True)
class DirectoryFilters:
    """What a directory search asks for; every field is optional."""

    q: str = ""
    cluster: str = ""  # cluster slug
    kind: str = ""
    territory: str = ""  # NUTS-3 code
    s3_theme: str = ""  # S3 theme code
    competence: str = ""  # competence code
    htn_accredited: bool | None = None


def organization_directory(filters: DirectoryFilters) -> QuerySet[Organization]:
    """The public directory: every organization of the registry, filtered."""
    queryset = Organization.objects.select_related("territory")
    if filters.cluster:
        queryset = queryset.filter(
            memberships__cluster__slug=filters.cluster,
            memberships__status__in=PUBLIC_MEMBERSHIP_STATUSES,
        )
    if filters.kind:
        queryset = queryset.filter(kind=filters.kind)
    if filters.territory:
        queryset = queryset.filter(nuts3=filters.territory)
    if filters.s3_theme:
        queryset = queryset.filter(
            Q(s3_themes__code=filters.s3_theme) | Q(s3_themes__parent__code=filters.s3_theme)
        )
    if filters.competence:
        queryset = queryset.filter(
            Q(competences__code=filters.competence)
            | Q(competences__parent__code=filters.competence)
        )
    if filters.htn_accredited is not None:
        queryset = queryset.filter(htn_accredited=filters.htn_accredited)
    queryset = filter_by_text(queryset, filters.q)
    if filters.s3_theme or filters.competence:
        queryset = queryset.distinct()
    return queryset.order_by("normalized_name", "id")


def organization_public_get(*, organization_id: int) -> Organization:
    """One organization with what its public profile shows, or 404."""
    active = Membership.objects.filter(status__in=PUBLIC_MEMBERSHIP_STATUSES).select_related(
        "cluster"
    )
    organization = (
        Organization.objects.select_related("territory")
        .prefetch_related(
            "competences__parent",
            "s3_themes__parent",
            Prefetch("memberships", queryset=active, to_attr="public_memberships"),
        )
        .filter(pk=organization_id)
        .first()
    )
    if organization is None:
        raise Http404("No such organization")
    return organization


def clusters_managed_by(user: object) -> QuerySet[Cluster]:
    """Clusters this user may manage: all for a regional officer, own ones for a manager."""
    if not getattr(user, "is_authenticated", False):
        return Cluster.objects.none()
    if user.is_regional_officer:  # type: ignore[attr-defined]
        return Cluster.objects.all()
    return Cluster.objects.filter(staff_roles__person=user)


def cluster_get_for_manager(*, user: object, slug: str) -> Cluster:
    """A cluster the user manages, or 404 (never reveals another cluster's private data)."""
    cluster = clusters_managed_by(user).filter(slug=slug).first()
    if cluster is None:
        raise Http404("No such cluster")
    return cluster


def organizations_administered_by(user: object) -> QuerySet[Organization]:
    """Organizations whose profile this user may edit."""
    if not getattr(user, "is_authenticated", False):
        return Organization.objects.none()
    if user.is_regional_officer:  # type: ignore[attr-defined]
        return Organization.objects.all()
    return Organization.objects.filter(
        Q(person_roles__person=user, person_roles__role="admin")
        | Q(
            memberships__cluster__staff_roles__person=user,
        )
    ).distinct()


def organization_get_for_editor(*, user: object, organization_id: int) -> Organization:
    organization = organizations_administered_by(user).filter(pk=organization_id).first()
    if organization is None:
        raise Http404("No such organization")
    return organization
