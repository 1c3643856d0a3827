"""API of matchmaking: organizations ranked for a need, similar profiles, consortium ideas."""

import math
from typing import Any, Literal

from django.http import HttpRequest
from django.urls import reverse
from ninja import Field, Query, Router, Schema
from pydantic import ConfigDict, StrictBool

from clusterhub.api import BODY_ERRORS, ERRORS, ID, NO_NUL, auth_for
from clusterhub.core.access import Policy, access
from clusterhub.matchmaking.models import (
    DEFAULT_CONSORTIUM_ROLES,
    QUERY_MAX_LENGTH,
    ConsortiumRole,
)
from clusterhub.matchmaking.selectors import (
    MAX_K,
    Consortium,
    MatchFilters,
    MatchResult,
    MatchResults,
    match_organizations,
    merged_spans,
    similar_organizations,
    suggest_consortium,
)
from clusterhub.registry.models import Organization, OrganizationKind

router = Router(tags=["matchmaking"])

Signal = Literal["lexical", "semantic", "both"]
NEED = Field(
    ...,
    min_length=1,
    max_length=QUERY_MAX_LENGTH,
    pattern=NO_NUL,
    description="The need, in Italian or English, in words (at most 1000 characters).",
)


# --- Schemas -----------------------------------------------------------------------------


class MatchQuery(Schema):
    q: str = NEED
    cluster: str = Field("", max_length=50, pattern=r"^[-a-zA-Z0-9_]*$", description="Slug")
    kind: OrganizationKind | None = None
    province: str = Field("", max_length=5, pattern=r"^[A-Z0-9]*$", description="NUTS-3 code")
    htn: bool | None = Field(None, description="High Technology Network accreditation")
    k: int = Field(10, ge=1, le=MAX_K, description="How many organizations, at most.")

    def filters(self) -> MatchFilters:
        return MatchFilters(
            cluster=self.cluster, kind=self.kind or "", province=self.province, htn=self.htn
        )


class MatchOrganizationOut(Schema):
    id: int
    name: str
    kind: str
    htn_accredited: bool
    city: str
    province: str
    nuts3: str
    clusters: list[str] = Field(description="Slugs of the clusters it is an active member of")
    url: str = Field(description="Its profile page")


class HighlightOut(Schema):
    start: int = Field(description="Offset in `text` of a matching term")
    end: int


class PassageOut(Schema):
    field: str = Field(description="Which part of the profile: name, description, competences, …")
    label: str
    text: str
    highlights: list[HighlightOut]


class MatchResultOut(Schema):
    rank: int
    score: float = Field(
        description="Fused relevance, higher is better; comparable within one answer"
    )
    signal: Signal = Field(description="Which signal found it: the words, their meaning, or both")
    lexical_rank: int | None
    dense_rank: int | None
    organization: MatchOrganizationOut
    passages: list[PassageOut] = Field(description="Why it matches: best passages first")
    matched_terms: list[str]


class MatchOut(Schema):
    query: str = Field(description="The need as searched (spaces and control characters cleaned)")
    message: str = Field(description="Why there is no result, when there is none")
    results: list[MatchResultOut]


class SimilarQuery(Schema):
    k: int = Field(6, ge=1, le=MAX_K)


class SimilarResultOut(Schema):
    rank: int
    score: float
    signal: Signal
    organization: MatchOrganizationOut
    shared: list[str] = Field(description="Competences and S3 themes the two have in common")


class SimilarOut(Schema):
    organization_id: int
    results: list[SimilarResultOut]


class ConsortiumIn(Schema):
    model_config = ConfigDict(extra="forbid")

    q: str = NEED
    roles: list[ConsortiumRole] = Field(
        default_factory=lambda: list(DEFAULT_CONSORTIUM_ROLES),
        min_length=1,
        max_length=len(ConsortiumRole.choices),
        description="Roles to fill, one partner each (default: research, firm, final user)",
    )
    province: str = Field("", max_length=5, pattern=r"^[A-Z0-9]*$", description="NUTS-3 code")
    cross_cluster: StrictBool = Field(True, description="Prefer members of different clusters")


class ConsortiumMemberOut(Schema):
    role: ConsortiumRole
    role_label: str
    result: MatchResultOut
    alternatives: list[MatchOrganizationOut]


class ConsortiumOut(Schema):
    query: str
    message: str
    members: list[ConsortiumMemberOut]
    gaps: list[ConsortiumRole] = Field(description="Roles no organization you may see can fill")
    clusters: list[str] = Field(description="Slugs of the clusters the members come from")


# --- Conversions ---------------------------------------------------------------------------


def _finite(value: float) -> float:
    return value if math.isfinite(value) else 0.0


def _organization(organization: Organization) -> dict[str, Any]:
    territory = organization.territory
    return {
        "id": organization.pk,
        "name": organization.name,
        "kind": organization.kind,
        "htn_accredited": organization.htn_accredited,
        "city": organization.city,
        "province": territory.name if territory else "",
        "nuts3": organization.nuts3,
        "clusters": [
            m.cluster.slug
            for m in getattr(organization, "public_memberships", [])  # prefetched
        ],
        "url": reverse("registry:organization_detail", args=[organization.pk]),
    }


def _result(result: MatchResult) -> dict[str, Any]:
    return {
        "rank": result.rank,
        "score": _finite(result.score),
        "signal": result.signal,
        "lexical_rank": result.lexical_rank,
        "dense_rank": result.dense_rank,
        "organization": _organization(result.organization),
        "passages": [
            {
                "field": reason.field,
                "label": reason.label,
                "text": reason.text,
                "highlights": [
                    {"start": start, "end": end}
                    for start, end in merged_spans(reason.highlights, len(reason.text))
                ],
            }
            for reason in result.reasons
        ],
        "matched_terms": list(result.matched_terms),
    }


def _match_out(found: MatchResults) -> dict[str, Any]:
    return {
        "query": found.query,
        "message": found.message,
        "results": [_result(r) for r in found.results],
    }


def _consortium_out(consortium: Consortium) -> dict[str, Any]:
    return {
        "query": consortium.query,
        "message": consortium.message,
        "members": [
            {
                "role": member.role,
                "role_label": member.role_label,
                "result": _result(member.result),
                "alternatives": [_organization(a.organization) for a in member.alternatives],
            }
            for member in consortium.members
        ],
        "gaps": list(consortium.gaps),
        "clusters": [cluster.slug for cluster in consortium.clusters],
    }


# --- Operations ----------------------------------------------------------------------------


@router.get("/match", response={200: MatchOut, **ERRORS}, auth=auth_for(Policy.AUTHENTICATED))
@access(Policy.AUTHENTICATED)
def match(request: HttpRequest, params: Query[MatchQuery]) -> dict[str, Any]:
    """Organizations ranked for a need written in Italian or English, each with the passages
    of its profile that matched and the signal (words, meaning or both) that found it.

    A need with no words (only punctuation) answers no result and a `message`.
    """
    found = match_organizations(
        viewer=request.user, query=params.q, filters=params.filters(), k=params.k
    )
    return _match_out(found)


@router.get(
    "/organizations/{organization_id}/similar",
    response={200: SimilarOut, **ERRORS},
    auth=auth_for(Policy.PUBLIC),
)
@access(Policy.PUBLIC)
def organization_similar(
    request: HttpRequest, params: Query[SimilarQuery], organization_id: int = ID
) -> dict[str, Any]:
    """Organizations whose profiles are most like this one's, among those you may see."""
    results = similar_organizations(
        viewer=request.user, organization_id=organization_id, k=params.k
    )
    return {
        "organization_id": organization_id,
        "results": [
            {
                "rank": r.rank,
                "score": _finite(r.score),
                "signal": r.signal,
                "organization": _organization(r.organization),
                "shared": list(r.shared),
            }
            for r in results
        ],
    }


@router.post(
    "/match/consortium",
    response={200: ConsortiumOut, **BODY_ERRORS},
    auth=auth_for(Policy.AUTHENTICATED),
)
@access(Policy.AUTHENTICATED)
def consortium_suggest(request: HttpRequest, payload: ConsortiumIn) -> dict[str, Any]:
    """A small consortium for a call or a project idea: one partner per role, each with the
    passages that matched, preferring members of different clusters. Roles nobody can fill
    are listed in `gaps`."""
    suggestion = suggest_consortium(
        viewer=request.user,
        query=payload.q,
        roles=[str(role) for role in payload.roles],
        province=payload.province,
        cross_cluster=payload.cross_cluster,
    )
    return _consortium_out(suggestion)
