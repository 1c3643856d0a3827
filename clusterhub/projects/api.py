"""API of EU research projects (CORDIS data, public): the list and a project with its
participants."""

from datetime import date
from typing import Any

from django.db.models import Prefetch
from django.http import HttpRequest
from ninja import Field, Query, Router, Schema
from ninja.pagination import paginate

from clusterhub.api import ERRORS, ID, Page, auth_for
from clusterhub.core.access import Policy, access
from clusterhub.projects.models import Participation, Project, ProjectCluster
from clusterhub.projects.selectors import (
    ProjectFilters,
    participants_for_viewer,
    project_list,
    project_public_get,
)

router = Router(tags=["projects"])


class ProjectQuery(Schema):
    cluster: str = Field("", max_length=50, pattern=r"^[-a-zA-Z0-9_]*$", description="Slug")
    year: int | None = Field(None, ge=1950, le=2100, description="Start year")
    programme: str = Field(
        "",
        max_length=60,
        pattern=r"^[-A-Za-z0-9_.]*$",
        description="FP7, H2020 or HORIZON, or the start of a programme code (H2020-EU.3.2)",
    )
    q: str = Field("", max_length=200, pattern=r"^[^\x00]*$", description="Acronym or title")

    def filters(self) -> ProjectFilters:
        return ProjectFilters(
            q=self.q, cluster=self.cluster, year=self.year, programme=self.programme
        )


class ProjectSummaryOut(Schema):
    id: int
    cordis_id: str
    acronym: str
    title: str
    framework: str
    programme: str
    funding_scheme: str
    start_date: date | None
    end_date: date | None
    total_cost: float | None
    eu_contribution: float | None
    regional_participants: int = Field(description="Participants located in the region")
    clusters: list[str]

    @staticmethod
    def resolve_clusters(project: Project) -> list[str]:
        return [link.cluster.slug for link in project.cluster_links.all()]


class ParticipantOut(Schema):
    name: str
    short_name: str
    pic: str
    role: str
    activity_type: str
    country: str
    city: str
    nuts3: str
    in_region: bool
    eu_contribution: float | None
    organization_id: int | None = Field(
        description="The registry organization, when the caller may see its profile"
    )


class ProjectOut(ProjectSummaryOut):
    objective: str
    topic: str
    call: str
    status: str
    cordis_url: str
    participants: list[ParticipantOut]

    @staticmethod
    def resolve_clusters(project: Project) -> list[str]:
        return [link.cluster.slug for link in project.clusters]  # type: ignore[attr-defined]

    @staticmethod
    def resolve_cordis_url(project: Project) -> str:
        return f"https://cordis.europa.eu/project/id/{project.cordis_id}"

    @staticmethod
    def resolve_regional_participants(project: Project) -> int:
        return sum(1 for p in project.participant_list if p.in_region)  # type: ignore[attr-defined]

    @staticmethod
    def resolve_participants(project: Project, context: Any) -> list[dict[str, Any]]:
        viewer = context["request"].user
        rows = []
        for participation, linkable in participants_for_viewer(project, viewer):
            rows.append(_participant(participation, linkable))
        return rows


def _participant(participation: Participation, linkable: bool) -> dict[str, Any]:
    fields = ParticipantOut.model_fields
    data = {name: getattr(participation, name) for name in fields if name != "organization_id"}
    data["organization_id"] = participation.organization_id if linkable else None
    return data


@router.get(
    "/projects",
    response={200: list[ProjectSummaryOut], **ERRORS},
    auth=auth_for(Policy.PUBLIC),
)
@access(Policy.PUBLIC)
@paginate(Page)
def list_projects(request: HttpRequest, filters: Query[ProjectQuery]) -> Any:
    """EU research projects, newest first; `cluster` keeps those assigned to the cluster or
    with one of its active members among the participants."""
    links = ProjectCluster.objects.filter(rejected=False).select_related("cluster")
    return (
        project_list(filters.filters())
        .defer("objective", "keywords")
        .prefetch_related(Prefetch("cluster_links", queryset=links))
    )


@router.get(
    "/projects/{project_id}",
    response={200: ProjectOut, **ERRORS},
    auth=auth_for(Policy.PUBLIC),
)
@access(Policy.PUBLIC)
def get_project(request: HttpRequest, project_id: int = ID) -> Project:
    """A project with every participant; a participant's `organization_id` is given when the
    caller may see that registry profile."""
    return project_public_get(project_id=project_id)
