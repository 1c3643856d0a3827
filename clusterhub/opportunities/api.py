"""API of opportunities: the open feed and archive, one opportunity, the ranking for the
caller's organization, and publishing a call (managers for their clusters, officers)."""

from datetime import date, datetime
from typing import Any, Literal

from django.http import HttpRequest
from django.urls import reverse
from ninja import Field, Query, Router, Schema
from ninja.pagination import paginate
from ninja.responses import Status
from pydantic import ConfigDict

from clusterhub.api import (
    BODY_ERRORS,
    ERRORS,
    ID,
    MAX_ID,
    NO_NUL,
    NOT_BLANK,
    FieldErrors,
    Page,
    auth_for,
)
from clusterhub.core.access import Policy, access
from clusterhub.opportunities.models import (
    PROGRAMME_MAX_LENGTH,
    TEXT_MAX_LENGTH,
    TITLE_MAX_LENGTH,
    URL_MAX_LENGTH,
    Opportunity,
    OpportunityKind,
)
from clusterhub.opportunities.selectors import (
    MAX_LIMIT,
    OpportunityFilters,
    RankedOpportunity,
    opportunity_list,
    opportunity_public_get,
    organization_for_ranking,
    ranked_opportunities_for,
)
from clusterhub.opportunities.services import opportunity_create
from clusterhub.regions.models import Cluster, S3Theme

router = Router(tags=["opportunities"])

SLUG_OR_EMPTY = r"^[-a-zA-Z0-9_]*$"
CODE_OR_EMPTY = r"^[-A-Za-z0-9_.]*$"


class OpportunityQuery(Schema):
    cluster: str = Field("", max_length=50, pattern=SLUG_OR_EMPTY, description="Cluster slug")
    kind: OpportunityKind | None = None
    theme: str = Field("", max_length=32, pattern=CODE_OR_EMPTY, description="S3 theme code")
    status: Literal["open", "archived"] = Field(
        "open", description="open: deadline today or later; archived: deadline passed"
    )

    def filters(self) -> OpportunityFilters:
        return OpportunityFilters(
            cluster=self.cluster,
            kind=self.kind or "",
            theme=self.theme,
            archived=self.status == "archived",
        )


class OpportunityTermOut(Schema):
    code: str
    name: str


class OpportunityOut(Schema):
    id: int
    kind: OpportunityKind
    title: str
    programme: str
    description: str
    deadline: date
    is_open: bool
    budget: int | None = Field(description="Total budget of the call, in euros")
    eligibility: str
    url: str = Field(description="The programme's official page")
    clusters: list[str] = Field(description="Cluster slugs; none means every cluster")
    s3_themes: list[OpportunityTermOut]
    source: str
    page: str = Field(description="Its page on this site")
    created_at: datetime
    updated_at: datetime

    @staticmethod
    def resolve_clusters(opportunity: Opportunity) -> list[str]:
        return [c.slug for c in opportunity.clusters.all()]

    @staticmethod
    def resolve_s3_themes(opportunity: Opportunity) -> list[S3Theme]:
        return list(opportunity.s3_themes.all())

    @staticmethod
    def resolve_page(opportunity: Opportunity) -> str:
        return reverse("opportunities:detail", args=[opportunity.pk])


class OpportunityScoreOut(Schema):
    total: float = Field(description="similarity + cluster_boost + theme_boost; higher is better")
    similarity: float = Field(description="Cosine of the opportunity's and the profile's vectors")
    cluster_boost: float
    theme_boost: float
    shared_clusters: list[str]
    shared_themes: list[str] = Field(description="S3 theme codes both name")


class RankedOut(Schema):
    rank: int
    score: OpportunityScoreOut
    opportunity: OpportunityOut


class RankingOut(Schema):
    organization_id: int | None
    organization_name: str
    results: list[RankedOut]


class RankingQuery(Schema):
    organization_id: int | None = Field(
        None, ge=1, le=MAX_ID, description="One of your organizations (default: the first)"
    )
    limit: int = Field(20, ge=1, le=MAX_LIMIT)


def _text(max_length: int, **kwargs: Any) -> Any:
    return Field("", max_length=max_length, pattern=NO_NUL, **kwargs)


class OpportunityIn(Schema):
    model_config = ConfigDict(extra="forbid")

    kind: OpportunityKind
    title: str = Field(..., min_length=1, max_length=TITLE_MAX_LENGTH, pattern=NOT_BLANK)
    programme: str = Field(..., min_length=1, max_length=PROGRAMME_MAX_LENGTH, pattern=NOT_BLANK)
    deadline: date
    description: str = _text(TEXT_MAX_LENGTH)
    budget: int | None = Field(None, ge=0, le=10**15, description="Whole euros")
    eligibility: str = _text(TEXT_MAX_LENGTH)
    url: str = _text(URL_MAX_LENGTH, description="http(s) address of the official page")
    clusters: list[str] = Field(
        default_factory=list,
        max_length=50,
        description="Slugs of clusters you manage (managers: at least one)",
    )
    s3_themes: list[str] = Field(default_factory=list, max_length=200, description="S3 theme codes")


def _ranked(item: RankedOpportunity) -> dict[str, Any]:
    parts = item.score
    return {
        "rank": item.rank,
        "score": {
            "total": parts.total,
            "similarity": parts.similarity,
            "cluster_boost": parts.cluster_boost,
            "theme_boost": parts.theme_boost,
            "shared_clusters": [c.slug for c in parts.shared_clusters],
            "shared_themes": [t.code for t in parts.shared_themes],
        },
        "opportunity": item.opportunity,
    }


def _lookup(
    model: type[Cluster] | type[S3Theme], key: str, values: list[str], field: str
) -> list[Any]:
    found = list(model.objects.filter(**{f"{key}__in": set(values)}))
    unknown = sorted(set(values) - {getattr(item, key) for item in found})
    if unknown:
        raise FieldErrors({field: [f"Unknown: {', '.join(unknown)}."]})
    return found


@router.get(
    "/opportunities",
    response={200: list[OpportunityOut], **ERRORS},
    auth=auth_for(Policy.PUBLIC),
)
@access(Policy.PUBLIC)
@paginate(Page)
def list_opportunities(request: HttpRequest, filters: Query[OpportunityQuery]) -> Any:
    """Open opportunities, soonest deadline first (or the archive: `status=archived`)."""
    return opportunity_list(filters.filters())


@router.get(
    "/opportunities/for-me",
    response={200: RankingOut, **ERRORS},
    auth=auth_for(Policy.AUTHENTICATED),
)
@access(Policy.AUTHENTICATED)
def ranked_opportunities(request: HttpRequest, params: Query[RankingQuery]) -> dict[str, Any]:
    """The open opportunities ranked for one of your organizations, with the parts of each
    score. Without an organization of yours the list is empty; another's is 404."""
    organization = organization_for_ranking(
        user=request.user, organization_id=params.organization_id
    )
    if organization is None:
        return {"organization_id": None, "organization_name": "", "results": []}
    ranked = ranked_opportunities_for(organization, limit=params.limit)
    return {
        "organization_id": organization.pk,
        "organization_name": organization.name,
        "results": [_ranked(item) for item in ranked],
    }


@router.get(
    "/opportunities/{opportunity_id}",
    response={200: OpportunityOut, **ERRORS},
    auth=auth_for(Policy.PUBLIC),
)
@access(Policy.PUBLIC)
def get_opportunity(request: HttpRequest, opportunity_id: int = ID) -> Opportunity:
    return opportunity_public_get(opportunity_id=opportunity_id)


@router.post(
    "/opportunities",
    response={201: OpportunityOut, **BODY_ERRORS},
    auth=auth_for(Policy.MANAGER),
)
@access(Policy.MANAGER)
def create_opportunity(request: HttpRequest, payload: OpportunityIn) -> Status:
    """Publish a call for clusters you manage (officers: any cluster, or none for all)."""
    data = payload.model_dump()
    clusters = _lookup(Cluster, "slug", data.pop("clusters"), "clusters")
    themes = _lookup(S3Theme, "code", data.pop("s3_themes"), "s3_themes")
    opportunity = opportunity_create(
        actor=request.user, clusters=clusters, s3_themes=themes, **data
    )
    return Status(201, opportunity_public_get(opportunity_id=opportunity.pk))
