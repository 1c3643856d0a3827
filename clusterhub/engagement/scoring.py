"""The engagement score and status of an organization: pure functions over activity counts.

No database here: the selectors count each organization's activities per calendar month
with aggregate queries and hand the counts to these functions. docs/engagement.md explains
the formula with a worked example; tests/engagement/test_scoring.py checks it by hand.

Formula (each part is shown on the page):

    part(kind)  = min(cap, points_each x sum over its activities of 0.5 ** (age_in_months / 3))
    freshness   = 15 if the profile was updated in the last 180 days, then down in a straight
                  line to 0 at 730 days
    score       = sum of the parts + freshness, at most 100

An activity's age is counted in whole calendar months: this month's activities weigh 1,
those of three months ago 0.5, six months ago 0.25 (half-life of three months); after 24
months an activity no longer counts.
"""

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date
from enum import StrEnum

HALF_LIFE_MONTHS = 3
FRESHNESS_MAX = 15.0
FRESH_DAYS = 180  # a profile updated this recently earns every freshness point
STALE_DAYS = 730  # ... and none from this age on
QUIET_DAYS = 90  # no activity this long: cooling
DORMANT_DAYS = 180  # no activity this long (or never): dormant
QUARTER_DAYS = 91
DROP_RATIO = 0.5  # points of the last quarter at most half of the quarter before: cooling
HISTORY_MONTHS = 12
# An activity counts in the month it happens and the 23 after, then no more (it would
# weigh less than 1/256 by then).
WINDOW_MONTHS = 24


@dataclass(frozen=True)
class Rule:
    """How one kind of activity scores: points for each activity, at most `cap` in all."""

    key: str
    points_each: float
    cap: float
    # False: the platform does not record this activity yet; it scores nothing.
    available: bool = True
    # True: it counts towards "contributing" in the funnel (not only "active").
    contributing: bool = False


RULES: tuple[Rule, ...] = (
    Rule("attendance", points_each=10, cap=30),
    Rule("contributions", points_each=8, cap=20, contributing=True),
    Rule("endorsements", points_each=3, cap=5, contributing=True),
    Rule("comments", points_each=2, cap=5, contributing=True),
    Rule("logins", points_each=1, cap=15),
    # Ballots on the cluster's agenda items (agenda consultations).
    Rule("votes", points_each=2, cap=10, contributing=True),
)
RULE_KEYS = tuple(rule.key for rule in RULES)
MAX_SCORE = sum(rule.cap for rule in RULES if rule.available) + FRESHNESS_MAX


class Status(StrEnum):
    ACTIVE = "active"
    COOLING = "cooling"
    DORMANT = "dormant"


class Reason(StrEnum):
    """Why an organization has its status (each explained on the page)."""

    RECENT = "recent"  # active: some activity in the last 90 days, no steep drop
    HALVED = "halved"  # cooling: the last quarter earned half the points of the one before
    QUIET = "quiet"  # cooling: no activity for 90 days
    LONG_QUIET = "long_quiet"  # dormant: no activity for 180 days
    NEVER = "never"  # dormant: no activity ever recorded


def month_index(day: date) -> int:
    """Months since year 0: consecutive calendar months differ by one."""
    return day.year * 12 + day.month - 1


def month_start(index: int) -> date:
    return date(index // 12, index % 12 + 1, 1)


def decay(age_months: int) -> float:
    """Weight of an activity `age_months` calendar months old (this month: 0); none from
    WINDOW_MONTHS on."""
    if age_months >= WINDOW_MONTHS:
        return 0.0
    return 0.5 ** (max(age_months, 0) / HALF_LIFE_MONTHS)


@dataclass(frozen=True)
class Part:
    key: str
    count: int  # activities in the 24 months up to the month scored
    weighted: float  # the same, each weighed by its age (decay)
    points_each: float
    cap: float
    points: float  # min(cap, weighted x points_each), to one decimal
    available: bool = True

    @property
    def capped(self) -> bool:
        return self.available and self.weighted * self.points_each > self.cap


@dataclass(frozen=True)
class Breakdown:
    parts: tuple[Part, ...]
    freshness: float
    profile_age_days: int | None

    @property
    def activity(self) -> float:
        """Points earned by activities (the status compares this over time)."""
        return round(sum(part.points for part in self.parts), 1)

    @property
    def total(self) -> float:
        return round(self.activity + self.freshness, 1)

    def part(self, key: str) -> Part:
        return next(part for part in self.parts if part.key == key)


def activity_parts(counts: Mapping[str, Mapping[int, int]], at_month: int) -> tuple[Part, ...]:
    """One part per rule, from {kind: {month index: activities}}; later months are ignored."""
    parts = []
    for rule in RULES:
        by_month = counts.get(rule.key, {}) if rule.available else {}
        kept = [
            (month, n)
            for month, n in by_month.items()
            if 0 <= at_month - month < WINDOW_MONTHS and n > 0
        ]
        count = sum(n for _month, n in kept)
        weighted = sum(n * decay(at_month - month) for month, n in kept)
        points = (
            round(float(min(rule.cap, weighted * rule.points_each)), 1) if rule.available else 0.0
        )
        parts.append(
            Part(
                key=rule.key,
                count=count,
                weighted=round(weighted, 3),
                points_each=rule.points_each,
                cap=rule.cap,
                points=points,
                available=rule.available,
            )
        )
    return tuple(parts)


def freshness_points(age_days: int | None) -> float:
    """Points for a recently updated profile; None (no profile yet) earns nothing."""
    if age_days is None:
        return 0.0
    if age_days <= FRESH_DAYS:
        return FRESHNESS_MAX
    if age_days >= STALE_DAYS:
        return 0.0
    return round(FRESHNESS_MAX * (STALE_DAYS - age_days) / (STALE_DAYS - FRESH_DAYS), 1)


def breakdown(
    counts: Mapping[str, Mapping[int, int]], *, at_month: int, profile_age_days: int | None
) -> Breakdown:
    return Breakdown(
        parts=activity_parts(counts, at_month),
        freshness=freshness_points(profile_age_days),
        profile_age_days=profile_age_days,
    )


def quarter_points(counts: Mapping[str, int]) -> float:
    """Points earned in one quarter, without decay: {kind: activities} -> capped sum."""
    return round(
        sum(
            float(min(rule.cap, counts.get(rule.key, 0) * rule.points_each))
            for rule in RULES
            if rule.available
        ),
        1,
    )


def status_of(
    *, days_since_activity: int | None, last_quarter: float, previous_quarter: float
) -> tuple[Status, Reason]:
    """Dormant: no activity for 180 days (or never). Cooling: none for 90 days, or the points
    earned in the last 91 days are at most half of those of the 91 days before. Else active."""
    if days_since_activity is None:
        return Status.DORMANT, Reason.NEVER
    if days_since_activity >= DORMANT_DAYS:
        return Status.DORMANT, Reason.LONG_QUIET
    if days_since_activity >= QUIET_DAYS:
        return Status.COOLING, Reason.QUIET
    if previous_quarter > 0 and last_quarter <= DROP_RATIO * previous_quarter:
        return Status.COOLING, Reason.HALVED
    return Status.ACTIVE, Reason.RECENT
