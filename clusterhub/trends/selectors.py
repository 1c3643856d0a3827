"""Reads of the trends app, with access checked (404 outside the caller's reach).

Who reads what:
- the region's radar and runs: regional officers;
- a cluster's radar, runs, topics and their evidence: its managers, the regional officers,
  and the people of its active member organizations (read only: it is their own voice);
- a cluster's training needs and the opportunities its members reported: its managers and
  the regional officers;
- starting a run: a cluster's managers for their cluster, officers for any scope.
"""

from __future__ import annotations

import math
from collections import defaultdict
from dataclasses import dataclass, field
from typing import Any

import numpy as np
from django.db.models import Prefetch, QuerySet
from django.http import Http404
from django.utils.translation import gettext as _

from analytics.trends import match_topics
from clusterhub.contributions.models import Contribution, ContributionKind, ContributionStatus
from clusterhub.regions.models import Cluster
from clusterhub.registry.models import Organization
from clusterhub.registry.selectors import (
    clusters_managed_by,
    clusters_of_person,
    organizations_visible_to,
)
from clusterhub.trends.models import DocumentSource, RunStatus, Topic, TopicDocument, TrendRun

# Labs for "related labs": the kinds matchmaking's consortium calls research.
LAB_KINDS = ("research_lab", "university", "innovation_centre")
RELATED_LABS = 6
# A topic of an earlier run is "the same" from this cosine of the centroids on.
SAME_TOPIC = 0.8
# Share of the documents that must change for a topic to count as grown or shrunk.
CHANGE_RATIO = 1.25
OPPORTUNITY_KINDS = (ContributionKind.FINANCING, ContributionKind.INTERNATIONALIZATION)


def _is_officer(user: object) -> bool:
    return bool(getattr(user, "is_authenticated", False) and user.is_regional_officer)  # type: ignore[attr-defined]


# --- Scopes ------------------------------------------------------------------------------


def trend_clusters_for(user: object) -> QuerySet[Cluster]:
    """Clusters whose radar this person may read."""
    if not getattr(user, "is_authenticated", False):
        return Cluster.objects.none()
    if _is_officer(user):
        return Cluster.objects.all()
    ids = set(clusters_managed_by(user).values_list("id", flat=True))
    ids |= set(clusters_of_person(user).values_list("id", flat=True))
    return Cluster.objects.filter(pk__in=ids)


def trend_cluster_get(*, user: object, slug: str) -> Cluster:
    cluster = trend_clusters_for(user).filter(slug=slug).first()
    if cluster is None:
        raise Http404("No such cluster")
    return cluster


def trend_cluster_get_for_manager(*, user: object, slug: str) -> Cluster:
    cluster = clusters_managed_by(user).filter(slug=slug).first()
    if cluster is None:
        raise Http404("No such cluster")
    return cluster


def can_start_run(user: object, cluster: Cluster | None) -> bool:
    if cluster is None:
        return _is_officer(user)
    return clusters_managed_by(user).filter(pk=cluster.pk).exists()


def can_manage(user: object, cluster: Cluster | None) -> bool:
    return can_start_run(user, cluster)


# --- Runs --------------------------------------------------------------------------------


def runs_of_scope(cluster: Cluster | None, *, limit: int = 30) -> list[TrendRun]:
    """The scope's runs, newest first (queued, running and failed ones included)."""
    return list(
        TrendRun.objects.filter(cluster=cluster)
        .select_related("created_by")
        .order_by("-created_at", "-id")[:limit]
    )


def latest_done_run(cluster: Cluster | None) -> TrendRun | None:
    return (
        TrendRun.objects.filter(cluster=cluster, status=RunStatus.DONE)
        .order_by("-created_at", "-id")
        .first()
    )


def previous_done_run(run: TrendRun) -> TrendRun | None:
    """The scope's last finished run before this one (what "compare" starts from)."""
    return (
        TrendRun.objects.filter(
            cluster_id=run.cluster_id, status=RunStatus.DONE, created_at__lte=run.created_at
        )
        .exclude(pk=run.pk)
        .exclude(created_at=run.created_at, id__gt=run.pk)
        .order_by("-created_at", "-id")
        .first()
    )


def _readable_runs(user: object) -> QuerySet[TrendRun]:
    runs = TrendRun.objects.select_related("cluster", "created_by")
    if _is_officer(user):
        return runs
    return runs.filter(cluster__in=trend_clusters_for(user))


def run_get_for_viewer(*, user: object, run_id: int) -> TrendRun:
    run = _readable_runs(user).filter(pk=run_id).first()
    if run is None:
        raise Http404("No such trend run")
    return run


def run_of_scope_get(*, cluster: Cluster | None, run_id: int) -> TrendRun:
    run = TrendRun.objects.filter(cluster=cluster, pk=run_id).select_related("cluster").first()
    if run is None:
        raise Http404("No such trend run")
    return run


def topics_of_run(run: TrendRun) -> list[Topic]:
    return list(run.topics.defer("centroid").order_by("position", "id"))


def topic_get_for_viewer(*, user: object, topic_id: int) -> Topic:
    topic = (
        Topic.objects.select_related("run", "run__cluster")
        .filter(pk=topic_id, run__in=_readable_runs(user))
        .first()
    )
    if topic is None:
        raise Http404("No such topic")
    return topic


# --- A topic -----------------------------------------------------------------------------


def topic_evidence(topic: Topic) -> list[TopicDocument]:
    """The topic's documents, closest to its centre first."""
    return list(
        topic.documents.select_related("project", "contribution", "organization").order_by(
            "-score", "id"
        )
    )


def visible_organization_ids(documents: list[TopicDocument], *, viewer: object) -> set[int]:
    """Which of the organizations behind these documents the viewer may see (the others are
    shown without their name)."""
    ids = {d.organization_id for d in documents if d.organization_id}
    if not ids:
        return set()
    return set(organizations_visible_to(viewer).filter(pk__in=ids).values_list("id", flat=True))


@dataclass(frozen=True)
class TopicMember:
    organization: Organization
    weight: float
    visible: bool  # whether the viewer may open its profile

    @property
    def count(self) -> int:
        return round(self.weight)


def topic_members(topic: Topic, *, viewer: object) -> list[TopicMember]:
    """Organizations that raised or endorsed the topic's contributions, most first."""
    weights = {int(pk): float(w) for pk, w in (topic.member_counts or {}).items()}
    if not weights:
        return []
    organizations = Organization.objects.in_bulk(list(weights))
    visible = set(
        organizations_visible_to(viewer).filter(pk__in=list(weights)).values_list("id", flat=True)
    )
    members = [
        TopicMember(organizations[pk], weight, pk in visible)
        for pk, weight in weights.items()
        if pk in organizations
    ]
    return sorted(members, key=lambda m: (-m.weight, m.organization.name))


def topic_query(topic: Topic, *, terms: int = 6) -> str:
    """A need written from the topic's key terms, for matchmaking."""
    return " ".join(str(term) for term in (topic.terms or [])[:terms]) or topic.label


def related_labs(topic: Topic, *, viewer: object, limit: int = RELATED_LABS) -> list[Any]:
    """Labs (research labs, universities, innovation centres) matching the topic's terms,
    through matchmaking; results are those the viewer may see."""
    from clusterhub.matchmaking.selectors import match_organizations

    results = match_organizations(viewer=viewer, query=topic_query(topic), k=50, explain=False)
    labs = [r for r in results.results if r.organization.kind in LAB_KINDS]
    return labs[:limit]


def centroid(topic: Topic) -> np.ndarray:
    return np.frombuffer(bytes(topic.centroid), dtype="<f4")


def same_topic_in(topic: Topic, run: TrendRun | None) -> tuple[Topic, float] | None:
    """The topic of another run closest to this one, if close enough to be the same."""
    if run is None or not topic.centroid:
        return None
    mine = centroid(topic)
    best: tuple[Topic, float] | None = None
    for other in run.topics.all():
        theirs = centroid(other)
        if theirs.shape != mine.shape or not theirs.size:
            continue
        norm = float(np.linalg.norm(mine) * np.linalg.norm(theirs)) or 1.0
        similarity = float(mine @ theirs) / norm
        if similarity >= SAME_TOPIC and (best is None or similarity > best[1]):
            best = (other, similarity)
    return best


def region_projects_on(
    topic: Topic, *, limit: int = 10
) -> tuple[Topic | None, list[TopicDocument]]:
    """For a cluster's topic: the same topic in the region's latest run and its projects;
    for a region topic (or without a region run): its own projects."""
    region_topic = topic
    if topic.run.cluster_id is not None:
        found = same_topic_in(topic, latest_done_run(None))
        region_topic = found[0] if found else None
    if region_topic is None:
        return None, []
    projects = list(
        region_topic.documents.filter(source=DocumentSource.PROJECT)
        .select_related("project")
        .order_by("-score", "id")[:limit]
    )
    return region_topic, projects


# --- Comparing two runs --------------------------------------------------------------------


class Change:
    NEW = "new"
    GROWN = "grown"
    SHRUNK = "shrunk"
    STEADY = "steady"
    GONE = "gone"


@dataclass
class TopicChange:
    change: str
    topic: Topic | None  # in the later run (None: gone)
    before: Topic | None  # in the earlier run (None: new)
    similarity: float | None = None
    share: float = 0.0
    share_before: float = 0.0

    @property
    def label(self) -> str:
        return (self.topic or self.before).label  # type: ignore[union-attr]


@dataclass
class Comparison:
    run: TrendRun
    previous: TrendRun
    changes: list[TopicChange] = field(default_factory=list)
    comparable: bool = True

    def count(self, change: str) -> int:
        return sum(1 for c in self.changes if c.change == change)


def _share(topic: Topic, run: TrendRun) -> float:
    return topic.size / run.document_count if run.document_count else 0.0


def compare_runs(run: TrendRun, previous: TrendRun) -> Comparison:
    """Topics of `run` matched to those of `previous` by their centroids: new, grown,
    shrunk (share of the documents changed by a quarter or more), steady, gone."""
    now, before = list(run.topics.order_by("position")), list(previous.topics.order_by("position"))
    comparison = Comparison(run=run, previous=previous)
    if run.encoder != previous.encoder:
        comparison.comparable = False
        return comparison
    try:
        matches = match_topics(
            [centroid(t) for t in before], [centroid(t) for t in now], min_similarity=SAME_TOPIC
        )
    except ValueError:
        comparison.comparable = False
        return comparison
    old_of_new = {m.new: m for m in matches}
    matched_old = {m.old for m in matches}
    for index, topic in enumerate(now):
        share = _share(topic, run)
        match = old_of_new.get(index)
        if match is None:
            comparison.changes.append(TopicChange(Change.NEW, topic, None, share=share))
            continue
        old = before[match.old]
        old_share = _share(old, previous)
        if old_share and share >= old_share * CHANGE_RATIO:
            change = Change.GROWN
        elif share * CHANGE_RATIO <= old_share:
            change = Change.SHRUNK
        else:
            change = Change.STEADY
        comparison.changes.append(
            TopicChange(change, topic, old, match.similarity, share=share, share_before=old_share)
        )
    for index, old in enumerate(before):
        if index not in matched_old:
            comparison.changes.append(
                TopicChange(Change.GONE, None, old, share_before=_share(old, previous))
            )
    return comparison


def change_labels() -> dict[str, str]:
    return {
        Change.NEW: _("New"),
        Change.GROWN: _("Grown"),
        Change.SHRUNK: _("Shrunk"),
        Change.STEADY: _("Steady"),
        Change.GONE: _("Gone"),
    }


# --- Training needs and reported opportunities -----------------------------------------------


def _cluster_contributions(cluster: Cluster, kinds: tuple[str, ...]) -> QuerySet[Contribution]:
    return (
        Contribution.objects.filter(
            clusters=cluster, kind__in=kinds, status=ContributionStatus.APPROVED
        )
        .select_related("organization")
        .prefetch_related("competences")
        .distinct()
        .order_by("-created_at", "-id")
    )


@dataclass
class NeedGroup:
    label: str
    topic: Topic | None = None
    contributions: list[Contribution] = field(default_factory=list)

    @property
    def organizations(self) -> list[Organization]:
        return list({c.organization_id: c.organization for c in self.contributions}.values())


@dataclass
class TrainingNeeds:
    cluster: Cluster
    run: TrendRun | None
    by: str  # "topic" or "competence"
    groups: list[NeedGroup]

    @property
    def total(self) -> int:
        return len({c.pk for group in self.groups for c in group.contributions})


def training_needs(cluster: Cluster) -> TrainingNeeds:
    """What members ask to learn: the cluster's approved training needs, grouped by their
    topic in the cluster's latest run, or by their competences when there is no run."""
    contributions = list(_cluster_contributions(cluster, (ContributionKind.TRAINING,)))
    run = latest_done_run(cluster)
    groups: dict[Any, NeedGroup] = {}
    if run is not None:
        topic_of: dict[int, Topic] = {}
        for row in (
            TopicDocument.objects.filter(
                topic__run=run, contribution_id__in=[c.pk for c in contributions]
            )
            .select_related("topic")
            .order_by("-score")
        ):
            topic_of.setdefault(row.contribution_id, row.topic)  # type: ignore[arg-type]
        for contribution in contributions:
            topic = topic_of.get(contribution.pk)
            key = topic.pk if topic else None
            if key not in groups:
                groups[key] = NeedGroup(topic.label if topic else _("In no topic yet"), topic)
            groups[key].contributions.append(contribution)
        by = "topic"
    else:
        for contribution in contributions:
            competences = list(contribution.competences.all()) or [None]
            for competence in competences:
                key = competence.pk if competence else None
                if key not in groups:
                    label = competence.name if competence else _("No competence given")
                    groups[key] = NeedGroup(label)
                groups[key].contributions.append(contribution)
        by = "competence"
    ordered = sorted(
        groups.values(),
        key=lambda g: (g.topic is None and g.label != "", -len(g.contributions), g.label),
    )
    # The catch-all group goes last.
    ordered.sort(key=lambda g: g.topic is None and by == "topic")
    return TrainingNeeds(cluster, run, by, ordered)


def reported_opportunities(cluster: Cluster) -> list[Contribution]:
    """Financing and internationalization opportunities the cluster's members reported."""
    return list(_cluster_contributions(cluster, OPPORTUNITY_KINDS))


# --- Charts ------------------------------------------------------------------------------


def radar_chart(run: TrendRun, topics: list[Topic], *, status_labels: dict[str, str]) -> dict:
    """Data of the radar: one point per topic, size (documents) against growth."""
    return {
        "x_title": _("Growth of the share per period (%)"),
        "y_title": _("Documents"),
        "points": [
            {
                "id": topic.pk,
                "label": topic.label,
                "size": topic.size,
                "growth": round(100 * max(min(topic.growth, 10.0), -1.0), 1),
                "status": topic.status,
                "status_label": status_labels.get(topic.status, topic.status),
                "members": topic.member_count,
                "marker": max(8.0, min(40.0, 6 + 4 * math.sqrt(topic.size))),
            }
            for topic in topics
        ],
    }


def series_chart(topic: Topic) -> dict:
    run = topic.run
    return {
        "x": list(run.periods),
        "y": list(topic.counts),
        "name": _("Documents"),
        "y_title": _("Documents"),
    }


def members_by_cluster(topic: Topic) -> list[tuple[str, float]]:
    names = {cluster.slug: cluster.name for cluster in Cluster.objects.all()}
    rows: defaultdict[str, float] = defaultdict(float)
    for slug, count in (topic.cluster_counts or {}).items():
        rows[names.get(slug, slug)] += float(count)
    return sorted(rows.items(), key=lambda item: -item[1])


def evidence_prefetch() -> Prefetch:
    return Prefetch("documents", queryset=TopicDocument.objects.select_related("project"))
