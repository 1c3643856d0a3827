"""API of the trend radar: runs and their topics (with evidence), and starting a run.

Reading follows the pages: a cluster's runs to its managers, its members' people and the
regional officers; the region's runs to officers. Starting a run: a cluster's managers
(their clusters), officers (any scope, the region included). Runs go to the task worker:
the answer is 202 with the queued run; poll GET /api/trends/runs/{id} for its progress.
"""

from datetime import date, datetime
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpRequest
from django.utils.translation import gettext as _
from ninja import Field, Query, Router, Schema
from ninja.errors import HttpError
from ninja.responses import Status

from clusterhub.api import BODY_ERRORS, ERRORS, ID, auth_for
from clusterhub.core.access import Policy, access
from clusterhub.regions.models import Cluster
from clusterhub.trends.models import Period, Topic, TopicDocument, TrendRun
from clusterhub.trends.selectors import (
    latest_done_run,
    run_get_for_viewer,
    runs_of_scope,
    topic_evidence,
    topic_get_for_viewer,
    topics_of_run,
    trend_cluster_get,
    trend_cluster_get_for_manager,
)
from clusterhub.trends.services import trend_run_start

router = Router(tags=["trends"])

SLUG_OR_EMPTY = r"^[-a-zA-Z0-9_]*$"


class ScopeQuery(Schema):
    cluster: str = Field(
        "", max_length=50, pattern=SLUG_OR_EMPTY, description="Cluster slug; empty: the region"
    )


class RunOut(Schema):
    id: int
    cluster: str | None = Field(description="Cluster slug; null: the region")
    period: str
    status: str
    progress: float = Field(description="Share done, 0 to 1")
    stage: str
    params: dict[str, Any]
    snapshot: dict[str, Any] = Field(description="What the run read: counts, newest ids, hash")
    periods: list[str]
    document_count: int
    encoder: str
    error: str
    created_at: datetime
    started_at: datetime | None
    finished_at: datetime | None

    @staticmethod
    def resolve_cluster(run: TrendRun) -> str | None:
        return run.cluster.slug if run.cluster_id else None  # type: ignore[union-attr]

    @staticmethod
    def resolve_stage(run: TrendRun) -> str:
        return run.message


class TopicOut(Schema):
    id: int
    label: str
    status: str = Field(description="emerging, stable or declining")
    terms: list[str]
    size: float = Field(description="Documents (a merged contribution counts for its target)")
    counts: list[float] = Field(description="Documents per period of the run's `periods`")
    cluster_counts: dict[str, float]
    growth: float = Field(description="Change of the topic's share per period (0.5 = +50%)")
    p_value: float | None
    q_value: float | None = Field(description="p-value adjusted for the number of topics")
    contribution_count: int
    project_count: int
    member_count: int


class RunDetailOut(RunOut):
    topics: list[TopicOut]

    @staticmethod
    def resolve_topics(run: TrendRun) -> list[Topic]:
        return topics_of_run(run)


class EvidenceOut(Schema):
    source: str = Field(description="project or contribution")
    id: int | None = Field(description="The project's or contribution's id (null: deleted)")
    title: str
    kind: str
    date: date | None
    period: str
    score: float = Field(description="Cosine of the document to the topic's centre")
    organization_id: int | None = Field(description="Member who raised it")
    merged: bool

    @staticmethod
    def resolve_id(document: TopicDocument) -> int | None:
        return document.project_id or document.contribution_id


class TopicDetailOut(TopicOut):
    run_id: int
    periods: list[str]
    member_counts: dict[str, float] = Field(description="{organization id: documents}")
    evidence: list[EvidenceOut]

    @staticmethod
    def resolve_periods(topic: Topic) -> list[str]:
        return list(topic.run.periods)

    @staticmethod
    def resolve_evidence(topic: Topic) -> list[TopicDocument]:
        return topic_evidence(topic)


class RunStartIn(Schema):
    cluster: str = Field(
        "", max_length=50, pattern=SLUG_OR_EMPTY, description="Cluster slug; empty: the region"
    )
    period: Period = Period.QUARTER
    params: dict[str, Any] = Field(
        default_factory=dict,
        description="Detection parameters (analytics.trends.TrendParams), e.g. min_topic_size",
    )


def _scope(request: HttpRequest, slug: str) -> Cluster | None:
    if slug:
        return trend_cluster_get(user=request.user, slug=slug)
    if not request.user.is_regional_officer:  # type: ignore[union-attr]
        raise PermissionDenied(_("Only regional officers read the region's trends."))
    return None


@router.get(
    "/trends/runs",
    response={200: list[RunOut], **ERRORS},
    auth=auth_for(Policy.AUTHENTICATED),
    summary="Trend runs of a cluster or of the region",
)
@access(Policy.AUTHENTICATED)
def list_trend_runs(request: HttpRequest, filters: Query[ScopeQuery]) -> Any:
    """The scope's runs, newest first (queued, running and failed ones included)."""
    return runs_of_scope(_scope(request, filters.cluster))


@router.get(
    "/trends/latest",
    response={200: RunDetailOut, **ERRORS},
    auth=auth_for(Policy.AUTHENTICATED),
    summary="The latest finished trend run of a scope, with its topics",
)
@access(Policy.AUTHENTICATED)
def latest_trend_run(request: HttpRequest, filters: Query[ScopeQuery]) -> Any:
    run = latest_done_run(_scope(request, filters.cluster))
    if run is None:
        raise HttpError(404, _("No finished trend run in this scope yet."))
    return run


@router.get(
    "/trends/runs/{run_id}",
    response={200: RunDetailOut, **ERRORS},
    auth=auth_for(Policy.AUTHENTICATED),
    summary="A trend run with its topics",
)
@access(Policy.AUTHENTICATED)
def get_trend_run(request: HttpRequest, run_id: int = ID) -> Any:
    return run_get_for_viewer(user=request.user, run_id=run_id)


@router.get(
    "/trends/topics/{topic_id}",
    response={200: TopicDetailOut, **ERRORS},
    auth=auth_for(Policy.AUTHENTICATED),
    summary="A topic with its evidence and the members behind it",
)
@access(Policy.AUTHENTICATED)
def get_trend_topic(request: HttpRequest, topic_id: int = ID) -> Any:
    return topic_get_for_viewer(user=request.user, topic_id=topic_id)


@router.post(
    "/trends/runs",
    response={202: RunOut, 409: ERRORS[404], **BODY_ERRORS},
    auth=auth_for(Policy.MANAGER),
    summary="Start a trend run",
)
@access(Policy.MANAGER)
def start_trend_run(request: HttpRequest, payload: RunStartIn) -> Status:
    """Queue a trend detection of a cluster you manage (officers: any cluster, or the region
    with an empty `cluster`). 409 while one of the same scope is running."""
    if payload.cluster:
        cluster = trend_cluster_get_for_manager(user=request.user, slug=payload.cluster)
    elif request.user.is_regional_officer:  # type: ignore[union-attr]
        cluster = None
    else:
        raise PermissionDenied(_("Only regional officers run the region's trend detection."))
    try:
        run = trend_run_start(
            actor=request.user, cluster=cluster, period=payload.period, params=payload.params
        )
    except ValidationError as exc:
        if getattr(exc, "code", None) == "running":
            raise HttpError(409, " ".join(exc.messages)) from exc
        raise
    return Status(202, run)
