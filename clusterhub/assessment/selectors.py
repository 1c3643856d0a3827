"""Reads of the assessment app, checked against the caller.

Who sees what: the managers of a cluster and regional officers see every assessment of it
(drafts included) and may change its drafts; any other signed-in person sees its published
assessments only. Anything else answers 404.
"""

from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

from django.db.models import Prefetch, QuerySet
from django.http import Http404

from clusterhub.assessment.framework import (
    Framework,
    Indicator,
    SkillFramework,
    skill_framework,
    stored_assessment_framework,
    stored_skill_framework,
)
from clusterhub.assessment.models import (
    Answer,
    Assessment,
    AssessmentStatus,
    Attachment,
    FeedbackResponse,
    SkillAssessment,
)
from clusterhub.assessment.scoring import Scores, SkillGap, score, skill_gaps, team_levels
from clusterhub.regions.models import Cluster
from clusterhub.registry.selectors import clusters_managed_by

MAX_COMPARED = 7


def may_manage(user: object, cluster: Cluster) -> bool:
    return clusters_managed_by(user).filter(pk=cluster.pk).exists()


def cluster_get(*, slug: str) -> Cluster:
    cluster = Cluster.objects.select_related("group").filter(slug=slug).first()
    if cluster is None:
        raise Http404("No such cluster")
    return cluster


def cluster_get_for_manager(*, user: object, slug: str) -> Cluster:
    cluster = clusters_managed_by(user).select_related("group").filter(slug=slug).first()
    if cluster is None:
        raise Http404("No such cluster")
    return cluster


def assessments_visible_to(user: object, cluster: Cluster) -> QuerySet[Assessment]:
    """The cluster's assessments the user may read, newest year first."""
    assessments = Assessment.objects.filter(cluster=cluster).order_by("-year")
    if may_manage(user, cluster):
        return assessments
    if not getattr(user, "is_authenticated", False):
        return assessments.none()
    return assessments.filter(status=AssessmentStatus.PUBLISHED)


def assessment_get(*, user: object, slug: str, pk: int) -> Assessment:
    cluster = cluster_get(slug=slug)
    assessment = assessments_visible_to(user, cluster).filter(pk=pk).first()
    if assessment is None:
        raise Http404("No such assessment")
    assessment.cluster = cluster
    return assessment


def assessment_get_for_manager(*, user: object, slug: str, pk: int) -> Assessment:
    cluster = cluster_get_for_manager(user=user, slug=slug)
    assessment = Assessment.objects.filter(cluster=cluster, pk=pk).first()
    if assessment is None:
        raise Http404("No such assessment")
    assessment.cluster = cluster
    return assessment


def attachment_get(*, user: object, slug: str, pk: int, attachment_id: int) -> Attachment:
    assessment = assessment_get(user=user, slug=slug, pk=pk)
    attachment = Attachment.objects.filter(answer__assessment=assessment, pk=attachment_id).first()
    if attachment is None:
        raise Http404("No such attachment")
    return attachment


@dataclass
class Row:
    """One indicator of an assessment, with its answer."""

    indicator: Indicator
    answer: Answer
    attachments: list[Attachment] = field(default_factory=list)

    @property
    def evidence(self) -> dict[str, Any]:
        return self.answer.evidence or {}

    @property
    def from_platform(self) -> bool:
        return bool(self.evidence.get("available"))

    @property
    def percent(self) -> float | None:
        if self.answer.level is None:
            return None
        return round(100 * self.answer.level / self.indicator.max_level, 1)


@dataclass
class AreaRows:
    code: str
    label: str
    rows: list[Row]
    percent: float
    answered: int


@dataclass
class AssessmentView:
    assessment: Assessment
    framework: Framework
    scores: Scores
    areas: list[AreaRows]

    @property
    def prefilled(self) -> int:
        return sum(1 for area in self.areas for row in area.rows if row.answer.prefilled)


def levels_of(assessment: Assessment) -> dict[str, int | None]:
    return {a.indicator: a.level for a in assessment.answers.all()}


def assessment_scores(assessment: Assessment) -> Scores:
    """The scores of an assessment, with the framework it was filled with."""
    return score(stored_assessment_framework(assessment.framework), levels_of(assessment))


def assessment_view(assessment: Assessment) -> AssessmentView:
    framework = stored_assessment_framework(assessment.framework)
    answers = {
        a.indicator: a
        for a in Answer.objects.filter(assessment=assessment).prefetch_related(
            Prefetch("attachments", queryset=Attachment.objects.order_by("created_at", "id"))
        )
    }
    scores = score(framework, {code: a.level for code, a in answers.items()})
    by_area = {area.code: area for area in scores.areas}
    areas = []
    for area in framework.areas:
        rows = []
        for indicator in area.indicators:
            answer = answers.get(indicator.code) or Answer(
                assessment=assessment, indicator=indicator.code
            )
            rows.append(
                Row(
                    indicator=indicator,
                    answer=answer,
                    attachments=list(answer.attachments.all()) if answer.pk else [],
                )
            )
        areas.append(
            AreaRows(
                code=area.code,
                label=area.label,
                rows=rows,
                percent=by_area[area.code].percent,
                answered=by_area[area.code].answered,
            )
        )
    return AssessmentView(assessment=assessment, framework=framework, scores=scores, areas=areas)


def history(user: object, cluster: Cluster) -> list[tuple[Assessment, Scores]]:
    """The cluster's assessments the user may read, each with its scores, newest first."""
    assessments = assessments_visible_to(user, cluster).prefetch_related("answers")
    return [(a, assessment_scores(a)) for a in assessments]


# --- Comparison -----------------------------------------------------------------------------


@dataclass
class Compared:
    cluster: Cluster
    assessment: Assessment | None
    scores: Scores | None


def compare(*, user: object, slugs: Sequence[str], year: int | None = None) -> list[Compared]:
    """Each asked cluster with its latest submitted or published assessment (or that year's).

    A cluster the caller may not read answers 404; drafts are never compared.
    """
    wanted = list(dict.fromkeys(slug for slug in slugs if slug))[:MAX_COMPARED]
    clusters = {c.slug: c for c in clusters_managed_by(user).filter(slug__in=wanted)}
    if set(wanted) - set(clusters):
        raise Http404("No such cluster")
    result = []
    for slug in wanted:
        cluster = clusters[slug]
        assessments = Assessment.objects.filter(cluster=cluster).exclude(
            status=AssessmentStatus.DRAFT
        )
        if year is not None:
            assessments = assessments.filter(year=year)
        latest = assessments.order_by("-year").first()
        result.append(
            Compared(
                cluster=cluster,
                assessment=latest,
                scores=assessment_scores(latest) if latest else None,
            )
        )
    return result


def radar_data(series: Sequence[tuple[str, Scores, str]]) -> dict[str, Any]:
    """What static/js/assessment.js draws: one closed polygon per (name, scores, colour)."""
    reference = series[0][1].reference if series else 80.0
    return {
        "reference": reference,
        "series": [
            {
                "name": name,
                "color": color,
                "labels": [area.label for area in scores.areas],
                "values": [area.percent for area in scores.areas],
            }
            for name, scores, color in series
        ],
    }


# --- Skills of cluster managers -------------------------------------------------------------


SUGGESTIONS_PER_AREA = 2


@dataclass
class Suggestion:
    kind: str  # "event" or "opportunity"
    title: str
    when: Any
    url: str


@dataclass
class PlanItem:
    gap: SkillGap
    suggestions: list[Suggestion]


@dataclass
class SkillsView:
    framework: SkillFramework
    mine: SkillAssessment | None
    my_gaps: list[SkillGap]
    team_size: int
    team_gaps: list[SkillGap]
    plan: list[PlanItem]


def cluster_managers(cluster: Cluster) -> QuerySet[Any]:
    from clusterhub.people.models import Person

    return Person.objects.filter(cluster_roles__cluster=cluster).order_by("full_name", "email")


def is_manager_of(user: object, cluster: Cluster) -> bool:
    return (
        bool(getattr(user, "is_authenticated", False))
        and cluster_managers(cluster)
        .filter(
            pk=user.pk  # type: ignore[attr-defined]
        )
        .exists()
    )


def latest_skill_assessments(cluster: Cluster) -> list[SkillAssessment]:
    """The latest skill self-assessment of each current manager of the cluster."""
    latest: dict[int, SkillAssessment] = {}
    for skills in SkillAssessment.objects.filter(
        cluster=cluster, person__in=cluster_managers(cluster)
    ).order_by("person_id", "-date", "-id"):
        latest.setdefault(skills.person_id, skills)
    return list(latest.values())


def _matches(text: str, keywords: Sequence[str]) -> bool:
    text = text.lower()
    return any(keyword in text for keyword in keywords)


def training_suggestions(
    cluster: Cluster, keywords: Sequence[str], *, limit: int = SUGGESTIONS_PER_AREA
) -> list[Suggestion]:
    """Upcoming published events (the cluster's or region-wide) and open opportunities whose
    title or text names one of the area's keywords; events first, soonest first."""
    from django.db.models import Q
    from django.urls import NoReverseMatch, reverse
    from django.utils import timezone

    from clusterhub.events.models import Event, EventStatus
    from clusterhub.opportunities.models import Opportunity

    if not keywords:
        return []
    found: list[Suggestion] = []
    events = (
        Event.objects.filter(status=EventStatus.PUBLISHED, starts_at__gte=timezone.now())
        .filter(Q(clusters=cluster) | Q(clusters__isnull=True))
        .distinct()
        .order_by("starts_at", "id")
    )
    for event in events[:200]:
        if _matches(f"{event.title} {event.description}", keywords):
            try:
                url = reverse("events:detail", kwargs={"event_id": event.pk})
            except NoReverseMatch:  # the events pages are not routed
                url = ""
            found.append(Suggestion("event", event.title, event.starts_at, url))
            if len(found) >= limit:
                return found
    opportunities = (
        Opportunity.objects.filter(deadline__gte=timezone.localdate())
        .filter(Q(clusters=cluster) | Q(clusters__isnull=True))
        .distinct()
        .order_by("deadline", "id")
    )
    for opportunity in opportunities[:200]:
        if _matches(
            f"{opportunity.title} {opportunity.programme} {opportunity.description}", keywords
        ):
            found.append(
                Suggestion("opportunity", opportunity.title, opportunity.deadline, opportunity.url)
            )
            if len(found) >= limit:
                break
    return found


def skills_view(*, user: object, cluster: Cluster) -> SkillsView:
    framework = skill_framework()
    mine = (
        SkillAssessment.objects.filter(cluster=cluster, person=user)
        .order_by("-date", "-id")
        .first()
        if getattr(user, "is_authenticated", False)
        else None
    )
    my_gaps = skill_gaps(stored_skill_framework(mine.framework), mine.answers) if mine else []
    team = latest_skill_assessments(cluster)
    team_gaps = skill_gaps(framework, team_levels([s.answers for s in team])) if team else []
    basis = team_gaps or my_gaps
    plan = [
        PlanItem(
            gap=gap,
            suggestions=training_suggestions(
                cluster, next(a.keywords for a in framework.areas if a.code == gap.code)
            ),
        )
        for gap in sorted(basis, key=lambda g: -g.gap)
        if gap.gap > 0 and framework_has(framework, gap.code)
    ]
    return SkillsView(
        framework=framework,
        mine=mine,
        my_gaps=my_gaps,
        team_size=len(team),
        team_gaps=team_gaps,
        plan=plan,
    )


def framework_has(framework: SkillFramework, code: str) -> bool:
    return any(area.code == code for area in framework.areas)


def assessment_get_by_id(*, user: object, pk: int) -> Assessment:
    """An assessment the user may read (any cluster), or 404."""
    assessment = Assessment.objects.select_related("cluster").filter(pk=pk).first()
    if assessment is None:
        raise Http404("No such assessment")
    if not assessments_visible_to(user, assessment.cluster).filter(pk=pk).exists():
        raise Http404("No such assessment")
    return assessment


# --- Event feedback and the yearly performance account --------------------------------------

FEEDBACK_DAYS = 90


def feedback_registration_get(*, user: object, event_id: int) -> Any:
    """The caller's checked-in registration at an event, or 404: only participants answer."""
    from clusterhub.events.models import Registration

    registration = (
        Registration.objects.select_related("event", "organization")
        .filter(event_id=event_id, person_id=getattr(user, "pk", None), checked_in_at__isnull=False)
        .first()
    )
    if registration is None:
        raise Http404("No such event")
    return registration


def pending_feedback(user: object) -> list[Any]:
    """Events of the last FEEDBACK_DAYS days the caller attended and has not answered about."""
    from datetime import timedelta

    from django.utils import timezone

    from clusterhub.events.models import Registration

    since = timezone.now() - timedelta(days=FEEDBACK_DAYS)
    answered = FeedbackResponse.objects.filter(person_id=getattr(user, "pk", None)).values(
        "event_id"
    )
    return list(
        Registration.objects.select_related("event")
        .filter(
            person_id=getattr(user, "pk", None),
            checked_in_at__isnull=False,
            event__starts_at__gte=since,
        )
        .exclude(event_id__in=answered)
        .order_by("-event__starts_at")
    )


@dataclass
class OutcomeRow:
    code: str
    label: str
    organizations: int
    firms: int
    share: float | None  # of the organizations that answered, %


@dataclass
class PerformanceAccount:
    cluster: Cluster
    year: int
    events: int
    participants: int  # people checked in
    organizations: int  # organizations that took part (checked in)
    firms: int
    responses: int
    responding_organizations: int
    satisfaction_mean: float | None
    satisfaction: dict[int, int]
    outcomes: list[OutcomeRow]


def performance_account(cluster: Cluster, year: int) -> PerformanceAccount:
    """The year's account: who took part in the cluster's events, and what they gained.

    Organizations are counted once per outcome, however many of their people or events
    reported it (as the Danish programme counts firms). Events are the cluster's published
    ones starting that year, as for the self-assessment's evidence.
    """
    from django.db.models import Avg, Count

    from clusterhub.assessment.evidence import Context, events_of_year
    from clusterhub.assessment.models import FeedbackResponse as Response
    from clusterhub.events.models import Registration
    from clusterhub.registry.models import OrganizationKind

    events = events_of_year(Context(cluster, year))
    checked_in = Registration.objects.filter(event__in=events, checked_in_at__isnull=False)
    taking_part = checked_in.exclude(organization=None).values("organization_id").distinct()
    responses = Response.objects.filter(event__in=events)
    responding = responses.exclude(organization=None).values("organization_id").distinct()
    responding_count = responding.count()
    outcomes = []
    for code in OUTCOME_CODES:
        reported = responses.filter(**{code: True}).exclude(organization=None)
        organizations = reported.values("organization_id").distinct().count()
        firms = (
            reported.filter(organization__kind=OrganizationKind.FIRM)
            .values("organization_id")
            .distinct()
            .count()
        )
        outcomes.append(
            OutcomeRow(
                code=code,
                label=str(Response._meta.get_field(code).verbose_name),
                organizations=organizations,
                firms=firms,
                share=round(100 * organizations / responding_count, 1)
                if responding_count
                else None,
            )
        )
    mean = responses.aggregate(mean=Avg("satisfaction"))["mean"]
    spread = dict(
        responses.values_list("satisfaction").annotate(n=Count("id")).order_by("satisfaction")
    )
    return PerformanceAccount(
        cluster=cluster,
        year=year,
        events=events.count(),
        participants=checked_in.values("person_id").distinct().count(),
        organizations=taking_part.count(),
        firms=taking_part.filter(organization__kind=OrganizationKind.FIRM).count(),
        responses=responses.count(),
        responding_organizations=responding_count,
        satisfaction_mean=None if mean is None else round(float(mean), 2),
        satisfaction={score: spread.get(score, 0) for score in range(1, 6)},
        outcomes=outcomes,
    )


OUTCOME_CODES = (
    "knowledge_of_trends",
    "new_competences",
    "new_contacts",
    "new_ideas",
    "new_products",
)
