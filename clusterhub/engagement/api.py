"""API of engagement: a cluster's funnel and members' scores, one organization's breakdown.

A cluster is for its managers and the regional officers (another cluster answers 404); an
organization is also for its own people (another organization answers 404).
"""

from datetime import date, datetime
from typing import Any

from django.http import HttpRequest
from ninja import Field, Router, Schema

from clusterhub.api import ERRORS, ID, SLUG, auth_for
from clusterhub.core.access import Policy, access
from clusterhub.engagement.scoring import MAX_SCORE, Breakdown
from clusterhub.engagement.selectors import (
    FUNNEL_STAGES,
    FunnelRow,
    OrganizationEngagement,
    cluster_engagement_get,
    organization_engagement_get,
)

router = Router(tags=["engagement"])


class PartOut(Schema):
    key: str = Field(description="attendance, contributions, endorsements, comments, logins, votes")
    available: bool = Field(description="False: the platform does not record it yet")
    count: int = Field(description="Activities in the last 24 months")
    weighted: float = Field(description="The same, each weighed 0.5^(age in months / 3)")
    points_each: float
    cap: float
    points: float = Field(description="min(cap, weighted x points_each)")


class EngagementScoreOut(Schema):
    total: float = Field(description=f"Activity points + profile freshness, at most {MAX_SCORE:g}")
    activity: float
    freshness: float = Field(description="Profile freshness points (0-15)")
    profile_age_days: int | None
    parts: list[PartOut]


class MemberOut(Schema):
    id: int
    name: str
    kind: str
    status: str = Field(description="active, cooling or dormant")
    reason: str = Field(description="recent, halved, quiet, long_quiet or never")
    score: float
    last_quarter: float = Field(description="Points earned in the last 91 days (no decay)")
    previous_quarter: float = Field(description="Points earned in the 91 days before those")
    last_activity_at: datetime | None


class FunnelOut(Schema):
    kind: str = Field(description="Organization kind; empty for all members")
    members: int
    ever_active: int
    active_recently: int = Field(description="Some activity in the last 6 months")
    contributing: int = Field(description="Contributed, endorsed or commented in the last 6 months")


class ClusterEngagementOut(Schema):
    cluster: str
    statuses: dict[str, int]
    funnel: FunnelOut
    funnel_by_kind: list[FunnelOut]
    members: list[MemberOut] = Field(description="Every active member, dormant and cooling first")


class HistoryOut(Schema):
    month: date
    total: float
    activity: float


class OrganizationEngagementOut(MemberOut):
    score_parts: EngagementScoreOut
    history: list[HistoryOut] = Field(description="Score at the end of each of the last 12 months")


def _score(breakdown: Breakdown) -> dict[str, Any]:
    return {
        "total": breakdown.total,
        "activity": breakdown.activity,
        "freshness": breakdown.freshness,
        "profile_age_days": breakdown.profile_age_days,
        "parts": [part.__dict__ for part in breakdown.parts],
    }


def _member(row: OrganizationEngagement) -> dict[str, Any]:
    return {
        "id": row.organization.pk,
        "name": row.organization.name,
        "kind": row.organization.kind,
        "status": row.status.value,
        "reason": row.reason.value,
        "score": row.score,
        "last_quarter": row.last_quarter,
        "previous_quarter": row.previous_quarter,
        "last_activity_at": row.last_activity_at,
    }


def _funnel(row: FunnelRow) -> dict[str, Any]:
    return {"kind": row.kind, **{key: getattr(row, key) for key, _label in FUNNEL_STAGES}}


@router.get(
    "/engagement/clusters/{slug}",
    response={200: ClusterEngagementOut, **ERRORS},
    auth=auth_for(Policy.MANAGER),
    summary="A cluster's engagement funnel and members",
)
@access(Policy.MANAGER)
def engagement_cluster(request: HttpRequest, slug: str = SLUG) -> Any:
    """The funnel (members, ever active, active in the last 6 months, contributing) overall
    and by kind, and every active member's score and status."""
    engagement = cluster_engagement_get(user=request.user, slug=slug)
    return {
        "cluster": engagement.cluster.slug,
        "statuses": engagement.status_counts,
        "funnel": _funnel(engagement.totals),
        "funnel_by_kind": [_funnel(row) for row in engagement.funnel],
        "members": [_member(row) for row in engagement.rows],
    }


@router.get(
    "/engagement/organizations/{organization_id}",
    response={200: OrganizationEngagementOut, **ERRORS},
    auth=auth_for(Policy.AUTHENTICATED),
    summary="One organization's engagement score, parts and trend",
)
@access(Policy.AUTHENTICATED)
def engagement_organization(request: HttpRequest, organization_id: int = ID) -> Any:
    """Its own people, the managers of its clusters and the officers may read it."""
    engagement = organization_engagement_get(user=request.user, organization_id=organization_id)
    return {
        **_member(engagement),
        "score_parts": _score(engagement.breakdown),
        "history": [point.__dict__ for point in engagement.history],
    }
