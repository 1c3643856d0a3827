"""Demo data: the preset's real organizations, working groups and one account per role.

Loaded by `manage.py load_demo` (and `make run`) from the region preset's `demo:` section.
It only adds what is missing: re-running creates nothing twice and never overwrites
edits made in the running platform.
"""

import csv
from collections.abc import Iterator
from dataclasses import dataclass, field
from importlib import import_module
from pathlib import Path
from typing import Any

import yaml
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Q
from django.urls import reverse

from analytics.textnorm import normalize_name
from clusterhub.people.models import ClusterRole, OrganizationRole, OrganizationRoleKind, Person
from clusterhub.regions.models import Cluster, Competence
from clusterhub.registry.models import (
    Membership,
    Organization,
    OrganizationKind,
    WorkingGroup,
    WorkingGroupKind,
)
from clusterhub.registry.services import membership_upsert, organization_create

# Shown by `make run` and the README: these accounts exist only where demo data is loaded.
DEMO_PASSWORD = "clusterhub-demo"
OFFICER_EMAIL = "demo-officer@clusterhub.local"
MANAGER_EMAIL = "demo-manager@clusterhub.local"
ORG_ADMIN_EMAIL = "demo-orgadmin@clusterhub.local"
MEMBER_EMAIL = "demo-member@clusterhub.local"
ADMIN_EMAIL = "admin@clusterhub.local"

ORGANIZATION_COLUMNS = {"source", "name", "kind", "competences", "clusters"}
# Columns copied as they are onto the organization.
PLAIN_COLUMNS = ("pic", "street", "postcode", "city", "website", "description")


# Each app's `demo.load_demo()`, in this order: trends read the contributions, the
# digest reads events and opportunities, the assessment and engagement read all of them.
APP_DEMOS = (
    "contributions.demo",
    "events.demo",
    "opportunities.demo",
    "digest.demo",
    "trends.demo",
    # The agenda links contributions and trends; its consultation adds ballots to it.
    "agenda.demo",
    "agenda.demo_consult",
    # Assessment evidence and engagement scores read everything above.
    "assessment.demo",
    "engagement.demo",
    "audit.demo",
    # Last: consents for every account the demos created.
    "privacy.demo",
)


class DemoError(ValueError):
    """The demo section or its files are malformed; the message names the place at fault."""


@dataclass
class DemoSummary:
    organizations_created: int = 0
    organizations_present: int = 0
    memberships_created: int = 0
    working_groups_created: int = 0
    accounts_created: int = 0
    projects_created: int = 0
    participations_linked: int = 0
    projects_classified: int = 0
    profiles_indexed: int = 0
    # One line from each app's own demo (contributions, events, ...), in loading order.
    app_lines: list[str] = field(default_factory=list)
    # (role, email) of every demo login, in the order a newcomer would try them.
    logins: list[tuple[str, str]] = field(default_factory=list)


def _demo_section(preset_path: Path) -> dict[str, Any]:
    try:
        data = yaml.safe_load(preset_path.read_text(encoding="utf-8"))
    except (OSError, yaml.YAMLError) as exc:
        raise DemoError(f"{preset_path}: cannot read preset ({exc})") from exc
    if not isinstance(data, dict) or not isinstance(data.get("demo"), dict):
        raise DemoError(f"{preset_path}: the preset has no 'demo' section")
    demo = dict(data["demo"])
    demo["competence_clusters"] = data.get("competence_clusters") or {}
    return demo


def _rows(path: Path) -> Iterator[tuple[int, dict[str, str]]]:
    try:
        with path.open(encoding="utf-8-sig", newline="") as handle:
            reader = csv.DictReader(handle)
            missing = ORGANIZATION_COLUMNS - set(reader.fieldnames or [])
            if missing:
                raise DemoError(f"{path.name}: missing columns {', '.join(sorted(missing))}")
            for line, row in enumerate(reader, start=2):
                yield line, {key: (value or "").strip() for key, value in row.items() if key}
    except OSError as exc:
        raise DemoError(f"{path}: cannot read organizations ({exc})") from exc


class _Clusters:
    """Resolves cluster slugs and the preset's competence -> clusters mapping."""

    def __init__(self, competence_clusters: dict[Any, Any]) -> None:
        self.by_slug = {cluster.slug: cluster for cluster in Cluster.objects.all()}
        self.competences = {c.code: c for c in Competence.objects.select_related("parent")}
        self.mapping: dict[str, list[Cluster]] = {}
        for code, slugs in competence_clusters.items():
            if str(code) not in self.competences:
                raise DemoError(f"competence_clusters: unknown competence '{code}'")
            self.mapping[str(code)] = [self.get(slug, "competence_clusters") for slug in slugs]

    def get(self, slug: str, where: str) -> Cluster:
        if slug not in self.by_slug:
            raise DemoError(f"{where}: unknown cluster '{slug}'")
        return self.by_slug[slug]

    def for_competences(self, competences: list[Competence]) -> set[Cluster]:
        found: set[Cluster] = set()
        for competence in competences:
            found.update(self.mapping.get(competence.code, []))
            if competence.parent is not None:
                found.update(self.mapping.get(competence.parent.code, []))
        return found


def _items(cell: str) -> list[str]:
    """The entries of a list cell: "3|4|6"."""
    return [item.strip() for item in cell.split("|") if item.strip()]


def _existing(row: dict[str, str]) -> Organization | None:
    """The organization a row describes, by its natural key: PIC, else name and postcode."""
    match = Q(normalized_name=normalize_name(row["name"]), postcode=row.get("postcode", ""))
    if row.get("pic"):
        match |= Q(pic=row["pic"])
    return Organization.objects.filter(match).first()


def _load_organizations(path: Path, clusters: _Clusters, summary: DemoSummary) -> None:
    for line, row in _rows(path):
        where = f"{path.name} line {line}"
        if row["kind"] not in OrganizationKind.values:
            raise DemoError(f"{where}: unknown kind '{row['kind']}'")
        competences = []
        for code in _items(row["competences"]):
            if code not in clusters.competences:
                raise DemoError(f"{where}: unknown competence '{code}'")
            competences.append(clusters.competences[code])
        organization = _existing(row)
        if organization is None:
            try:
                organization = organization_create(
                    name=row["name"],
                    kind=row["kind"],
                    source=row["source"],
                    htn_accredited=row.get("htn_accredited", "").lower() == "true",
                    competences=competences,
                    **{column: row.get(column, "") for column in PLAIN_COLUMNS},
                )
            except ValidationError as exc:
                raise DemoError(f"{where}: {'; '.join(exc.messages)}") from exc
            summary.organizations_created += 1
        else:
            summary.organizations_present += 1
        wanted = {clusters.get(slug, where) for slug in _items(row["clusters"])}
        wanted |= clusters.for_competences(competences)
        memberships = Membership.objects.filter(organization=organization)
        present = set(memberships.values_list("cluster_id", flat=True))
        for cluster in sorted(wanted, key=lambda c: c.position):
            if cluster.pk not in present:
                membership_upsert(organization=organization, cluster=cluster)
                summary.memberships_created += 1


def _load_working_groups(demo: dict[str, Any], clusters: _Clusters, summary: DemoSummary) -> None:
    for position, node in enumerate(demo.get("working_groups") or []):
        where = f"demo.working_groups[{position}]"
        cluster = clusters.get(str(node.get("cluster", "")), where)
        if WorkingGroup.objects.filter(cluster=cluster, name=node.get("name", "")).exists():
            continue
        group = WorkingGroup(
            cluster=cluster,
            name=node.get("name", ""),
            kind=node.get("kind", WorkingGroupKind.WORKING_GROUP),
            description=node.get("description", ""),
        )
        try:
            group.full_clean()
        except ValidationError as exc:
            raise DemoError(f"{where}: {'; '.join(exc.messages)}") from exc
        group.save()
        codes = [str(code) for code in node.get("competences") or []]
        group.organizations.set(
            Organization.objects.filter(
                memberships__cluster=cluster, competences__code__in=codes
            ).distinct()
        )
        summary.working_groups_created += 1


def _account(email: str, full_name: str, summary: DemoSummary, **flags: bool) -> Person:
    person = Person.objects.filter(email=email).first()
    if person is None:
        person = Person.objects.create_user(email, DEMO_PASSWORD, full_name=full_name, **flags)
        summary.accounts_created += 1
    return person


def _load_accounts(demo: dict[str, Any], clusters: _Clusters, summary: DemoSummary) -> None:
    cluster = clusters.get(str(demo.get("manager_cluster", "")), "demo.manager_cluster")
    name = str(demo.get("member_organization", ""))
    organization = (
        Organization.objects.filter(
            normalized_name=normalize_name(name), memberships__cluster=cluster
        )
        .order_by("id")
        .first()
    )
    if organization is None:
        raise DemoError(
            f"demo.member_organization: no organization named '{name}' in cluster '{cluster.slug}'"
        )

    _account(OFFICER_EMAIL, "Demo Regional Officer", summary, is_regional_officer=True)
    manager = _account(MANAGER_EMAIL, f"Demo Manager of {cluster.short_name}", summary)
    ClusterRole.objects.get_or_create(person=manager, cluster=cluster)
    org_admin = _account(ORG_ADMIN_EMAIL, f"Demo Admin of {organization.name}", summary)
    OrganizationRole.objects.get_or_create(
        person=org_admin,
        organization=organization,
        defaults={"role": OrganizationRoleKind.ADMIN},
    )
    member = _account(MEMBER_EMAIL, f"Demo Member of {organization.name}", summary)
    OrganizationRole.objects.get_or_create(
        person=member, organization=organization, defaults={"role": OrganizationRoleKind.MEMBER}
    )
    _account(ADMIN_EMAIL, "Back-office Admin", summary, is_staff=True, is_superuser=True)
    summary.logins = [
        ("Regional officer (all clusters)", OFFICER_EMAIL),
        (f"Cluster manager ({cluster.short_name or cluster.slug})", MANAGER_EMAIL),
        (f"Organization admin ({organization.name})", ORG_ADMIN_EMAIL),
        (f"Member user ({organization.name})", MEMBER_EMAIL),
        (f"Back office at {reverse('admin:index')} (superuser)", ADMIN_EMAIL),
    ]


def demo_load(*, preset_path: Path) -> DemoSummary:
    """Load the preset's demo organizations, memberships, working groups and accounts.

    All or nothing: a bad row or setting raises DemoError and nothing is stored.
    """
    demo = _demo_section(preset_path)
    summary = DemoSummary()
    with transaction.atomic():
        clusters = _Clusters(demo["competence_clusters"])
        if demo.get("organizations_file"):
            organizations = preset_path.parent / str(demo["organizations_file"])
            _load_organizations(organizations, clusters, summary)
        _load_working_groups(demo, clusters, summary)
        _load_accounts(demo, clusters, summary)
    _load_projects(preset_path, summary)
    _build_match_index(summary)
    for module in APP_DEMOS:
        summary.app_lines.append(import_module(f"clusterhub.{module}").load_demo())
    return summary


def _load_projects(preset_path: Path, summary: DemoSummary) -> None:
    """The preset's real EU projects, linked to the demo registry, with suggested clusters."""
    from clusterhub.projects.classification import classify_projects
    from clusterhub.projects.demo import ProjectDemoError, load_demo_projects

    try:
        report = load_demo_projects(preset_path=preset_path)
    except ProjectDemoError as exc:
        raise DemoError(str(exc)) from exc
    if report is None:
        return
    summary.projects_created = report.projects_created
    summary.participations_linked = sum(report.linked.values())
    if report.projects_created or report.projects_updated:
        summary.projects_classified = classify_projects()


def _build_match_index(summary: DemoSummary) -> None:
    """Index the demo registry for matchmaking, so that the first search is instant."""
    from clusterhub.matchmaking.demo import build_demo_index

    summary.profiles_indexed = build_demo_index().documents
