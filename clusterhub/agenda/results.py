"""Reads of an agenda consultation: who may see the results, the results themselves (counted
by `tally`), the consultation of one item (comments, amendments, the organization's own
ballot) and the figures of the consultation panel.

Who sees the results of a version:
- the cluster's managers and the Region's officers: always, live while the consultation runs;
- people of the cluster's member organizations: once the consultation has closed (not live,
  so that early results do not sway the later votes);
- everyone: once the version is published (the public agenda shows them).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from django.db.models import Count, QuerySet
from django.http import Http404
from django.utils import timezone

from clusterhub.agenda import tally as counting
from clusterhub.agenda.models import (
    AgendaItem,
    AgendaVersion,
    Amendment,
    Ballot,
    ItemComment,
    ItemStatus,
    Phase,
    VotingMethod,
)
from clusterhub.agenda.selectors import is_member_of, manages, versions_visible_to
from clusterhub.registry.models import MembershipStatus, Organization, OrganizationKind


def consultation_closed(version: AgendaVersion, now: datetime | None = None) -> bool:
    """The consultation happened and is over (ballots are final)."""
    if version.phase in (Phase.APPROVED, Phase.PUBLISHED):
        return version.consultation_closes_at is not None
    now = now or timezone.now()
    return (
        version.phase == Phase.CONSULTATION
        and version.consultation_closes_at is not None
        and version.consultation_closes_at <= now
    )


def results_visible(user: Any, version: AgendaVersion, now: datetime | None = None) -> bool:
    """See the module's docstring."""
    if version.phase == Phase.DRAFT:
        return False
    if manages(user, version.cluster):
        return True
    if version.phase == Phase.PUBLISHED:
        return True
    return consultation_closed(version, now) and is_member_of(user, version.cluster)


def consult_item_for(user: Any, item_id: int) -> AgendaItem:
    """An active item of a version this person may read, or 404."""
    item = (
        AgendaItem.objects.filter(pk=item_id).select_related("version", "version__cluster").first()
    )
    if (
        item is None
        or not versions_visible_to(user, item.version.cluster).filter(pk=item.version_id).exists()
    ):
        raise Http404("No such agenda item")
    return item


def amendment_for(user: Any, amendment_id: int) -> Amendment:
    amendment = (
        Amendment.objects.filter(pk=amendment_id)
        .select_related("item__version__cluster", "organization")
        .first()
    )
    if amendment is None:
        raise Http404("No such amendment")
    consult_item_for(user, amendment.item_id)
    return amendment


def item_comments(item: AgendaItem) -> QuerySet[ItemComment]:
    return item.comments.select_related("organization").order_by("created_at", "id")


def item_amendments(item: AgendaItem) -> QuerySet[Amendment]:
    return item.amendments.select_related("organization", "decided_by").order_by("created_at", "id")


def own_ballot(item: AgendaItem, organization: Organization | None) -> Ballot | None:
    if organization is None:
        return None
    return Ballot.objects.filter(item=item, organization=organization).first()


def points_left(version: AgendaVersion, organization: Organization | None) -> int | None:
    """Points the organization may still give (points method only)."""
    if organization is None or version.voting_method != VotingMethod.POINTS:
        return None
    from clusterhub.agenda.consultation import points_used

    return max(0, version.points_budget - points_used(version, organization))


def eligible_organizations(version: AgendaVersion) -> dict[int, str]:
    """Organization id -> member type, of the active members of the version's cluster."""
    return dict(
        Organization.objects.filter(
            memberships__cluster_id=version.cluster_id,
            memberships__status=MembershipStatus.ACTIVE,
        )
        .distinct()
        .values_list("pk", "kind")
    )


def ballot_records(version: AgendaVersion) -> list[counting.BallotRecord]:
    return [
        counting.BallotRecord(item_id, organization_id, kind, value)
        for item_id, organization_id, kind, value in Ballot.objects.filter(
            item__version=version, item__status=ItemStatus.ACTIVE
        ).values_list("item_id", "organization_id", "organization__kind", "value")
    ]


def kind_label(kind: str) -> str:
    return str(dict(OrganizationKind.choices).get(kind, kind))


@dataclass
class ItemResult:
    item: AgendaItem
    rank: int
    score: float
    share_percent: float
    organizations: int  # organizations that cast a ballot on the item
    supporters: int
    by_kind: list[tuple[str, str, float]]  # (type, label, score)


@dataclass
class ParticipationRow:
    kind: str
    label: str
    voted: int
    eligible: int
    percent: float | None
    weight: float | None  # of each ballot of this type (None: the type did not vote)


@dataclass
class VersionResults:
    version: AgendaVersion
    method: str
    equal_types: bool
    items: list[ItemResult]  # best first
    participation: list[ParticipationRow]
    kinds: list[tuple[str, str]]  # the types that voted: (type, label)
    voters: int
    eligible: int
    weights: dict[str, float]

    @property
    def total(self) -> float:
        return sum(row.score for row in self.items)

    @property
    def participation_percent(self) -> float | None:
        return 100 * self.voters / self.eligible if self.eligible else None

    def chart(self) -> dict[str, Any]:
        """Data for clusterhub/static/js/charts.js: the score of each item, best first."""
        return {
            "scores": {
                "labels": [row.item.title[:60] for row in self.items],
                "values": [round(row.score, 2) for row in self.items],
            },
            "participation": {
                "labels": [row.label for row in self.participation],
                "values": [round(row.percent or 0, 1) for row in self.participation],
            },
        }


def version_results(version: AgendaVersion, *, equal_types: bool = False) -> VersionResults:
    """The consultation's results: items by score (best first; ties in the agenda's order),
    each with its share of all points or supports and its breakdown by member type, and the
    participation per member type. Whether the caller may see them is `results_visible`."""
    items = list(
        version.items.filter(status=ItemStatus.ACTIVE)
        .select_related("priority_area")
        .order_by("position", "id")
    )
    eligible = eligible_organizations(version)
    records = ballot_records(version)
    method = counting.POINTS if version.voting_method == VotingMethod.POINTS else counting.APPROVAL
    counted = counting.tally(
        records,
        method=method,
        item_ids=[item.pk for item in items],
        eligible=eligible,
        equal_types=equal_types,
    )
    total = counted.total
    kinds = sorted(counted.weights)
    by_id = {item.pk: item for item in items}
    order = sorted(counted.items, key=lambda row: -row.score)  # stable: agenda order on ties
    rows = [
        ItemResult(
            item=by_id[row.item_id],
            rank=rank,
            score=row.score,
            share_percent=100 * row.score / total if total else 0.0,
            organizations=row.ballots,
            supporters=row.supporters,
            by_kind=[(kind, kind_label(kind), row.by_kind.get(kind, 0.0)) for kind in kinds],
        )
        for rank, row in enumerate(order, start=1)
    ]
    participation = [
        ParticipationRow(
            kind=row.kind,
            label=kind_label(row.kind),
            voted=row.voted,
            eligible=row.eligible,
            percent=None if row.rate is None else 100 * row.rate,
            weight=counted.weights.get(row.kind),
        )
        for row in counted.participation
    ]
    return VersionResults(
        version=version,
        method=method,
        equal_types=equal_types,
        items=rows,
        participation=participation,
        kinds=[(kind, kind_label(kind)) for kind in kinds],
        voters=sum(row.voted for row in counted.participation),
        eligible=len(eligible),
        weights=counted.weights,
    )


@dataclass
class PanelFigures:
    organizations_voted: int
    organizations_eligible: int
    ballots: int
    comments: int
    amendments_pending: int


def panel_figures(version: AgendaVersion) -> PanelFigures:
    """Participation so far, for the consultation panel of the version page."""
    eligible = eligible_organizations(version)
    ballots = Ballot.objects.filter(item__version=version, item__status=ItemStatus.ACTIVE)
    voted = set(ballots.values_list("organization_id", flat=True).distinct())
    return PanelFigures(
        organizations_voted=len(voted & set(eligible)),
        organizations_eligible=len(eligible),
        ballots=ballots.count(),
        comments=ItemComment.objects.filter(item__version=version).count(),
        amendments_pending=Amendment.objects.filter(
            item__version=version, status="pending"
        ).count(),
    )


def item_counts(version: AgendaVersion) -> dict[int, dict[str, int]]:
    """Comments and amendments per item of the version."""
    counts: dict[int, dict[str, int]] = {}
    for item_id, comments, amendments in version.items.annotate(
        comments_count=Count("comments", distinct=True),
        amendments_count=Count("amendments", distinct=True),
    ).values_list("pk", "comments_count", "amendments_count"):
        counts[item_id] = {"comments": comments, "amendments": amendments}
    return counts
