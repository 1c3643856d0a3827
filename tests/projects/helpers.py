"""Paths of the real file slices and a snapshot of everything a project import touches."""

from pathlib import Path

from clusterhub.projects.models import ParticipantMatch, Participation, Project
from clusterhub.registry.models import Organization, OrganizationMerge

FILES = Path(__file__).parent / "files"
INRAE_CSV = [FILES / "inrae_projects.csv", FILES / "inrae_participants.csv"]
INRAE_JSON = [FILES / "inrae_projects.json"]
CLEANTECH = [FILES / "cleantech.csv"]
BULK = [FILES / "bulk_project.csv", FILES / "bulk_organization.csv"]


def projects_state() -> dict:
    """Rows an import may write: equal before and after means nothing was stored."""
    return {
        "projects": list(
            Project.objects.order_by("pk").values_list("pk", "cordis_id", "title", "updated_at")
        ),
        "participations": list(
            Participation.objects.order_by("pk").values_list(
                "pk", "participant_key", "organization_id", "in_region", "eu_contribution"
            )
        ),
        "matches": list(ParticipantMatch.objects.order_by("pk").values_list("pk", "status")),
        "organizations": list(
            Organization.objects.order_by("pk").values_list("pk", "name", "version")
        ),
        "merges": OrganizationMerge.objects.count(),
    }
