"""Reads of contributions, with access checked: objects outside the caller's reach are 404.

Who sees what:
- approved and merged contributions: everyone when public, the people of their clusters'
  member organizations when "members";
- pending and closed ones: their author, the people of their organization, the managers of
  their clusters;
- everything: the Region's officers.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from typing import Any

from django.db.models import Count, Prefetch, Q, QuerySet
from django.http import Http404

from clusterhub.contributions.analysis import SIMILAR_THRESHOLD, cosine_scores
from clusterhub.contributions.models import (
    Comment,
    Contribution,
    ContributionStatus,
    ContributionVisibility,
    Endorsement,
)
from clusterhub.regions.models import Cluster
from clusterhub.registry.models import Membership, Organization
from clusterhub.registry.selectors import (
    PUBLIC_MEMBERSHIP_STATUSES,
    clusters_managed_by,
    clusters_of_person,
)

# Statuses the audience of a contribution sees (a merged one keeps its page and comments).
SHOWN_STATUSES = (ContributionStatus.APPROVED, ContributionStatus.MERGED)
# Statuses a moderator can still act on (and a merge can point to).
OPEN_STATUSES = (ContributionStatus.PENDING, ContributionStatus.APPROVED)


def _signed_in(user: object) -> bool:
    return bool(getattr(user, "is_authenticated", False))


def _in_clusters(cluster_ids: Any) -> QuerySet[Contribution]:
    through = Contribution.clusters.through.objects.filter(cluster_id__in=cluster_ids)
    return through.values("contribution_id")  # type: ignore[return-value]


def contributions_visible_to(user: object) -> QuerySet[Contribution]:
    """Every contribution this person may see (see the module's docstring)."""
    everything = Contribution.objects.all()
    shown_public = Q(status__in=SHOWN_STATUSES, visibility=ContributionVisibility.PUBLIC)
    if not _signed_in(user):
        return everything.filter(shown_public)
    if user.is_regional_officer:  # type: ignore[attr-defined]
        return everything
    own_organizations = Organization.objects.filter(person_roles__person=user).values("id")
    member_of = clusters_of_person(user).values("id")
    managed = clusters_managed_by(user).values("id")
    return everything.filter(
        shown_public
        | Q(status__in=SHOWN_STATUSES, id__in=_in_clusters(member_of))
        | Q(author=user)
        | Q(organization_id__in=own_organizations)
        | Q(id__in=_in_clusters(managed))
    )


def _with_details(queryset: QuerySet[Contribution]) -> QuerySet[Contribution]:
    return (
        queryset.select_related("organization", "author", "merged_into")
        .prefetch_related(
            Prefetch("clusters", queryset=Cluster.objects.order_by("position")),
            "s3_themes",
            "competences",
        )
        .annotate(
            endorsement_count=Count("endorsements", distinct=True),
            comment_count=Count("comments", distinct=True),
        )
        .defer("embedding")
    )


@dataclass(frozen=True)
class ContributionFilters:
    cluster: str = ""  # slug
    kind: str = ""
    status: str = ""  # "" = what the viewer normally browses (approved, plus their own)
    q: str = ""
    mine: bool = False


def contribution_list(*, viewer: object, filters: ContributionFilters) -> QuerySet[Contribution]:
    """The contributions `viewer` may see, filtered, newest first, with counts loaded."""
    queryset = contributions_visible_to(viewer)
    if filters.mine and _signed_in(viewer):
        queryset = queryset.filter(
            Q(author=viewer) | Q(organization_id__in=organizations_of(viewer).values("id"))
        )
    if filters.status:
        queryset = queryset.filter(status=filters.status)
    elif filters.mine:
        pass  # one's own, in every status
    elif _signed_in(viewer):
        queryset = queryset.filter(
            Q(status=ContributionStatus.APPROVED)
            | Q(status=ContributionStatus.PENDING, author=viewer)
        )
    else:
        queryset = queryset.filter(status=ContributionStatus.APPROVED)
    if filters.cluster:
        queryset = queryset.filter(
            id__in=_in_clusters(Cluster.objects.filter(slug=filters.cluster).values("id"))
        )
    if filters.kind:
        queryset = queryset.filter(kind=filters.kind)
    if filters.q:
        queryset = queryset.filter(Q(title__icontains=filters.q) | Q(text__icontains=filters.q))
    return _with_details(queryset).order_by("-created_at", "-id")


def contribution_get(*, viewer: object, contribution_id: int) -> Contribution:
    """One contribution with its details, or 404 when `viewer` may not see it."""
    contribution = (
        _with_details(contributions_visible_to(viewer)).filter(pk=contribution_id).first()
    )
    if contribution is None:
        raise Http404("No such contribution")
    return contribution


def contribution_comments(contribution: Contribution) -> list[Comment]:
    return list(contribution.comments.select_related("author", "organization"))


def contribution_endorsements(contribution: Contribution) -> list[Endorsement]:
    return list(contribution.endorsements.select_related("organization"))


def contribution_get_for_moderator(*, user: object, contribution_id: int) -> Contribution:
    """A contribution in a cluster `user` manages (officers: any), else 404."""
    managed = clusters_managed_by(user).values("id")
    found = (
        Contribution.objects.filter(pk=contribution_id, id__in=_in_clusters(managed))
        .select_related("organization")
        .first()
    )
    if found is None:
        raise Http404("No such contribution")
    return found


def may_moderate(user: object, contribution: Contribution) -> bool:
    if not _signed_in(user):
        return False
    managed = clusters_managed_by(user).values("id")
    return contribution.clusters.filter(id__in=managed).exists()


def moderation_queue(*, user: object) -> QuerySet[Contribution]:
    """Pending contributions of the clusters `user` manages, oldest first."""
    managed = clusters_managed_by(user).values("id")
    pending = Contribution.objects.filter(
        status=ContributionStatus.PENDING, id__in=_in_clusters(managed)
    )
    return _with_details(pending).select_related("suspected_duplicate").order_by("created_at", "id")


def organizations_of(user: object) -> QuerySet[Organization]:
    if not _signed_in(user):
        return Organization.objects.none()
    return Organization.objects.filter(person_roles__person=user).order_by("normalized_name")


def posting_organizations(user: object) -> QuerySet[Organization]:
    """The user's organizations that are active members of some cluster (they may post)."""
    active = Membership.objects.filter(status__in=PUBLIC_MEMBERSHIP_STATUSES).values(
        "organization_id"
    )
    return organizations_of(user).filter(id__in=active)


def posting_clusters(organizations: Any) -> QuerySet[Cluster]:
    """Clusters where one of `organizations` is an active member."""
    active = Membership.objects.filter(
        organization__in=organizations, status__in=PUBLIC_MEMBERSHIP_STATUSES
    ).values("cluster_id")
    return Cluster.objects.filter(id__in=active).order_by("position", "slug")


def endorsing_organizations(*, user: object, contribution: Contribution) -> list[Organization]:
    """The user's organizations that may endorse: active members of one of its clusters,
    other than the organization that posted it. Only approved contributions are endorsed."""
    if contribution.status != ContributionStatus.APPROVED:
        return []
    cluster_ids = contribution.clusters.values("id")
    members = Membership.objects.filter(
        cluster_id__in=cluster_ids, status__in=PUBLIC_MEMBERSHIP_STATUSES
    ).values("organization_id")
    return list(
        organizations_of(user).filter(id__in=members).exclude(id=contribution.organization_id)
    )


def endorsed_by(*, user: object, contribution: Contribution) -> set[int]:
    """Ids of the user's organizations that endorse this contribution."""
    return set(
        contribution.endorsements.filter(organization__in=organizations_of(user)).values_list(
            "organization_id", flat=True
        )
    )


def similar_contributions(
    *,
    vector: Any,
    cluster_ids: list[int],
    viewer: object = None,
    exclude_id: int | None = None,
    threshold: float = SIMILAR_THRESHOLD,
    limit: int = 5,
) -> list[tuple[Contribution, float]]:
    """Open contributions of these clusters whose text is close to `vector`, best first.

    With a `viewer`, only those the viewer may see (an author is shown what they can
    endorse); without, all of them (the flag for the managers).
    """
    candidates = Contribution.objects.filter(
        status__in=OPEN_STATUSES, id__in=_in_clusters(cluster_ids)
    ).exclude(embedding=b"")
    if viewer is not None:
        candidates = candidates.filter(id__in=contributions_visible_to(viewer).values("id"))
    if exclude_id is not None:
        candidates = candidates.exclude(pk=exclude_id)
    scores = [
        (pk, score)
        for pk, score in cosine_scores(vector, candidates.values_list("id", "embedding"))
        if score >= threshold
    ][:limit]
    rows = _with_details(Contribution.objects.filter(id__in=[pk for pk, _s in scores])).in_bulk()
    return [(rows[pk], score) for pk, score in scores if pk in rows]


def merge_candidates(
    *, user: object, contribution: Contribution
) -> list[tuple[Contribution, float | None]]:
    """Open contributions of the clusters `user` manages that this one could be merged into:
    its suspected duplicate first, then the most similar ones."""
    managed = list(clusters_managed_by(user).values_list("id", flat=True))
    shared = [c.pk for c in contribution.clusters.all() if c.pk in managed]
    found: list[tuple[Contribution, float | None]] = []
    if contribution.embedding:
        from clusterhub.contributions.analysis import from_bytes

        found = list(
            similar_contributions(
                vector=from_bytes(contribution.embedding),
                cluster_ids=shared,
                exclude_id=contribution.pk,
                threshold=0.5,
                limit=8,
            )
        )
    duplicate = contribution.suspected_duplicate
    if (
        duplicate is not None
        and duplicate.status in OPEN_STATUSES
        and duplicate.pk not in {c.pk for c, _s in found}
    ):
        if duplicate.clusters.filter(id__in=managed).exists():
            found.insert(0, (duplicate, contribution.duplicate_score))
    elif duplicate is not None:
        found.sort(key=lambda pair: pair[0].pk != duplicate.pk)
    return found


def contribution_history(contribution: Contribution) -> QuerySet[Any]:
    return contribution.history.select_related("actor")


# --- For other apps ------------------------------------------------------------------------


def contributions_of_cluster(
    cluster: Cluster, *, kind: str = "", statuses: tuple[str, ...] = (ContributionStatus.APPROVED,)
) -> QuerySet[Contribution]:
    """A cluster's contributions (approved by default), of one kind when given, newest first,
    with `endorsement_count` and `comment_count`; `merged_contributions` hold the evidence
    merged into each. Not filtered by viewer: callers show them to the cluster's managers."""
    queryset = Contribution.objects.filter(status__in=statuses, id__in=_in_clusters([cluster.pk]))
    if kind:
        queryset = queryset.filter(kind=kind)
    return _with_details(queryset).order_by("-created_at", "-id")


def contribution_activity_by_organization(
    organization_ids: list[int] | None = None,
) -> dict[int, dict[str, int]]:
    """{organization id: {"contributions", "endorsements", "comments"}} counted over all
    statuses but closed ones (engagement counts what organizations did)."""
    activity: dict[int, dict[str, int]] = defaultdict(
        lambda: {"contributions": 0, "endorsements": 0, "comments": 0}
    )
    sources: list[tuple[str, QuerySet[Any]]] = [
        ("contributions", Contribution.objects.exclude(status=ContributionStatus.CLOSED)),
        ("endorsements", Endorsement.objects.all()),
        ("comments", Comment.objects.filter(organization__isnull=False)),
    ]
    for key, queryset in sources:
        if organization_ids is not None:
            queryset = queryset.filter(organization_id__in=organization_ids)
        for row in queryset.values("organization_id").annotate(n=Count("id")):
            activity[row["organization_id"]][key] = row["n"]
    return dict(activity)
