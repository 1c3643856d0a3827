"""Reads of the agenda, with access checked: versions and items outside the caller's reach
are 404.

Who sees which version of a cluster's agenda:
- everyone, signed in or not: the published versions (they stay citable when a later one is
  published);
- people of an organization that is an active member of the cluster: also the versions in
  consultation and the approved ones;
- the cluster's managers and the Region's officers: every version, drafts included.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

import numpy as np
from django.db.models import Prefetch, QuerySet
from django.http import Http404

from clusterhub.agenda.models import (
    AgendaItem,
    AgendaVersion,
    ItemEvent,
    ItemLineage,
    ItemStatus,
    Kpi,
    Milestone,
    Phase,
)
from clusterhub.contributions.models import Contribution, ContributionStatus
from clusterhub.regions.models import Cluster
from clusterhub.registry.models import MembershipStatus, Organization
from clusterhub.registry.selectors import clusters_of_person
from clusterhub.trends.models import RunStatus, Topic, TrendRun

MEMBER_PHASES = (Phase.CONSULTATION, Phase.APPROVED, Phase.PUBLISHED)
# Phases in which the items may still change; approved and published versions are frozen.
EDITABLE_PHASES = (Phase.DRAFT, Phase.CONSULTATION)
# Suggestions offered when linking an item to contributions and trends.
SUGGESTIONS = 8


def _signed_in(user: object) -> bool:
    return bool(getattr(user, "is_authenticated", False))


def manages(user: object, cluster: Cluster) -> bool:
    """A manager of this cluster, or a regional officer."""
    if not _signed_in(user):
        return False
    if user.is_regional_officer:  # type: ignore[attr-defined]
        return True
    return user.cluster_roles.filter(cluster=cluster).exists()  # type: ignore[attr-defined]


def is_member_of(user: object, cluster: Cluster) -> bool:
    return _signed_in(user) and clusters_of_person(user).filter(pk=cluster.pk).exists()


def versions_visible_to(user: object, cluster: Cluster) -> QuerySet[AgendaVersion]:
    """The cluster's versions this person may read (see the module's docstring), newest first."""
    versions = AgendaVersion.objects.filter(cluster=cluster).select_related("cluster")
    if manages(user, cluster):
        return versions
    if is_member_of(user, cluster):
        return versions.filter(phase__in=MEMBER_PHASES)
    return versions.filter(phase=Phase.PUBLISHED)


def _cluster(slug: str) -> Cluster:
    cluster = Cluster.objects.filter(slug=slug).first()
    if cluster is None:
        raise Http404("No such cluster")
    return cluster


def version_for(user: object, cluster_slug: str, number: int) -> AgendaVersion:
    """Version `number` of the cluster's agenda, or 404 when it is outside the caller's reach."""
    version = (
        versions_visible_to(user, _cluster(cluster_slug))
        .select_related("based_on", "created_by")
        .filter(number=number)
        .first()
    )
    if version is None:
        raise Http404("No such agenda version")
    return version


def version_for_manager(user: object, cluster_slug: str, number: int) -> AgendaVersion:
    """A version of a cluster the caller manages, or 404."""
    cluster = _cluster(cluster_slug)
    if not manages(user, cluster):
        raise Http404("No such agenda version")
    return version_for(user, cluster_slug, number)


def item_for(user: object, cluster_slug: str, item_id: int) -> AgendaItem:
    """An item of a version the caller may read, or 404."""
    cluster = _cluster(cluster_slug)
    item = (
        AgendaItem.objects.filter(pk=item_id, version__in=versions_visible_to(user, cluster))
        .select_related("version", "version__cluster", "priority_area")
        .first()
    )
    if item is None:
        raise Http404("No such agenda item")
    return item


def item_for_manager(user: object, cluster_slug: str, item_id: int) -> AgendaItem:
    cluster = _cluster(cluster_slug)
    if not manages(user, cluster):
        raise Http404("No such agenda item")
    return item_for(user, cluster_slug, item_id)


def current_published_version(cluster: Cluster) -> AgendaVersion | None:
    """The latest published version: the agenda the cluster stands by today."""
    return (
        AgendaVersion.objects.filter(cluster=cluster, phase=Phase.PUBLISHED)
        .order_by("-number")
        .first()
    )


def latest_version(cluster: Cluster) -> AgendaVersion | None:
    return AgendaVersion.objects.filter(cluster=cluster).order_by("-number").first()


def can_take_part(user: object, version: AgendaVersion) -> Organization | None:
    """The organization through which this person takes part in the version's consultation:
    one they have a role in, an active member of the version's cluster. None otherwise."""
    if not _signed_in(user):
        return None
    return (
        Organization.objects.filter(
            person_roles__person=user,
            memberships__cluster_id=version.cluster_id,
            memberships__status=MembershipStatus.ACTIVE,
        )
        .order_by("normalized_name", "id")
        .first()
    )


def active_items(version: AgendaVersion) -> QuerySet[AgendaItem]:
    """The version's items that are shown, voted on and carried over, in their order."""
    return (
        version.items.filter(status=ItemStatus.ACTIVE)
        .select_related("priority_area")
        .prefetch_related("kpis", "milestones")
        .order_by("position", "id")
    )


def other_items(version: AgendaVersion) -> QuerySet[AgendaItem]:
    """Split, merged and removed items, kept for the history."""
    return version.items.exclude(status=ItemStatus.ACTIVE).order_by("position", "id")


def item_history(item: AgendaItem) -> QuerySet[ItemEvent]:
    return item.events.select_related("actor").order_by("-created_at", "-id")


@dataclass(frozen=True)
class Ancestor:
    """An item `child` descends from (`kind`: carried, split or merged), `depth` steps back."""

    item: AgendaItem
    kind: str
    child_id: int
    depth: int


def item_lineage(item: AgendaItem) -> list[Ancestor]:
    """Every ancestor of the item, back to v1, nearest first (one query per generation)."""
    found: list[Ancestor] = []
    seen = {item.pk}
    frontier = [item.pk]
    depth = 0
    while frontier:
        depth += 1
        links = (
            ItemLineage.objects.filter(child_id__in=frontier)
            .select_related("parent__version")
            .order_by("parent__version__number", "parent__position", "parent_id")
        )
        frontier = []
        for link in links:
            if link.parent_id in seen:
                continue
            seen.add(link.parent_id)
            frontier.append(link.parent_id)
            found.append(Ancestor(link.parent, link.kind, link.child_id, depth))
    return found


def item_successors(item: AgendaItem) -> list[ItemLineage]:
    """What the item became: its direct children (next version, or the parts of a split)."""
    return list(
        item.child_links.select_related("child__version").order_by(
            "child__version__number", "child__position", "child_id"
        )
    )


def items_answering(contribution: Contribution, *, viewer: object = None) -> list[AgendaItem]:
    """The active agenda items that link this contribution, newest version first. With
    `viewer`, only those of versions the viewer may read, and per cluster only the items of
    the newest such version (an item carried from v1 to v2 is one answer, not two)."""
    items = (
        AgendaItem.objects.filter(contributions=contribution, status=ItemStatus.ACTIVE)
        .select_related("version", "version__cluster")
        .order_by("-version__number", "position", "id")
    )
    if viewer is None:
        return list(items)
    by_cluster: dict[int, list[AgendaItem]] = defaultdict(list)
    visible: dict[int, set[int]] = {}
    for item in items:
        cluster = item.version.cluster
        if cluster.pk not in visible:
            visible[cluster.pk] = set(
                versions_visible_to(viewer, cluster).values_list("pk", flat=True)
            )
        if item.version_id not in visible[cluster.pk]:
            continue
        kept = by_cluster[cluster.pk]
        if kept and kept[0].version_id != item.version_id:
            continue
        kept.append(item)
    return [item for kept in by_cluster.values() for item in kept]


def kpi_percent(kpi: Kpi) -> float | None:
    """How far the KPI went from its baseline to its target, 0..100; None when not measured."""
    if kpi.current is None or kpi.target == kpi.baseline:
        return None
    share = (Decimal(kpi.current) - kpi.baseline) / (kpi.target - kpi.baseline)
    return float(max(Decimal(0), min(Decimal(1), share)) * 100)


def item_progress(item: AgendaItem) -> int | None:
    """Percent done: the mean of the share of milestones done and the mean progress of the
    measured KPIs, of those parts that exist; None when nothing is recorded."""
    parts: list[float] = []
    milestones = list(item.milestones.all())
    if milestones:
        done = sum(1 for milestone in milestones if milestone.done_on is not None)
        parts.append(100 * done / len(milestones))
    measured = [p for p in (kpi_percent(kpi) for kpi in item.kpis.all()) if p is not None]
    if measured:
        parts.append(sum(measured) / len(measured))
    if not parts:
        return None
    return round(sum(parts) / len(parts))


def version_with_items(version: AgendaVersion) -> QuerySet[AgendaItem]:
    """Active items of a version with everything the API shows."""
    return active_items(version).prefetch_related(
        Prefetch("contributions", queryset=Contribution.objects.only("id", "title")),
        Prefetch("topics", queryset=Topic.objects.only("id", "label")),
    )


# --- Linking to contributions and trends ------------------------------------------------------


def linkable_contributions(cluster: Cluster) -> QuerySet[Contribution]:
    """The cluster's approved contributions: what an agenda item may answer."""
    return (
        Contribution.objects.filter(clusters=cluster, status=ContributionStatus.APPROVED)
        .select_related("organization")
        .order_by("-created_at", "-id")
    )


def latest_runs(cluster: Cluster) -> list[TrendRun]:
    """The latest finished trend runs of the cluster and of the whole region."""
    runs = []
    for scope in (cluster, None):
        run = (
            TrendRun.objects.filter(cluster=scope, status=RunStatus.DONE)
            .order_by("-created_at", "-id")
            .first()
        )
        if run is not None:
            runs.append(run)
    return runs


def linkable_topics(cluster: Cluster) -> QuerySet[Topic]:
    """Topics of the cluster's and the region's latest runs."""
    return (
        Topic.objects.filter(run__in=[run.pk for run in latest_runs(cluster)])
        .select_related("run", "run__cluster")
        .order_by("run__cluster_id", "position", "id")
    )


def _words(text: str) -> set[str]:
    from analytics.textnorm import normalize_name

    return {word for word in normalize_name(text).split() if len(word) > 3}


def _overlap(query: set[str], text: str) -> float:
    words = _words(text)
    if not query or not words:
        return 0.0
    return len(query & words) / (len(query) ** 0.5 * len(words) ** 0.5)


def _item_text(item: AgendaItem) -> str:
    return f"{item.title}\n{item.objective}\n{item.planned_actions}".strip()


@dataclass(frozen=True)
class LinkSuggestions:
    contributions: list[tuple[Contribution, float]]
    topics: list[tuple[Topic, float]]


def link_suggestions(item: AgendaItem, *, limit: int = SUGGESTIONS) -> LinkSuggestions:
    """The cluster's contributions and trend topics closest to the item's text, best first.

    Cosines of the multilingual encoder the contributions and trend runs already store
    (an Italian item finds an English need); topics of a run made with another encoder are
    ranked by the words they share with the item instead. Ones already linked are left out.
    """
    from clusterhub.contributions.analysis import ENCODER, cosine_scores, embed

    text = _item_text(item)
    cluster = item.version.cluster
    linked_contributions = set(item.contributions.values_list("pk", flat=True))
    linked_topics = set(item.topics.values_list("pk", flat=True))
    vector = embed(text)
    candidates = linkable_contributions(cluster).exclude(pk__in=linked_contributions)
    rows = list(candidates.values_list("pk", "embedding", "encoder")[:5000])
    scored = cosine_scores(vector, [(pk, data) for pk, data, enc in rows if enc == ENCODER])
    top = [(pk, score) for pk, score in scored if score > 0][:limit]
    by_id = candidates.in_bulk([pk for pk, _score in top])
    contributions = [(by_id[pk], score) for pk, score in top if pk in by_id]

    words = _words(text)
    topic_scores: list[tuple[Topic, float]] = []
    for topic in linkable_topics(cluster).exclude(pk__in=linked_topics):
        centroid = np.frombuffer(bytes(topic.centroid), dtype="<f4") if topic.centroid else None
        if topic.run.encoder == ENCODER and centroid is not None and centroid.shape == vector.shape:
            norm = float(np.linalg.norm(centroid)) or 1.0
            score = float(centroid @ vector) / norm
        else:
            score = _overlap(words, f"{topic.label} {' '.join(map(str, topic.terms))}")
        if score > 0:
            topic_scores.append((topic, round(score, 3)))
    topic_scores.sort(key=lambda pair: -pair[1])
    return LinkSuggestions(contributions, topic_scores[:limit])


def item_sources(item: AgendaItem, *, viewer: Any) -> dict[str, Any]:
    """The needs and trends behind an item, as this viewer may see them."""
    from clusterhub.contributions.selectors import contributions_visible_to

    visible = contributions_visible_to(viewer).values("pk")
    return {
        "contributions": list(
            item.contributions.filter(pk__in=visible)
            .select_related("organization")
            .order_by("-created_at")
        ),
        "hidden_contributions": item.contributions.exclude(pk__in=visible).count(),
        "topics": list(item.topics.select_related("run", "run__cluster").order_by("label")),
    }


def milestones_of(item: AgendaItem) -> list[Milestone]:
    return list(item.milestones.all())
