"""API of the public agenda: each cluster's published versions with their items (the same
record as the JSON download), an item of a published version, the CSV export, and the
comparison of two versions the caller may read. Anyone may call these; versions that are not
published answer 404 (the comparison also takes those the caller may read, as the page does).
"""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from django.contrib.auth.models import AnonymousUser
from django.http import Http404, HttpRequest, HttpResponse
from ninja import Field, Query, Router, Schema

from clusterhub.agenda.api_fields import NUMBER
from clusterhub.agenda.diff import diff_as_data, version_diff
from clusterhub.agenda.exporting import (
    csv_response,
    export_items,
    item_record,
    results_by_item,
    version_record,
)
from clusterhub.agenda.models import AgendaVersion, Phase
from clusterhub.agenda.selectors import current_published_version, version_for, versions_visible_to
from clusterhub.api import ERRORS, ID, SLUG, ErrorOut, auth_for
from clusterhub.core.access import Policy, access
from clusterhub.regions.models import Cluster

router = Router(tags=["agenda (public)"])


# --- Schemas ------------------------------------------------------------------------------


class AgendaPublicClusterOut(Schema):
    slug: str
    name: str


class AgendaPublicAreaOut(Schema):
    code: str
    name: str


class AgendaPublicKpiOut(Schema):
    name: str
    unit: str
    baseline: float
    target: float
    current: float | None
    percent: int | None = Field(description="How far from the baseline to the target, 0-100")


class AgendaPublicMilestoneOut(Schema):
    title: str
    due_on: date | None
    done_on: date | None


class AgendaPublicLinkOut(Schema):
    id: int
    title: str


class AgendaPublicAncestorOut(Schema):
    item_id: int
    version: int
    kind: str = Field(description="carried, split or merged")


class AgendaPublicResultOut(Schema):
    score: float = Field(description="Supports (approval) or points given")
    share_percent: float = Field(description="Share of all supports or points of the version")
    rank: int
    organizations: int = Field(description="Member organizations that voted on the item")
    supporters: int = Field(description="Organizations that supported it or gave it points")
    by_type: dict[str, float] = Field(description="Score by member type")


class AgendaPublicParticipationTypeOut(Schema):
    type: str = Field(description="Member type")
    voted: int
    eligible: int
    percent: float | None


class AgendaPublicParticipationOut(Schema):
    method: str
    equal_types: bool
    voters: int = Field(description="Member organizations that voted")
    eligible: int = Field(description="Active member organizations of the cluster")
    by_type: list[AgendaPublicParticipationTypeOut]


class AgendaPublicItemOut(Schema):
    id: int
    position: int
    title: str
    priority_area: AgendaPublicAreaOut | None
    objective: str
    planned_actions: str
    responsible: str
    starts_on: date | None
    ends_on: date | None
    progress: int | None = Field(description="Percent done, from milestones and KPIs")
    kpis: list[AgendaPublicKpiOut]
    milestones: list[AgendaPublicMilestoneOut]
    contributions: list[AgendaPublicLinkOut] = Field(
        description="Linked contributions the caller may see"
    )
    hidden_contributions: int = Field(description="Linked contributions the caller may not see")
    trends: list[AgendaPublicLinkOut]
    descends_from: list[AgendaPublicAncestorOut]
    result: AgendaPublicResultOut | None = Field(description="The consultation's result")
    url: str


class AgendaPublicVersionSummaryOut(Schema):
    cluster: AgendaPublicClusterOut
    number: int
    title: str
    published_at: datetime | None
    current: bool = Field(description="The cluster's latest published version")
    url: str


class AgendaPublicVersionOut(Schema):
    cluster: AgendaPublicClusterOut
    number: int
    title: str
    summary: str
    phase: str
    based_on: int | None
    voting_method: str
    points_budget: int
    consultation_opens_at: datetime | None
    consultation_closes_at: datetime | None
    approved_at: datetime | None
    published_at: datetime | None
    url: str
    participation: AgendaPublicParticipationOut | None = Field(
        description="Who voted in the consultation; null when nobody did"
    )
    items: list[AgendaPublicItemOut]


class AgendaPublicSegmentOut(Schema):
    op: str = Field(description="equal, insert or delete")
    text: str


class AgendaPublicFieldDiffOut(Schema):
    field: str
    changed: bool
    segments: list[AgendaPublicSegmentOut]


class AgendaPublicChangeOut(Schema):
    from_item: int | None
    to_item: int | None
    field: str
    segments: list[AgendaPublicSegmentOut]


class AgendaPublicEntryOut(Schema):
    kind: str = Field(description="added, removed, carried, split or merged")
    changed: bool
    from_items: list[AgendaPublicLinkOut]
    to_items: list[AgendaPublicLinkOut]
    changes: list[AgendaPublicChangeOut]


class AgendaPublicDiffOut(Schema):
    cluster: str
    from_version: int
    to_version: int
    counts: dict[str, int]
    header: list[AgendaPublicFieldDiffOut]
    entries: list[AgendaPublicEntryOut]


class AgendaPublicDiffQuery(Schema):
    from_version: int = Field(..., alias="from", ge=1, le=1_000_000)
    to_version: int = Field(..., alias="to", ge=1, le=1_000_000)


# --- Helpers ------------------------------------------------------------------------------


def _cluster(slug: str) -> Cluster:
    cluster = Cluster.objects.filter(slug=slug).first()
    if cluster is None:
        raise Http404("No such cluster")
    return cluster


def _published(slug: str, number: int) -> AgendaVersion:
    version = (
        versions_visible_to(AnonymousUser(), _cluster(slug))
        .select_related("based_on")
        .filter(number=number)
        .first()
    )
    if version is None:
        raise Http404("No such published agenda version")
    return version


def _absolute(request: HttpRequest) -> str:
    return request.build_absolute_uri("/").rstrip("/")


def _summary(
    version: AgendaVersion, current_id: int | None, request: HttpRequest
) -> dict[str, Any]:
    from clusterhub.agenda.exporting import public_version_url

    return {
        "cluster": {"slug": version.cluster.slug, "name": version.cluster.name},
        "number": version.number,
        "title": version.title,
        "published_at": version.published_at,
        "current": version.pk == current_id,
        "url": _absolute(request) + public_version_url(version),
    }


# --- Operations ---------------------------------------------------------------------------


@router.get(
    "/agenda/published",
    response={200: list[AgendaPublicVersionSummaryOut], **ERRORS},
    auth=auth_for(Policy.PUBLIC),
)
@access(Policy.PUBLIC)
def list_published_agendas(request: HttpRequest) -> list[dict[str, Any]]:
    """The current published agenda of every cluster that has one."""
    latest: dict[int, AgendaVersion] = {}
    for version in (
        AgendaVersion.objects.filter(phase=Phase.PUBLISHED)
        .select_related("cluster")
        .order_by("cluster__position", "cluster__slug", "-number")
    ):
        latest.setdefault(version.cluster_id, version)
    return [_summary(version, version.pk, request) for version in latest.values()]


@router.get(
    "/agenda/published/{slug}",
    response={200: list[AgendaPublicVersionSummaryOut], **ERRORS},
    auth=auth_for(Policy.PUBLIC),
)
@access(Policy.PUBLIC)
def list_published_agenda_versions(request: HttpRequest, slug: str = SLUG) -> list[dict[str, Any]]:
    """Every published version of the cluster's agenda, newest first."""
    cluster = _cluster(slug)
    current = current_published_version(cluster)
    versions = versions_visible_to(AnonymousUser(), cluster).order_by("-number")
    return [_summary(version, current.pk if current else None, request) for version in versions]


@router.get(
    "/agenda/published/{slug}/versions/{number}",
    response={200: AgendaPublicVersionOut, **ERRORS},
    auth=auth_for(Policy.PUBLIC),
)
@access(Policy.PUBLIC)
def get_published_agenda_version(
    request: HttpRequest, slug: str = SLUG, number: int = NUMBER
) -> dict[str, Any]:
    """A published version with its items, KPIs, milestones, links and results (the JSON
    export). Contributions the caller may not see are counted, not named."""
    version = _published(slug, number)
    return version_record(version, viewer=request.user, absolute=_absolute(request))


@router.get(
    "/agenda/published/{slug}/versions/{number}/items/{item_id}",
    response={200: AgendaPublicItemOut, **ERRORS},
    auth=auth_for(Policy.PUBLIC),
)
@access(Policy.PUBLIC)
def get_published_agenda_item(
    request: HttpRequest, slug: str = SLUG, number: int = NUMBER, item_id: int = ID
) -> dict[str, Any]:
    """One active item of a published version."""
    version = _published(slug, number)
    for item in export_items(version, viewer=request.user):
        if item.pk == item_id:
            result = results_by_item(version).get(item.pk)
            return item_record(item, result=result, absolute=_absolute(request))
    raise Http404("No such item in this version")


@router.get(
    "/agenda/published/{slug}/versions/{number}/export.csv",
    # 429: downloads are rate limited per caller (clusterhub/core/ratelimit.py).
    response={200: None, **ERRORS, 429: ErrorOut},
    auth=auth_for(Policy.PUBLIC),
    openapi_extra={
        "responses": {
            200: {
                "description": "CSV, UTF-8 with a byte order mark, one row per item; lists "
                "separated by ' | '.",
                "content": {"text/csv": {"schema": {"type": "string"}}},
            }
        }
    },
)
@access(Policy.PUBLIC)
def export_published_agenda_csv(
    request: HttpRequest, slug: str = SLUG, number: int = NUMBER
) -> HttpResponse:
    """A published version as CSV."""
    return csv_response(_published(slug, number), viewer=request.user)


@router.get(
    "/agenda/published/{slug}/diff",
    response={200: AgendaPublicDiffOut, **ERRORS},
    auth=auth_for(Policy.PUBLIC),
)
@access(Policy.PUBLIC)
def get_agenda_diff(
    request: HttpRequest, query: Query[AgendaPublicDiffQuery], slug: str = SLUG
) -> dict[str, Any]:
    """What changed between two versions (`from`, `to`): published ones for everyone, and
    those the caller may read in the cluster. Items are matched by lineage; a version
    compared with itself has no changes."""
    old = version_for(request.user, slug, query.from_version)
    new = version_for(request.user, slug, query.to_version)
    return diff_as_data(version_diff(old, new))
