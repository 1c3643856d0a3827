"""Reads from the registry, with their joins done and access checked."""

from collections import Counter
from dataclasses import dataclass

from django.core.paginator import Page, Paginator
from django.db.models import Count, OuterRef, Prefetch, Q, QuerySet, Subquery
from django.db.models.functions import Coalesce
from django.http import Http404

from clusterhub.regions.models import Cluster, Competence, S3Theme
from clusterhub.registry.models import (
    Membership,
    MembershipStatus,
    Organization,
    OrganizationKind,
    WorkingGroup,
)
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


def _hidden_visible_ids(user: object) -> set[int]:
    """Ids of hidden profiles a signed-in person may still see: their own organizations, and
    the members of the clusters they manage or belong to."""
    ids = set(Organization.objects.filter(person_roles__person=user).values_list("id", flat=True))
    cluster_ids = list(clusters_managed_by(user).values_list("id", flat=True)) + list(
        clusters_of_person(user).values_list("id", flat=True)
    )
    if cluster_ids:
        members = Membership.objects.filter(
            cluster_id__in=cluster_ids, organization__is_public=False
        )
        ids.update(members.values_list("organization_id", flat=True))
    return ids


def organizations_visible_to(user: object) -> QuerySet[Organization]:
    """Every profile this person may see: the public ones to anyone; hidden ones
    (`is_public` off) to their own people, their clusters' members and managers, and the
    Region's officers. Directory, profiles, matchmaking and the API all read through this."""
    everyone = Organization.objects.all()
    if not getattr(user, "is_authenticated", False):
        return everyone.filter(is_public=True)
    if user.is_regional_officer:  # type: ignore[attr-defined]
        return everyone
    return everyone.filter(Q(is_public=True) | Q(id__in=_hidden_visible_ids(user)))


def organization_directory(
    filters: DirectoryFilters, *, viewer: object = None
) -> QuerySet[Organization]:
    """The directory as `viewer` sees it (no viewer: the public one), filtered.

    Cluster and taxonomy codes are resolved to ids first: with constants in the query the
    planner estimates the matches right and keeps using the text index on large registries.
    """
    queryset = organizations_visible_to(viewer).select_related("territory")
    if filters.cluster:
        cluster_ids = list(
            Cluster.objects.filter(slug=filters.cluster).values_list("id", flat=True)
        )
        # A semi-join: no duplicate rows.
        members = Membership.objects.filter(
            cluster_id__in=cluster_ids, status__in=PUBLIC_MEMBERSHIP_STATUSES
        )
        queryset = queryset.filter(id__in=members.values("organization_id"))
    if filters.kind:
        queryset = queryset.filter(kind=filters.kind)
    if filters.territory:
        queryset = queryset.filter(nuts3=filters.territory)
    if filters.s3_theme:
        # A level-1 code stands for its whole area.
        theme_ids = _taxonomy_ids(S3Theme, filters.s3_theme)
        tagged = Organization.s3_themes.through.objects.filter(s3theme_id__in=theme_ids)
        queryset = queryset.filter(id__in=tagged.values("organization_id"))
    if filters.competence:
        competence_ids = _taxonomy_ids(Competence, filters.competence)
        tagged = Organization.competences.through.objects.filter(competence_id__in=competence_ids)
        queryset = queryset.filter(id__in=tagged.values("organization_id"))
    if filters.htn_accredited is not None:
        queryset = queryset.filter(htn_accredited=filters.htn_accredited)
    queryset = filter_by_text(queryset, filters.q)
    return queryset.order_by("normalized_name", "id")


def _taxonomy_ids(model: type[Competence] | type[S3Theme], code: str) -> list[int]:
    """The node with this code and, for a level-1 node, its children."""
    return list(
        model.objects.filter(Q(code=code) | Q(parent__code=code)).values_list("id", flat=True)
    )


def _public_memberships() -> Prefetch:
    active = Membership.objects.filter(status__in=PUBLIC_MEMBERSHIP_STATUSES).select_related(
        "cluster"
    )
    return Prefetch(
        "memberships", queryset=active.order_by("cluster__position"), to_attr="public_memberships"
    )


def organization_directory_page(
    filters: DirectoryFilters, *, viewer: object = None, page_number: object = 1, per_page: int = 25
) -> Page:
    """One page of the directory, with what a result card shows already loaded.

    The query count is fixed whatever the page size. A search reads the ordered ids of all
    matches once (they give the count too), then loads the page's rows: on a large registry
    that is half the work of a COUNT plus an ORDER BY over the same matches.
    """
    details = (
        Organization.objects.select_related("territory")
        .prefetch_related(
            _public_memberships(),
            Prefetch("competences", queryset=Competence.objects.order_by("position", "code")),
        )
        .defer("search_text", "description", "equipment", "competence_notes")
    )
    if filters == DirectoryFilters() and not getattr(viewer, "is_authenticated", False):
        # Browsing everything: the directory index serves the page and the count directly.
        public = details.filter(is_public=True).order_by("normalized_name", "id")
        return Paginator(public, per_page).get_page(page_number)
    ids = list(organization_directory(filters, viewer=viewer).values_list("id", flat=True))
    page = Paginator(ids, per_page).get_page(page_number)
    loaded = details.in_bulk(list(page.object_list))
    page.object_list = [loaded[pk] for pk in page.object_list if pk in loaded]
    return page


def organization_public_get(*, organization_id: int, viewer: object = None) -> Organization:
    """One organization with what its profile shows, or 404 when `viewer` may not see it."""
    organization = (
        organizations_visible_to(viewer)
        .select_related("territory")
        .prefetch_related(
            Prefetch(
                "competences",
                queryset=Competence.objects.select_related("parent").order_by(
                    "parent__position", "position", "code"
                ),
            ),
            "s3_themes__parent",
            _public_memberships(),
            Prefetch(
                "working_groups",
                queryset=WorkingGroup.objects.select_related("cluster").order_by(
                    "cluster__position", "name"
                ),
            ),
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
    """Organizations whose profile this user may edit.

    A cluster manager edits the active members of their clusters; adding an organization
    as invited gives no edit rights until it accepts.
    """
    if not getattr(user, "is_authenticated", False):
        return Organization.objects.none()
    if user.is_regional_officer:  # type: ignore[attr-defined]
        return Organization.objects.all()
    return Organization.objects.filter(
        Q(person_roles__person=user, person_roles__role="admin")
        | Q(
            memberships__cluster__staff_roles__person=user,
            memberships__status=MembershipStatus.ACTIVE,
        )
    ).distinct()


def organization_get_for_editor(*, user: object, organization_id: int) -> Organization:
    organization = organizations_administered_by(user).filter(pk=organization_id).first()
    if organization is None:
        raise Http404("No such organization")
    return organization


def cluster_memberships_for_manager(*, cluster: Cluster) -> QuerySet[Membership]:
    """Every membership of a managed cluster, whatever its status, for the members page."""
    return (
        Membership.objects.filter(cluster=cluster)
        .select_related("organization", "organization__territory")
        .order_by("status", "organization__normalized_name")
    )


def membership_get_for_manager(*, user: object, slug: str, membership_id: int) -> Membership:
    """A membership of a cluster the user manages, or 404 (ids of other clusters' rows too)."""
    cluster = cluster_get_for_manager(user=user, slug=slug)
    membership = (
        Membership.objects.select_related("organization", "cluster")
        .filter(cluster=cluster, pk=membership_id)
        .first()
    )
    if membership is None:
        raise Http404("No such membership")
    return membership


def directory_totals() -> dict[str, int]:
    """Headline figures of the public registry."""
    return Organization.objects.filter(is_public=True).aggregate(
        organizations=Count("id"),
        labs=Count("id", filter=Q(htn_accredited=True)),
    ) | {"clusters": Cluster.objects.count()}


def _count_per_cluster(queryset: QuerySet) -> Coalesce:  # type: ignore[type-arg]
    """A correlated count, so several counts on one cluster row do not multiply joins."""
    counted = (
        queryset.filter(cluster=OuterRef("pk")).order_by().values("cluster").annotate(n=Count("id"))
    )
    return Coalesce(Subquery(counted.values("n")), 0)


def clusters_with_figures(clusters: QuerySet[Cluster] | None = None) -> QuerySet[Cluster]:
    """Clusters annotated with their public figures: members, accredited labs, working groups."""
    active = Membership.objects.filter(status__in=PUBLIC_MEMBERSHIP_STATUSES)
    base = Cluster.objects.all() if clusters is None else clusters
    return (
        base.select_related("group")
        .annotate(
            member_count=_count_per_cluster(active),
            # A semi-join on accredited ids: no lookup of every member's row.
            lab_count=_count_per_cluster(
                active.filter(organization__in=Organization.objects.filter(htn_accredited=True))
            ),
            working_group_count=_count_per_cluster(WorkingGroup.objects.all()),
        )
        .order_by("group__position", "position", "slug")
    )


def cluster_public_get(*, slug: str) -> Cluster:
    """A cluster's public page: its description and working groups, or 404."""
    groups = WorkingGroup.objects.annotate(organization_count=Count("organizations"))
    cluster = (
        clusters_with_figures(Cluster.objects.filter(slug=slug))
        .prefetch_related(Prefetch("working_groups", queryset=groups))
        .first()
    )
    if cluster is None:
        raise Http404("No such cluster")
    return cluster


def cluster_member_breakdown(
    *, cluster: Cluster
) -> tuple[list[tuple[str, int]], list[tuple[str, int]]]:
    """The cluster's active members counted by kind and by province, largest first.

    One grouped query serves both counts. A province is "" for members outside every province.
    """
    labels = dict(OrganizationKind.choices)
    rows = (
        Organization.objects.filter(
            memberships__cluster=cluster, memberships__status__in=PUBLIC_MEMBERSHIP_STATUSES
        )
        .values_list("kind", "territory__name")
        .annotate(count=Count("id"))
        .order_by()
    )
    by_kind: Counter[str] = Counter()
    by_province: Counter[str] = Counter()
    for kind, province, count in rows:
        by_kind[str(labels.get(kind, kind))] += count
        by_province[province or ""] += count
    return _largest_first(by_kind), _largest_first(by_province)


def _largest_first(counts: Counter[str]) -> list[tuple[str, int]]:
    return sorted(counts.items(), key=lambda item: (-item[1], item[0]))


def cluster_members_preview(
    *, cluster: Cluster, viewer: object = None, limit: int = 12
) -> list[Organization]:
    """The first active members of a cluster that `viewer` may see, accredited labs first."""
    return list(
        organizations_visible_to(viewer)
        .filter(memberships__cluster=cluster, memberships__status__in=PUBLIC_MEMBERSHIP_STATUSES)
        .select_related("territory")
        .order_by("-htn_accredited", "normalized_name", "id")[:limit]
    )


def organizations_of_person(user: object) -> list[tuple[Organization, str]]:
    """(organization, role) for each organization this person belongs to."""
    if not getattr(user, "is_authenticated", False):
        return []
    organizations = (
        Organization.objects.filter(person_roles__person=user)
        .select_related("territory")
        .prefetch_related(_public_memberships())
        .order_by("normalized_name")
    )
    roles = dict(user.organization_roles.values_list("organization_id", "role"))  # type: ignore[attr-defined]
    return [(organization, roles[organization.pk]) for organization in organizations]


def clusters_of_person(user: object) -> QuerySet[Cluster]:
    """Clusters where one of this person's organizations is an active member."""
    if not getattr(user, "is_authenticated", False):
        return Cluster.objects.none()
    member_of = Membership.objects.filter(
        organization__person_roles__person=user, status__in=PUBLIC_MEMBERSHIP_STATUSES
    )
    return Cluster.objects.filter(pk__in=member_of.values("cluster"))


def cluster_member_counts_by_kind(*, cluster: Cluster) -> dict[str, int]:
    """{kind code: count} of the cluster's active members, for the API."""
    rows = (
        Organization.objects.filter(
            memberships__cluster=cluster, memberships__status__in=PUBLIC_MEMBERSHIP_STATUSES
        )
        .values("kind")
        .annotate(count=Count("id"))
        .order_by("kind")
    )
    return {row["kind"]: row["count"] for row in rows}


def organization_directory_loaded(
    filters: DirectoryFilters, *, viewer: object = None
) -> QuerySet[Organization]:
    """The directory with what an API item or an open-data row shows already loaded."""
    return organization_directory(filters, viewer=viewer).prefetch_related(
        _public_memberships(),
        Prefetch("competences", queryset=Competence.objects.order_by("position", "code")),
        "s3_themes",
    )
