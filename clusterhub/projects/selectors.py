"""Reads of the projects app, with their joins done and access checked (404 outside reach).

CORDIS data is public: every project and participant is listed to anyone. A participant's link
to its registry profile is shown only to those who may see that profile
(`registry.selectors.organizations_visible_to`).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.core.paginator import Page, Paginator
from django.db.models import (
    Case,
    Count,
    IntegerField,
    OuterRef,
    Prefetch,
    Q,
    QuerySet,
    Subquery,
    Sum,
    Value,
    When,
)
from django.db.models.functions import Coalesce, ExtractYear
from django.http import Http404

from analytics.textnorm import normalize_words
from clusterhub.projects.models import (
    Framework,
    MatchStatus,
    ParticipantMatch,
    ParticipantRole,
    Participation,
    Project,
    ProjectCluster,
    ProjectImportJob,
    ProjectTheme,
    SuggestionSource,
)
from clusterhub.regions.models import Cluster
from clusterhub.registry.models import Membership, MembershipStatus, Organization
from clusterhub.registry.selectors import clusters_managed_by, organizations_visible_to

ROLE_ORDER = Case(
    When(role=ParticipantRole.COORDINATOR, then=Value(0)),
    When(role=ParticipantRole.PARTICIPANT, then=Value(1)),
    default=Value(2),
    output_field=IntegerField(),
)


@dataclass(frozen=True)
class ProjectFilters:
    """What a project search asks for; every field is optional."""

    q: str = ""  # words of the acronym or title
    cluster: str = ""  # cluster slug
    year: int | None = None  # start year
    programme: str = ""  # a framework (FP7, H2020, HORIZON) or the start of a programme code
    organization: int | None = None  # a registry organization taking part


def projects_of_cluster(cluster_ids: list[int]) -> QuerySet[Project]:
    """Projects a cluster has: counted links to it (`counted_project_clusters`), or an active
    member of it among the participants."""
    members = Membership.objects.filter(
        cluster_id__in=cluster_ids, status=MembershipStatus.ACTIVE
    ).values("organization_id")
    linked = Participation.objects.filter(organization_id__in=members).values("project_id")
    assigned = counted_project_clusters().filter(cluster_id__in=cluster_ids)
    return Project.objects.filter(Q(id__in=assigned.values("project_id")) | Q(id__in=linked))


def project_list(filters: ProjectFilters) -> QuerySet[Project]:
    """Projects matching the filters, newest first, with their regional figures."""
    queryset = Project.objects.all()
    if filters.cluster:
        cluster_ids = list(
            Cluster.objects.filter(slug=filters.cluster).values_list("id", flat=True)
        )
        queryset = queryset.filter(id__in=projects_of_cluster(cluster_ids).values("id"))
    if filters.year:
        queryset = queryset.filter(start_date__year=filters.year)
    if filters.programme:
        if filters.programme in Framework.values:
            queryset = queryset.filter(framework=filters.programme)
        else:
            queryset = queryset.filter(programme__istartswith=filters.programme)
    if filters.organization:
        queryset = queryset.filter(
            id__in=Participation.objects.filter(organization_id=filters.organization).values(
                "project_id"
            )
        )
    for word in normalize_words(filters.q).split()[:8]:
        queryset = queryset.filter(Q(acronym__icontains=word) | Q(title__icontains=word))
    # A correlated count: computed for the rows shown only, not grouped over every match.
    regional = (
        Participation.objects.filter(project=OuterRef("pk"), in_region=True)
        .order_by()
        .values("project")
        .annotate(n=Count("id"))
        .values("n")
    )
    return queryset.annotate(regional_participants=Coalesce(Subquery(regional), Value(0))).order_by(
        "-start_date", "acronym", "id"
    )


def project_list_page(
    filters: ProjectFilters, *, page_number: object = 1, per_page: int = 25
) -> Page:
    return Paginator(project_list(filters).defer("objective", "keywords"), per_page).get_page(
        page_number
    )


def project_filter_choices() -> dict[str, list[Any]]:
    """Frameworks and start years present, for the filter form."""
    years = (
        Project.objects.exclude(start_date__isnull=True)
        .annotate(year=ExtractYear("start_date"))
        .values_list("year", flat=True)
        .distinct()
        .order_by("-year")
    )
    frameworks = set(Project.objects.values_list("framework", flat=True).distinct())
    return {
        "years": list(years),
        "frameworks": [(code, label) for code, label in Framework.choices if code in frameworks],
    }


def project_totals(filters: ProjectFilters) -> dict[str, Any]:
    """Headline figures of a project search: count, EU funding, regional participations."""
    queryset = project_list(filters).order_by()
    ids = queryset.values("id")
    figures = Project.objects.filter(id__in=ids).aggregate(
        projects=Count("id"), eu_contribution=Sum("eu_contribution")
    )
    regional = Participation.objects.filter(project_id__in=ids, in_region=True)
    figures["regional_participations"] = regional.count()
    figures["regional_eu_contribution"] = regional.aggregate(total=Sum("eu_contribution"))["total"]
    return figures


def project_public_get(*, project_id: int) -> Project:
    """A project with its participants (coordinator first), or 404."""
    participations = (
        Participation.objects.select_related("organization")
        .annotate(role_order=ROLE_ORDER)
        .order_by("-in_region", "role_order", "name")
    )
    project = (
        Project.objects.prefetch_related(
            Prefetch("participations", queryset=participations, to_attr="participant_list"),
            Prefetch(
                "cluster_links",
                queryset=counted_project_clusters()
                .select_related("cluster")
                .order_by("cluster__position"),
                to_attr="clusters",
            ),
        )
        .filter(pk=project_id)
        .first()
    )
    if project is None:
        raise Http404("No such project")
    return project


# An automatic cluster suggestion counts in the indicators from this confidence on; a
# manager's confirmation always counts, a rejection never.
COUNTED_CONFIDENCE = 0.5


def counted_project_clusters() -> QuerySet[ProjectCluster]:
    """The project-cluster links that the indicators and project pages count."""
    return ProjectCluster.objects.filter(rejected=False).filter(
        Q(source=SuggestionSource.MANUAL) | Q(confidence__gte=COUNTED_CONFIDENCE)
    )


@dataclass(frozen=True)
class Classification:
    """A project's cluster and S3 theme links as a manager reviews them, best first."""

    clusters: list[ProjectCluster]
    themes: list[ProjectTheme]
    decidable_cluster_ids: set[int]  # clusters this viewer may confirm or reject
    can_decide_themes: bool


def project_classification(*, project: Project, viewer: object) -> Classification:
    clusters = list(
        project.cluster_links.select_related("cluster").order_by("rejected", "-confidence")
    )
    themes = list(
        project.theme_links.select_related("theme__parent").order_by("rejected", "-confidence")
    )
    managed = set(clusters_managed_by(viewer).values_list("id", flat=True))
    return Classification(clusters, themes, managed, bool(managed))


def visible_organization_ids(organization_ids: set[int], viewer: object) -> set[int]:
    """Which of these registry organizations the viewer may open."""
    if not organization_ids:
        return set()
    return set(
        organizations_visible_to(viewer)
        .filter(pk__in=organization_ids)
        .values_list("pk", flat=True)
    )


def participants_for_viewer(project: Project, viewer: object) -> list[tuple[Participation, bool]]:
    """(participation, whether its registry profile may be linked) for the project page."""
    participations: list[Participation] = project.participant_list  # type: ignore[attr-defined]
    visible = visible_organization_ids(
        {p.organization_id for p in participations if p.organization_id}, viewer
    )
    return [(p, p.organization_id in visible) for p in participations]


def organization_participations(*, organization: Organization) -> list[Participation]:
    """An organization's participations in EU projects, newest project first."""
    return list(
        Participation.objects.filter(organization=organization)
        .select_related("project")
        .defer("project__objective", "project__keywords")
        .order_by("-project__start_date", "project__acronym")
    )


# --- Review queue -------------------------------------------------------------------------


def _reviewable(user: object) -> QuerySet[ParticipantMatch]:
    """Matches this person may decide: all for a regional officer; for a cluster manager,
    those whose candidate is a member of a cluster they manage."""
    matches = ParticipantMatch.objects.all()
    if not getattr(user, "is_authenticated", False):
        return matches.none()
    if user.is_regional_officer:  # type: ignore[attr-defined]
        return matches
    members = Membership.objects.filter(cluster__in=clusters_managed_by(user)).values(
        "organization_id"
    )
    return matches.filter(candidate_id__in=members)


def review_queue(*, user: object) -> QuerySet[ParticipantMatch]:
    """Pending matches this person may decide, the most likely first."""
    return (
        _reviewable(user)
        .filter(status=MatchStatus.PENDING)
        .select_related(
            "participation", "participation__project", "participation__organization", "candidate"
        )
        .defer("participation__project__objective", "participation__project__keywords")
        .order_by("-score", "participation__name", "id")
    )


def recently_decided(*, user: object, limit: int = 10) -> list[ParticipantMatch]:
    return list(
        _reviewable(user)
        .exclude(status=MatchStatus.PENDING)
        .select_related("participation", "candidate", "decided_by")
        .order_by("-decided_at", "-id")[:limit]
    )


def match_get_for_reviewer(*, user: object, match_id: int) -> ParticipantMatch:
    match = _reviewable(user).select_related("participation", "candidate").filter(pk=match_id)
    found = match.first()
    if found is None:
        raise Http404("No such match")
    return found


# --- Import jobs --------------------------------------------------------------------------


def import_jobs_recent(limit: int = 20) -> QuerySet[ProjectImportJob]:
    return ProjectImportJob.objects.select_related("created_by").prefetch_related("files")[:limit]


def import_job_get(*, job_id: int) -> ProjectImportJob:
    job = ProjectImportJob.objects.prefetch_related("files").filter(pk=job_id).first()
    if job is None:
        raise Http404("No such import")
    return job
