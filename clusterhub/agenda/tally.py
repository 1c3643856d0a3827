"""Counting the ballots of an agenda consultation. Pure Python: no Django, no database.

Input: the ballots (item, organization, the organization's member type, value) and, for the
participation rate, the organizations eligible to vote with their member type.

Methods
- approval: a ballot's value is 1 (supports the item) or 0 (does not). An item's score is
  the (weighted) number of supporting ballots.
- points: a ballot's value is the points the organization gave the item (the sum per
  organization stays within the version's budget, checked when ballots are cast). An item's
  score is the (weighted) sum of its points.

Equal-type weighting (optional), so that no member type dominates because it has more
organizations voting. Let N be the number of organizations that cast at least one ballot in
the consultation, T the number of member types among them, and n_k the number of those
organizations of type k. Every ballot of an organization of type k weighs

    w_k = N / (T * n_k)

so the organizations of each type that voted together weigh N / T: every type the same, and
all types together N, as without weighting. When each type has as many voters as the others,
every weight is 1 and the result is the unweighted one. Types with no voting organization
get no weight (they cannot be given a say they did not use).

Breakdown by type: an item's score is split by the voting organization's member type,
under the same weights, so the parts add up to the item's score.

Participation per type: organizations of that type that cast at least one ballot, over the
eligible organizations of that type (active members of the cluster). Organizations that voted
but are no longer eligible are not counted, so the rate stays between 0 and 1.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field

APPROVAL = "approval"
POINTS = "points"


@dataclass(frozen=True)
class BallotRecord:
    item_id: int
    organization_id: int
    kind: str
    value: int


@dataclass
class ItemTally:
    item_id: int
    score: float = 0.0
    ballots: int = 0
    # Approval: ballots that support the item (unweighted); points: ballots giving > 0 points.
    supporters: int = 0
    by_kind: dict[str, float] = field(default_factory=dict)


@dataclass(frozen=True)
class Participation:
    kind: str
    voted: int
    eligible: int

    @property
    def rate(self) -> float | None:
        """Share 0..1 of the eligible organizations of this type that voted; None if none."""
        return self.voted / self.eligible if self.eligible else None


@dataclass
class Tally:
    method: str
    equal_types: bool
    items: list[ItemTally]
    weights: dict[str, float]
    participation: list[Participation]
    voters: int

    @property
    def total(self) -> float:
        return sum(item.score for item in self.items)

    def item(self, item_id: int) -> ItemTally:
        for tally in self.items:
            if tally.item_id == item_id:
                return tally
        raise KeyError(item_id)


def type_weights(ballots: Iterable[BallotRecord], *, equal_types: bool) -> dict[str, float]:
    """The weight of a ballot by member type (see the module's docstring); 1 for every type
    without equal-type weighting."""
    voters: dict[str, set[int]] = defaultdict(set)
    for ballot in ballots:
        voters[ballot.kind].add(ballot.organization_id)
    if not equal_types:
        return dict.fromkeys(voters, 1.0)
    everyone = sum(len(orgs) for orgs in voters.values())
    types = len(voters)
    return {kind: everyone / (types * len(orgs)) for kind, orgs in voters.items()}


def participation(
    ballots: Iterable[BallotRecord], eligible: Mapping[int, str]
) -> list[Participation]:
    """Per member type of the eligible organizations (`eligible`: organization id -> type),
    how many of them cast at least one ballot; sorted by type."""
    voted = {ballot.organization_id for ballot in ballots}
    counts: dict[str, list[int]] = defaultdict(lambda: [0, 0])
    for organization_id, kind in eligible.items():
        counts[kind][1] += 1
        if organization_id in voted:
            counts[kind][0] += 1
    return [Participation(kind, done, total) for kind, (done, total) in sorted(counts.items())]


def tally(
    ballots: Iterable[BallotRecord],
    *,
    method: str,
    item_ids: Iterable[int],
    eligible: Mapping[int, str] | None = None,
    equal_types: bool = False,
) -> Tally:
    """Scores of the items (every id of `item_ids`, in that order, with or without ballots),
    their breakdown by member type, and the participation per type."""
    if method not in (APPROVAL, POINTS):
        raise ValueError(f"unknown voting method {method!r}")
    records = list(ballots)
    weights = type_weights(records, equal_types=equal_types)
    items = {item_id: ItemTally(item_id) for item_id in item_ids}
    for ballot in records:
        row = items.get(ballot.item_id)
        if row is None:
            continue  # a ballot on an item no longer counted (split, merged, removed)
        counted = (1 if ballot.value >= 1 else 0) if method == APPROVAL else ballot.value
        weighted = counted * weights[ballot.kind]
        row.ballots += 1
        row.supporters += 1 if ballot.value > 0 else 0
        row.score += weighted
        row.by_kind[ballot.kind] = row.by_kind.get(ballot.kind, 0.0) + weighted
    return Tally(
        method=method,
        equal_types=equal_types,
        items=list(items.values()),
        weights=weights,
        participation=participation(records, eligible or {}),
        voters=len({ballot.organization_id for ballot in records}),
    )
