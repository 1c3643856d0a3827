"""The role x route matrix: who gets which answer from every route. One row per case.

Columns: anonymous, member, org_admin (of member_org, in agrifood), manager (of agrifood),
officer. 302 for anonymous on a protected page is the redirect to sign in; 404 is an
object outside the caller's reach (tenant isolation). Every named route of the project
must have at least one row (see test_matrix.py): a new route is added here or the suite fails.
"""

from importlib import import_module
from typing import Any

from tests.access.rows import (
    AGRIFOOD,
    EVERYONE,
    MANAGERS,
    MANAGERS_OF_MECH,
    MECH,
    MEMBER_ORG,
    OTHER_ORG,
    SIGNED_IN,
    Row,
    World,
)


def _members_saved_search(world: World) -> int:
    from clusterhub.matchmaking.models import SavedSearch

    person = world.member_token.person
    return SavedSearch.objects.get_or_create(person=person, query="robotica")[0].pk


def _project(world: World) -> int:
    from clusterhub.projects.models import Project

    return Project.objects.get_or_create(
        cordis_id="101000001", defaults={"framework": "HORIZON", "title": "A project"}
    )[0].pk


def _project_match(world: World, organization: Any) -> int:
    """A pending review-queue match whose candidate is `organization`."""
    from clusterhub.projects.models import ParticipantMatch, Participation

    participation = Participation.objects.get_or_create(
        project_id=_project(world),
        participant_key=f"name:participant of {organization.pk}",
        defaults={"name": "PARTICIPANT SRL", "in_region": True},
    )[0]
    match = ParticipantMatch.objects.get_or_create(
        participation=participation, candidate=organization, defaults={"score": 0.8}
    )[0]
    return match.pk


def _project_import_job(world: World) -> int:
    from clusterhub.projects.models import ProjectImportJob

    return ProjectImportJob.objects.get_or_create(layout="auto")[0].pk


HTML = [
    Row("core:home", "GET", EVERYONE),
    Row("core:healthz", "GET", EVERYONE),
    Row("set_language", "POST", (302,) * 5, data=lambda w: {"language": "it", "next": "/"}),
    Row("javascript-catalog", "GET", EVERYONE),
    # Public registry
    Row("registry:directory", "GET", EVERYONE),
    Row("registry:organization_detail", "GET", EVERYONE, MEMBER_ORG),
    Row("registry_export:organizations_csv", "GET", EVERYONE),
    Row("registry_export:organizations_json", "GET", EVERYONE),
    Row("regions:cluster_list", "GET", EVERYONE),
    Row("regions:cluster_detail", "GET", EVERYONE, AGRIFOOD),
    # Editing an organization: its admins, its cluster's managers, officers.
    Row("registry:organization_edit", "GET", (302, 403, 200, 200, 200), MEMBER_ORG, note="own"),
    Row("registry:organization_edit", "GET", (302, 403, 404, 404, 200), OTHER_ORG, note="mech"),
    # Import, per cluster
    Row("registry_import:start", "GET", MANAGERS, AGRIFOOD),
    Row("registry_import:start", "GET", MANAGERS_OF_MECH, MECH, note="mech"),
    Row(
        "registry_import:mapping",
        "GET",
        MANAGERS,
        lambda w: {"slug": "agrifood", "job_id": w.agrifood_job.pk},
    ),
    Row(
        "registry_import:mapping",
        "GET",
        MANAGERS_OF_MECH,
        lambda w: {"slug": "mech", "job_id": w.mech_job.pk},
        note="mech",
    ),
    Row(
        "registry_import:mapping",
        "GET",
        (302, 403, 403, 404, 404),
        lambda w: {"slug": "agrifood", "job_id": w.mech_job.pk},
        note="mech job, own cluster",
    ),
    Row(
        "registry_import:detail",
        "GET",
        MANAGERS,
        lambda w: {"slug": "agrifood", "job_id": w.agrifood_job.pk},
    ),
    Row(
        "registry_import:detail",
        "GET",
        MANAGERS_OF_MECH,
        lambda w: {"slug": "mech", "job_id": w.mech_job.pk},
        note="mech",
    ),
    Row(
        "registry_import:commit",
        "POST",
        (302, 403, 403, 409, 409),
        lambda w: {"slug": "agrifood", "job_id": w.agrifood_job.pk},
        note="not yet checked",
    ),
    Row(
        "registry_import:commit",
        "POST",
        (302, 403, 403, 404, 409),
        lambda w: {"slug": "mech", "job_id": w.mech_job.pk},
        note="mech",
    ),
    # Members page of a cluster
    Row("registry_manage:members", "GET", MANAGERS, AGRIFOOD),
    Row("registry_manage:members", "GET", MANAGERS_OF_MECH, MECH, note="mech"),
    Row(
        "registry_manage:membership_status",
        "POST",
        (302, 403, 403, 302, 302),
        lambda w: {"slug": "agrifood", "membership_id": w.agrifood_membership.pk},
        lambda w: {"action": "suspend"},
    ),
    Row(
        "registry_manage:membership_status",
        "POST",
        (302, 403, 403, 404, 302),
        lambda w: {"slug": "mech", "membership_id": w.mech_membership.pk},
        lambda w: {"action": "suspend"},
        note="mech",
    ),
    Row(
        "registry_manage:membership_status",
        "POST",
        (302, 403, 403, 404, 404),
        lambda w: {"slug": "agrifood", "membership_id": w.mech_membership.pk},
        lambda w: {"action": "suspend"},
        note="mech membership, own cluster",
    ),
    # Accounts
    Row("people:login", "GET", (200, 302, 302, 302, 302)),
    Row("people:logout", "POST", (302,) * 5),
    Row("people:password_change", "GET", SIGNED_IN),
    Row("people:password_change_done", "GET", SIGNED_IN),
    Row("people:password_reset", "GET", EVERYONE),
    Row("people:password_reset_done", "GET", EVERYONE),
    Row(
        "people:password_reset_confirm",
        "GET",
        EVERYONE,
        lambda w: {"uidb64": "MQ", "token": "bad-token"},
        note="invalid link",
    ),
    Row("people:password_reset_complete", "GET", EVERYONE),
    Row("people:account", "GET", SIGNED_IN),
    Row("people:token_create", "POST", SIGNED_IN, data=lambda w: {"name": "script"}),
    Row(
        "people:token_revoke",
        "POST",
        (302, 302, 404, 404, 404),
        lambda w: {"token_id": w.member_token.pk},
        note="the member's token",
    ),
    Row("people:invite", "GET", (302, 403, 200, 200, 200)),
    Row("people:invitation_accept", "GET", EVERYONE, lambda w: {"token": w.invitation_token}),
    # Matchmaking: signed-in people; similar organizations on every (visible) profile.
    Row("matchmaking:search", "GET", SIGNED_IN, data=lambda w: {"q": "robotica"}),
    Row("matchmaking:consortium", "GET", SIGNED_IN, data=lambda w: {"q": "robotica"}),
    Row("matchmaking:saved", "GET", SIGNED_IN),
    Row("matchmaking:saved", "POST", (302,) * 5, data=lambda w: {"q": "robotica"}, note="save"),
    Row(
        "matchmaking:saved_seen",
        "POST",
        (302, 302, 404, 404, 404),
        lambda w: {"saved_search_id": _members_saved_search(w)},
        note="the member's search",
    ),
    Row(
        "matchmaking:saved_delete",
        "POST",
        (302, 302, 404, 404, 404),
        lambda w: {"saved_search_id": _members_saved_search(w)},
        note="the member's search",
    ),
    Row("matchmaking:similar", "GET", EVERYONE, MEMBER_ORG),
    # Monitoring: officers see every cluster, a manager their own (mech answers 404).
    Row("monitoring:dashboard", "GET", MANAGERS),
    Row(
        "monitoring:dashboard",
        "GET",
        MANAGERS_OF_MECH,
        data=lambda w: {"cluster": "mech"},
        note="mech",
    ),
    Row("monitoring:network", "GET", MANAGERS),
    Row(
        "monitoring:network",
        "GET",
        MANAGERS_OF_MECH,
        data=lambda w: {"cluster": "mech"},
        note="mech",
    ),
    Row("monitoring:export_csv", "GET", MANAGERS, lambda w: {"table": "indicators"}),
    Row(
        "monitoring:export_csv",
        "GET",
        MANAGERS_OF_MECH,
        lambda w: {"table": "bridges"},
        lambda w: {"cluster": "mech"},
        note="mech",
    ),
    # EU projects: public pages; import for officers; review queue per managed cluster.
    Row("projects:list", "GET", EVERYONE),
    Row("projects:detail", "GET", EVERYONE, lambda w: {"project_id": _project(w)}),
    Row("projects:import_start", "GET", (302, 403, 403, 403, 200)),
    Row(
        "projects:import_detail",
        "GET",
        (302, 403, 403, 403, 200),
        lambda w: {"job_id": _project_import_job(w)},
    ),
    Row(
        "projects:import_commit",
        "POST",
        (302, 403, 403, 403, 409),
        lambda w: {"job_id": _project_import_job(w)},
        note="not yet checked",
    ),
    Row("projects:review_queue", "GET", MANAGERS),
    Row(
        "projects:match_decide",
        "POST",
        (302, 403, 403, 302, 302),
        lambda w: {"match_id": _project_match(w, w.member_org)},
        lambda w: {"action": "reject"},
        note="agrifood candidate",
    ),
    Row(
        "projects:match_decide",
        "POST",
        (302, 403, 403, 404, 302),
        lambda w: {"match_id": _project_match(w, w.other_org)},
        lambda w: {"action": "reject"},
        note="mech candidate",
    ),
    # Clusters and S3 themes suggested from a profile: for those who may edit it.
    Row("projects:organization_suggestions", "GET", (302, 403, 200, 200, 200), MEMBER_ORG),
    Row(
        "projects:organization_suggestions",
        "GET",
        (302, 403, 404, 404, 200),
        OTHER_ORG,
        note="mech",
    ),
    # A project's suggested clusters: the managers of that cluster and officers decide.
    Row(
        "projects:classification_decide",
        "POST",
        (302, 403, 403, 302, 302),
        lambda w: {"project_id": _project(w)},
        lambda w: {"kind": "cluster", "code": "agrifood", "decision": "keep"},
        note="own cluster",
    ),
    Row(
        "projects:classification_decide",
        "POST",
        (302, 403, 403, 404, 302),
        lambda w: {"project_id": _project(w)},
        lambda w: {"kind": "cluster", "code": "mech", "decision": "reject"},
        note="another cluster",
    ),
]

API = [
    Row("api:list_clusters", "GET", EVERYONE),
    Row("api:get_cluster", "GET", EVERYONE, AGRIFOOD),
    Row("api:list_competences", "GET", EVERYONE),
    Row("api:list_s3_themes", "GET", EVERYONE),
    Row("api:list_territories", "GET", EVERYONE),
    Row("api:list_organizations", "GET", EVERYONE),
    Row("api:get_organization", "GET", EVERYONE, MEMBER_ORG),
    Row("api:list_projects", "GET", EVERYONE, data=lambda w: {"programme": "HORIZON"}),
    Row("api:get_project", "GET", EVERYONE, lambda w: {"project_id": _project(w)}),
    Row("api:export_organizations_csv", "GET", EVERYONE),
    Row("api:export_organizations_json", "GET", EVERYONE),
    Row(
        "api:create_organization",
        "POST",
        (401, 403, 403, 201, 201),
        data=lambda w: {"name": "Nuova Impresa Srl", "kind": "firm", "cluster": "agrifood"},
    ),
    Row(
        "api:create_organization",
        "POST",
        (401, 403, 403, 404, 201),
        data=lambda w: {"name": "Nuova Impresa Srl", "kind": "firm", "cluster": "mech"},
        note="into mech",
    ),
    Row(
        "api:update_organization",
        "PATCH",
        (401, 403, 200, 200, 200),
        MEMBER_ORG,
        lambda w: {"version": 1, "description": "Changed"},
    ),
    Row(
        "api:update_organization",
        "PATCH",
        (401, 403, 404, 404, 200),
        OTHER_ORG,
        lambda w: {"version": 1, "description": "Changed"},
        note="mech",
    ),
    Row("api:list_memberships", "GET", (401, 403, 403, 200, 200), AGRIFOOD),
    Row("api:list_memberships", "GET", (401, 403, 403, 404, 200), MECH, note="mech"),
    Row(
        "api:upsert_membership",
        "POST",
        (401, 403, 403, 201, 201),
        AGRIFOOD,
        lambda w: {"organization_id": w.other_org.pk},
    ),
    Row(
        "api:upsert_membership",
        "POST",
        (401, 403, 403, 404, 201),
        MECH,
        lambda w: {"organization_id": w.member_org.pk},
        note="mech",
    ),
    Row(
        "api:update_membership",
        "PATCH",
        (401, 403, 403, 200, 200),
        lambda w: {"slug": "agrifood", "membership_id": w.agrifood_membership.pk},
        lambda w: {"status": "suspended"},
    ),
    Row(
        "api:update_membership",
        "PATCH",
        (401, 403, 403, 404, 404),
        lambda w: {"slug": "agrifood", "membership_id": w.mech_membership.pk},
        lambda w: {"status": "suspended"},
        note="mech membership, own cluster",
    ),
    Row("api:match", "GET", (401, 200, 200, 200, 200), data=lambda w: {"q": "robotica"}),
    Row("api:organization_similar", "GET", EVERYONE, MEMBER_ORG),
    Row(
        "api:consortium_suggest",
        "POST",
        (401, 200, 200, 200, 200),
        data=lambda w: {"q": "robotica"},
    ),
    Row("api:monitoring_indicators", "GET", (401, 403, 403, 200, 200)),
    Row(
        "api:monitoring_indicators",
        "GET",
        (401, 403, 403, 404, 200),
        data=lambda w: {"cluster": "mech"},
        note="mech",
    ),
    Row("api:monitoring_network", "GET", (401, 403, 403, 200, 200)),
    Row(
        "api:monitoring_network",
        "GET",
        (401, 403, 403, 404, 200),
        data=lambda w: {"cluster": "mech"},
        note="mech",
    ),
    Row("api:me", "GET", (401, 200, 200, 200, 200)),
    Row("api:list_cluster_people", "GET", (401, 403, 403, 200, 200), AGRIFOOD),
    Row("api:list_cluster_people", "GET", (401, 403, 403, 404, 200), MECH, note="mech"),
    Row("api:list_tokens", "GET", (401, 200, 200, 200, 200)),
    Row("api:create_token", "POST", (401, 201, 201, 201, 201), data=lambda w: {"name": "script"}),
    Row(
        "api:revoke_token",
        "DELETE",
        (401, 204, 404, 404, 404),
        lambda w: {"token_id": w.member_token.pk},
        note="the member's token",
    ),
]

# The apps added later keep their rows in tests/access/rows_<app>.py (HTML and API lists).
ROW_MODULES = (
    "contributions",
    "trends",
    "events",
    "opportunities",
    "engagement",
    "digest",
    "assessment",
    "agenda",
    "audit",
    "privacy",
)
for _app in ROW_MODULES:
    _rows = import_module(f"tests.access.rows_{_app}")
    HTML += _rows.HTML
    API += _rows.API

MATRIX = [*HTML, *(Row(**{**r.__dict__, "json": True}) for r in API)]
