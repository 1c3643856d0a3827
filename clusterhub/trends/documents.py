"""The documents a trend run reads, and the snapshot that says what they were.

Documents: EU projects (title and objective, dated by their start) and approved members'
contributions (title and text, dated when posted). A contribution merged into another counts
for the one it was merged into: it adds to that one's weight, and its organization joins the
members who raised it. Organizations that endorsed a contribution are members behind it too.

The region reads every project and contribution; a cluster reads its projects
(`projects_of_cluster`) and the contributions posted to it.
"""

from __future__ import annotations

import datetime
import hashlib
from collections import defaultdict
from collections.abc import Iterator
from dataclasses import dataclass, field

from django.db.models import Max, QuerySet
from django.utils import timezone

from analytics.trends import TrendDocument
from clusterhub.contributions.models import Contribution, ContributionStatus, Endorsement
from clusterhub.projects.models import Project
from clusterhub.projects.selectors import counted_project_clusters, projects_of_cluster
from clusterhub.regions.models import Cluster

PROJECT = "project"
CONTRIBUTION = "contribution"
MEMBER = "organization"  # members of a TrendDocument: "organization:<id>"
# Texts are cut by the detection anyway (TrendParams.max_chars); this bounds what is loaded.
TEXT_LIMIT = 4000


def document_key(source: str, pk: int) -> str:
    return f"{source}:{pk}"


def parse_key(key: str) -> tuple[str, int]:
    source, _sep, pk = key.partition(":")
    return source, int(pk)


def member_key(organization_id: int) -> str:
    return f"{MEMBER}:{organization_id}"


@dataclass(frozen=True)
class Merged:
    """A contribution merged into one of the documents: shown with it as evidence."""

    id: int
    title: str
    date: datetime.date
    organization_id: int
    kind: str


@dataclass
class DocumentInfo:
    """What the evidence rows keep of a document besides the detection's own output."""

    source: str
    pk: int
    title: str
    date: datetime.date
    kind: str = ""
    organization_id: int | None = None
    merged: list[Merged] = field(default_factory=list)
    # Organizations that endorsed it or one of the contributions merged into it.
    endorsers: list[int] = field(default_factory=list)

    def members(self) -> list[int]:
        """Each organization behind it once: who posted it, who posted a merged duplicate,
        who endorsed them."""
        found = [self.organization_id] if self.organization_id else []
        found += [row.organization_id for row in self.merged] + self.endorsers
        return list(dict.fromkeys(found))


@dataclass
class ScopeDocuments:
    documents: list[TrendDocument]
    info: dict[str, DocumentInfo]
    snapshot: dict[str, object]


def scope_projects(cluster: Cluster | None) -> QuerySet[Project]:
    projects = Project.objects.all() if cluster is None else projects_of_cluster([cluster.pk])
    return projects.exclude(start_date__isnull=True)


def scope_contributions(cluster: Cluster | None) -> QuerySet[Contribution]:
    """Approved contributions of the scope (those merged into them are read with them)."""
    approved = Contribution.objects.filter(status=ContributionStatus.APPROVED)
    if cluster is not None:
        approved = approved.filter(clusters=cluster)
    return approved.distinct()


def _merged_into(targets: set[int]) -> dict[int, list[Contribution]]:
    """{target id: contributions merged into it}, following merges of merges."""
    found: dict[int, list[Contribution]] = defaultdict(list)
    frontier = {pk: pk for pk in targets}  # contribution id -> the target it counts for
    while frontier:
        rows = list(
            Contribution.objects.filter(
                status=ContributionStatus.MERGED, merged_into_id__in=list(frontier)
            ).only("id", "title", "created_at", "organization_id", "kind", "merged_into_id")
        )
        next_frontier: dict[int, int] = {}
        for row in rows:
            target = frontier[row.merged_into_id]  # type: ignore[index]
            if row.pk in targets or any(m.pk == row.pk for m in found[target]):
                continue
            found[target].append(row)
            next_frontier[row.pk] = target
        frontier = next_frontier
    return found


def _cluster_slugs() -> dict[int, str]:
    return dict(Cluster.objects.values_list("id", "slug"))


def _local_date(moment: datetime.datetime) -> datetime.date:
    return timezone.localdate(moment) if timezone.is_aware(moment) else moment.date()


def _iso(value: object) -> str:
    return value.isoformat() if isinstance(value, datetime.date | datetime.datetime) else ""


def _hash(lines: Iterator[str]) -> str:
    digest = hashlib.sha256()
    for line in lines:
        digest.update(line.encode())
        digest.update(b"\n")
    return digest.hexdigest()


def scope_snapshot(cluster: Cluster | None) -> dict[str, object]:
    """Counts, newest ids and changes, and a hash of what a run of this scope would read
    (ids, change times, cluster links, merges and endorsements; no texts loaded)."""
    projects = scope_projects(cluster)
    project_rows = sorted(projects.values_list("id", "updated_at"))
    project_ids = [pk for pk, _updated in project_rows]
    links = sorted(
        counted_project_clusters()
        .filter(project_id__in=projects.values("id"))
        .values_list("project_id", "cluster_id")
    )
    targets = scope_contributions(cluster)
    target_rows = sorted(targets.values_list("id", "updated_at"))
    merged = _merged_into({pk for pk, _updated in target_rows})
    merged_rows = sorted((target, row.pk) for target, rows in merged.items() for row in rows)
    contribution_ids = [pk for pk, _u in target_rows] + [pk for _t, pk in merged_rows]
    endorsements = sorted(
        Endorsement.objects.filter(contribution_id__in=contribution_ids).values_list(
            "contribution_id", "organization_id"
        )
    )
    contribution_clusters = sorted(
        Contribution.clusters.through.objects.filter(
            contribution_id__in=[pk for pk, _u in target_rows]
        ).values_list("contribution_id", "cluster_id")
    )

    def lines() -> Iterator[str]:
        for pk, updated in project_rows:
            yield f"p {pk} {_iso(updated)}"
        for pk, cluster_id in links:
            yield f"pc {pk} {cluster_id}"
        for pk, updated in target_rows:
            yield f"c {pk} {_iso(updated)}"
        for pk, cluster_id in contribution_clusters:
            yield f"cc {pk} {cluster_id}"
        for target, pk in merged_rows:
            yield f"m {target} {pk}"
        for pk, organization in endorsements:
            yield f"e {pk} {organization}"

    project_figures = projects.aggregate(last=Max("updated_at"))
    contribution_figures = Contribution.objects.filter(pk__in=contribution_ids).aggregate(
        last=Max("updated_at")
    )
    return {
        "projects": len(project_ids),
        "contributions": len(target_rows),
        "merged_contributions": len(merged_rows),
        "endorsements": len(endorsements),
        "max_project_id": max(project_ids, default=None),
        "max_project_updated_at": _iso(project_figures["last"]),
        "max_contribution_id": max(contribution_ids, default=None),
        "max_contribution_updated_at": _iso(contribution_figures["last"]),
        "hash": _hash(lines()),
    }


def scope_documents(cluster: Cluster | None) -> ScopeDocuments:
    """The scope's documents for `detect_trends`, what evidence keeps of them, the snapshot."""
    slugs = _cluster_slugs()
    documents: list[TrendDocument] = []
    info: dict[str, DocumentInfo] = {}

    projects = scope_projects(cluster).only("id", "title", "objective", "start_date")
    project_clusters: dict[int, list[str]] = defaultdict(list)
    for project_id, cluster_id in (
        counted_project_clusters()
        .filter(project_id__in=scope_projects(cluster).values("id"))
        .order_by("cluster__position")
        .values_list("project_id", "cluster_id")
    ):
        project_clusters[project_id].append(slugs[cluster_id])
    for project in projects.order_by("start_date", "id").iterator(chunk_size=500):
        key = document_key(PROJECT, project.pk)
        text = f"{project.title}. {project.objective}"[:TEXT_LIMIT]
        assert project.start_date is not None  # excluded by scope_projects
        documents.append(
            TrendDocument(
                key=key,
                text=text,
                date=project.start_date,
                groups=tuple(project_clusters.get(project.pk, ())),
            )
        )
        info[key] = DocumentInfo(PROJECT, project.pk, project.title[:300], project.start_date)

    contributions = list(
        scope_contributions(cluster)
        .only("id", "title", "text", "created_at", "organization_id", "kind")
        .prefetch_related("clusters")
        .order_by("created_at", "id")
    )
    merged = _merged_into({c.pk for c in contributions})
    endorsers: dict[int, list[int]] = defaultdict(list)
    for contribution_id, organization_id in Endorsement.objects.filter(
        contribution_id__in=[c.pk for c in contributions]
        + [m.pk for rows in merged.values() for m in rows]
    ).values_list("contribution_id", "organization_id"):
        endorsers[contribution_id].append(organization_id)
    for contribution in contributions:
        key = document_key(CONTRIBUTION, contribution.pk)
        absorbed = merged.get(contribution.pk, [])
        endorsed = [
            organization
            for pk in [contribution.pk, *(row.pk for row in absorbed)]
            for organization in endorsers.get(pk, [])
        ]
        members = [contribution.organization_id, *(row.organization_id for row in absorbed)]
        date = _local_date(contribution.created_at)
        documents.append(
            TrendDocument(
                key=key,
                text=f"{contribution.title}. {contribution.text}"[:TEXT_LIMIT],
                date=date,
                groups=tuple(
                    c.slug for c in sorted(contribution.clusters.all(), key=lambda c: c.position)
                ),
                members=tuple(member_key(pk) for pk in dict.fromkeys(members + endorsed)),
                weight=1.0 + len(absorbed),
            )
        )
        info[key] = DocumentInfo(
            CONTRIBUTION,
            contribution.pk,
            contribution.title[:300],
            date,
            kind=contribution.kind,
            organization_id=contribution.organization_id,
            merged=[
                Merged(
                    row.pk,
                    row.title[:300],
                    _local_date(row.created_at),
                    row.organization_id,
                    row.kind,
                )
                for row in absorbed
            ],
            endorsers=endorsed,
        )
    return ScopeDocuments(documents, info, scope_snapshot(cluster))
