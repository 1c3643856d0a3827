"""Reads of opportunities: the open feed, the archive, one opportunity, and the ranking of
the open ones for an organization (the matchmaking encoder plus cluster and theme overlap).

Open means the deadline is today or later; the day after, the same rows are the archive.
"""

from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

from django.db.models import Prefetch, Q, QuerySet
from django.http import Http404
from django.utils import timezone

from clusterhub.opportunities.models import Opportunity
from clusterhub.opportunities.ranking import Score, from_bytes, organization_vector, score
from clusterhub.regions.models import Cluster, S3Theme
from clusterhub.registry.models import Membership, MembershipStatus, Organization
from clusterhub.registry.selectors import clusters_managed_by

DEFAULT_LIMIT = 20
MAX_LIMIT = 100


def today() -> date:
    return timezone.localdate()


@dataclass(frozen=True)
class OpportunityFilters:
    cluster: str = ""  # cluster slug
    kind: str = ""
    theme: str = ""  # S3 theme code: the theme, or any theme of that area
    archived: bool = False


def _loaded(queryset: QuerySet[Opportunity]) -> QuerySet[Opportunity]:
    return queryset.defer("vector").prefetch_related(
        Prefetch("clusters", queryset=Cluster.objects.order_by("position", "slug")),
        Prefetch("s3_themes", queryset=S3Theme.objects.order_by("level", "position", "code")),
    )


def open_opportunities(*, on: date | None = None) -> QuerySet[Opportunity]:
    """Opportunities whose deadline has not passed, soonest deadline first."""
    return Opportunity.objects.filter(deadline__gte=on or today()).order_by("deadline", "id")


def archived_opportunities(*, on: date | None = None) -> QuerySet[Opportunity]:
    """Opportunities whose deadline has passed, most recent first."""
    return Opportunity.objects.filter(deadline__lt=on or today()).order_by("-deadline", "-id")


def opportunity_list(filters: OpportunityFilters = OpportunityFilters()) -> QuerySet[Opportunity]:  # noqa: B008
    queryset = archived_opportunities() if filters.archived else open_opportunities()
    if filters.cluster:
        queryset = queryset.filter(clusters__slug=filters.cluster)
    if filters.kind:
        queryset = queryset.filter(kind=filters.kind)
    if filters.theme:
        queryset = queryset.filter(
            Q(s3_themes__code=filters.theme) | Q(s3_themes__parent__code=filters.theme)
        )
    return _loaded(queryset.distinct())


def opportunity_public_get(*, opportunity_id: int) -> Opportunity:
    """Any opportunity, open or archived (they are public), or 404."""
    opportunity = (
        _loaded(Opportunity.objects.select_related("created_by")).filter(pk=opportunity_id).first()
    )
    if opportunity is None:
        raise Http404("No such opportunity")
    return opportunity


def opportunities_editable_by(user: object) -> QuerySet[Opportunity]:
    """Officers edit every opportunity; a manager those of their clusters and their own."""
    if not getattr(user, "is_authenticated", False):
        return Opportunity.objects.none()
    if user.is_regional_officer:  # type: ignore[attr-defined]
        return Opportunity.objects.all()
    managed = clusters_managed_by(user)
    return Opportunity.objects.filter(
        Q(clusters__in=managed) | Q(created_by=user, clusters__isnull=True)
    ).distinct()


def opportunity_get_for_editor(*, user: object, opportunity_id: int) -> Opportunity:
    opportunity = opportunities_editable_by(user).filter(pk=opportunity_id).first()
    if opportunity is None:
        raise Http404("No such opportunity")
    return opportunity


def may_manage_opportunities(user: object) -> bool:
    return clusters_managed_by(user).exists()


def publishable_contributions(user: object) -> QuerySet[Any]:
    """Members' approved financing and internationalization posts in the clusters this user
    manages (all for officers) that are not opportunities yet."""
    from clusterhub.contributions.models import Contribution, ContributionStatus

    if not getattr(user, "is_authenticated", False):
        return Contribution.objects.none()
    posts = Contribution.objects.filter(
        status=ContributionStatus.APPROVED,
        kind__in=["financing", "internationalization"],
        opportunities__isnull=True,
    )
    if not user.is_regional_officer:  # type: ignore[attr-defined]
        posts = posts.filter(clusters__in=clusters_managed_by(user))
    return posts.select_related("organization").distinct().order_by("-created_at", "-id")


def publishable_contribution_get(*, user: object, contribution_id: int) -> Any:
    post = publishable_contributions(user).filter(pk=contribution_id).first()
    if post is None:
        raise Http404("No such post to publish")
    return post


# --- Ranking for an organization -----------------------------------------------------------


@dataclass(frozen=True)
class RankedOpportunity:
    opportunity: Opportunity
    rank: int
    score: Score


def _organization_cluster_ids(organization: Organization) -> set[int]:
    return set(
        Membership.objects.filter(
            organization=organization, status=MembershipStatus.ACTIVE
        ).values_list("cluster_id", flat=True)
    )


def ranked_opportunities_for(
    organization: Organization,
    *,
    limit: int = DEFAULT_LIMIT,
    created_after: datetime | None = None,
    on: date | None = None,
) -> list[RankedOpportunity]:
    """The open opportunities best suited to this organization, best first, each with the
    parts of its score. `created_after`: only those published since then (the digest)."""
    limit = max(1, min(int(limit), MAX_LIMIT))
    queryset = open_opportunities(on=on)
    if created_after is not None:
        queryset = queryset.filter(created_at__gt=created_after)
    opportunities = list(
        queryset.prefetch_related(
            Prefetch("clusters", queryset=Cluster.objects.order_by("position", "slug")),
            Prefetch("s3_themes", queryset=S3Theme.objects.order_by("level", "position", "code")),
        )
    )
    if not opportunities:
        return []
    profile = organization_vector(organization)
    cluster_ids = _organization_cluster_ids(organization)
    themes = list(organization.s3_themes.all())
    scored = [
        (
            score(
                opportunity_vector=from_bytes(opportunity.vector),
                organization_vector=profile,
                opportunity_clusters=list(opportunity.clusters.all()),
                organization_cluster_ids=cluster_ids,
                opportunity_themes=list(opportunity.s3_themes.all()),
                organization_themes=themes,
            ),
            opportunity,
        )
        for opportunity in opportunities
    ]
    scored.sort(key=lambda pair: (-pair[0].total, pair[1].deadline, pair[1].pk))
    return [
        RankedOpportunity(opportunity=opportunity, rank=rank, score=parts)
        for rank, (parts, opportunity) in enumerate(scored[:limit], start=1)
    ]


def organizations_ranked_for(user: object) -> QuerySet[Organization]:
    """The organizations a person may see opportunities ranked for: their own."""
    if not getattr(user, "is_authenticated", False):
        return Organization.objects.none()
    return Organization.objects.filter(person_roles__person=user).order_by("normalized_name", "id")


def organization_for_ranking(*, user: object, organization_id: int | None) -> Organization | None:
    """One of the person's organizations (the first when none is named); 404 for another's."""
    mine = organizations_ranked_for(user)
    if organization_id is None:
        return mine.first()
    organization = mine.filter(pk=organization_id).first()
    if organization is None:
        raise Http404("No such organization")
    return organization
