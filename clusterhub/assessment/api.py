"""API of the self-assessments: read them (scoped like the pages), compare clusters.

Managers and regional officers read every assessment of their clusters, drafts included;
other signed-in people read published ones; a cluster or assessment out of reach answers 404.
"""

from datetime import datetime
from typing import Any

from django.http import HttpRequest
from ninja import Field, Query, Router, Schema

from clusterhub.api import ERRORS, ID, SLUG, auth_for
from clusterhub.assessment import selectors
from clusterhub.assessment.models import Assessment
from clusterhub.assessment.scoring import Scores
from clusterhub.core.access import Policy, access

router = Router(tags=["assessment"])


class AreaScoreOut(Schema):
    code: str
    label: str
    percent: float = Field(description="Weighted mean of the area's indicator scores, %")
    answered: int
    total: int


class AssessmentOut(Schema):
    id: int
    cluster: str
    year: int
    status: str
    framework_version: str
    overall_percent: float
    reference_percent: float = Field(description="Reference level shown on the charts, %")
    areas: list[AreaScoreOut]
    submitted_at: datetime | None
    published_at: datetime | None


class AnswerOut(Schema):
    indicator: str
    area: str
    text: str
    value: float | None
    level: int | None
    max_level: int
    note: str
    prefilled: bool = Field(description="Filled from the platform's own data")
    overridden: bool = Field(description="The manager replaced the platform's figure")
    evidence: dict[str, Any]


class AssessmentDetailOut(AssessmentOut):
    answers: list[AnswerOut]


class CompareQuery(Schema):
    cluster: list[str] = Field(
        default_factory=list,
        description=f"Cluster slugs (up to {selectors.MAX_COMPARED})",
        max_length=selectors.MAX_COMPARED,
    )
    year: int | None = Field(None, ge=2000, le=2100, description="Default: each one's latest")


class ComparedOut(Schema):
    cluster: str
    assessment: AssessmentOut | None = Field(
        description="Latest submitted or published assessment; null: none"
    )


def _out(assessment: Assessment, scores: Scores) -> dict[str, Any]:
    return {
        "id": assessment.pk,
        "cluster": assessment.cluster.slug,
        "year": assessment.year,
        "status": assessment.status,
        "framework_version": assessment.framework_version,
        "overall_percent": scores.overall,
        "reference_percent": scores.reference,
        "areas": [area.__dict__ for area in scores.areas],
        "submitted_at": assessment.submitted_at,
        "published_at": assessment.published_at,
    }


@router.get(
    "/clusters/{slug}/assessments",
    response={200: list[AssessmentOut], **ERRORS},
    auth=auth_for(Policy.AUTHENTICATED),
    summary="Self-assessments of a cluster",
)
@access(Policy.AUTHENTICATED)
def assessment_list(request: HttpRequest, slug: str = SLUG) -> Any:
    """Newest year first: every one for its managers and officers, published ones for others."""
    cluster = selectors.cluster_get(slug=slug)
    return [_out(a, scores) for a, scores in selectors.history(request.user, cluster)]


@router.get(
    "/assessments/{assessment_id}",
    response={200: AssessmentDetailOut, **ERRORS},
    auth=auth_for(Policy.AUTHENTICATED),
    summary="One self-assessment with its answers and evidence",
)
@access(Policy.AUTHENTICATED)
def assessment_detail(request: HttpRequest, assessment_id: int = ID) -> Any:
    assessment = selectors.assessment_get_by_id(user=request.user, pk=assessment_id)
    view = selectors.assessment_view(assessment)
    answers = [
        {
            "indicator": row.indicator.code,
            "area": area.code,
            "text": row.indicator.label,
            "value": None if row.answer.value is None else float(row.answer.value),
            "level": row.answer.level,
            "max_level": row.indicator.max_level,
            "note": row.answer.note,
            "prefilled": row.answer.prefilled,
            "overridden": row.answer.overridden,
            "evidence": row.answer.evidence or {},
        }
        for area in view.areas
        for row in area.rows
    ]
    return {**_out(assessment, view.scores), "answers": answers}


@router.get(
    "/assessment/compare",
    response={200: list[ComparedOut], **ERRORS},
    auth=auth_for(Policy.OFFICER),
    summary="Clusters' self-assessments side by side",
)
@access(Policy.OFFICER)
def assessment_compare(request: HttpRequest, filters: Query[CompareQuery]) -> Any:
    """Each cluster asked for, with its latest submitted or published assessment's scores."""
    compared = selectors.compare(user=request.user, slugs=filters.cluster, year=filters.year)
    return [
        {
            "cluster": c.cluster.slug,
            "assessment": _out(c.assessment, c.scores) if c.assessment and c.scores else None,
        }
        for c in compared
    ]
