"""Reads of engagement: each organization's activities, score, status, the cluster funnel.

Activities are counted by the database, one aggregate query per kind of activity for a whole
cluster (grouped by organization and calendar month), never one query per organization; the
score and status are then computed by `scoring` in Python from those few rows.

Where each activity comes from (see docs/engagement.md):
- attendance: `events.Registration` rows with `checked_in_at` (the registration's
  organization; one without an organization counts for the person's organizations);
- contributions, endorsements, comments: the `contributions` app, by organization;
- logins: `engagement.LoginEvent`, one per person, organization and day;
- votes: `agenda.Ballot` rows, the ballots the organization cast in agenda consultations.
A source whose app has no such model yet is reported as unavailable, never invented.

Who may read what: a cluster's engagement is for its managers and the regional officers
(another cluster answers 404); an organization's engagement is also for its own people.
"""

import importlib
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from typing import Any

from django.apps import apps
from django.db.models import Count, Max, Q, QuerySet
from django.http import Http404
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from clusterhub.engagement import scoring
from clusterhub.engagement.models import ReEngagementInvitation
from clusterhub.engagement.scoring import Breakdown, Reason, Status
from clusterhub.regions.models import Cluster
from clusterhub.registry.models import (
    Membership,
    MembershipStatus,
    Organization,
    OrganizationKind,
)
from clusterhub.registry.selectors import cluster_get_for_manager

ACTIVE_WINDOW_DAYS = 182  # "active in the last 6 months" in the funnel
INVITATION_COOLDOWN_DAYS = 14
# Memberships whose organization the cluster's managers follow.
FOLLOWED_STATUSES = (MembershipStatus.ACTIVE, MembershipStatus.SUSPENDED)

PART_LABELS = {
    "attendance": _("Events attended"),
    "contributions": _("Contributions"),
    "endorsements": _("Endorsements"),
    "comments": _("Comments"),
    "logins": _("Sign-in days of its people"),
    "votes": _("Votes"),
}
STATUS_LABELS = {
    Status.ACTIVE: _("Active"),
    Status.COOLING: _("Cooling"),
    Status.DORMANT: _("Dormant"),
}
REASON_LABELS = {
    Reason.RECENT: _("Activity in the last 3 months."),
    Reason.HALVED: _("The last 3 months earned half the points of the 3 months before, or less."),
    Reason.QUIET: _("No activity for 3 months."),
    Reason.LONG_QUIET: _("No activity for 6 months."),
    Reason.NEVER: _("No activity recorded yet."),
}


# --- Sources ---------------------------------------------------------------------------------


@dataclass(frozen=True)
class Source:
    """Where one kind of activity is read: a model, its organization and time fields."""

    key: str
    model: str  # "app_label.ModelName"
    organization_field: str
    time_field: str
    # Extra conditions, e.g. only check-ins of registrations that were not cancelled.
    conditions: dict[str, Any] = field(default_factory=dict)
    excluded: dict[str, Any] = field(default_factory=dict)


SOURCES: tuple[Source, ...] = (
    Source(
        "attendance",
        "events.Registration",
        "organization_id",
        "checked_in_at",
        excluded={"status": "cancelled"},
    ),
    # A check-in registered without an organization counts for the person's organizations.
    Source(
        "attendance",
        "events.Registration",
        "person__organization_roles__organization_id",
        "checked_in_at",
        conditions={"organization__isnull": True},
        excluded={"status": "cancelled"},
    ),
    Source("contributions", "contributions.Contribution", "organization_id", "created_at"),
    Source("endorsements", "contributions.Endorsement", "organization_id", "created_at"),
    Source("comments", "contributions.Comment", "organization_id", "created_at"),
    Source("logins", "engagement.LoginEvent", "organization_id", "at"),
    Source("votes", "agenda.Ballot", "organization_id", "created_at"),
)


def _model(label: str) -> Any:
    try:
        return apps.get_model(label)
    except LookupError:
        return None


def available_sources() -> set[str]:
    """Kinds of activity the platform records now (the others are shown as not available)."""
    return {source.key for source in SOURCES if _model(source.model) is not None} & {
        rule.key for rule in scoring.RULES if rule.available
    }


@dataclass
class Activity:
    """One organization's activities: {kind: {month index: count}}, the latest of each kind,
    and {kind: count} in the last quarter (91 days) and in the quarter before."""

    counts: dict[str, dict[int, int]] = field(default_factory=lambda: defaultdict(dict))
    last: dict[str, datetime] = field(default_factory=dict)
    last_quarter: dict[str, int] = field(default_factory=lambda: defaultdict(int))
    previous_quarter: dict[str, int] = field(default_factory=lambda: defaultdict(int))

    def add(
        self,
        key: str,
        months: dict[int, int],
        last: datetime,
        quarters: tuple[int, int],
    ) -> None:
        for month, count in months.items():
            if count:
                self.counts[key][month] = self.counts[key].get(month, 0) + count
        if key not in self.last or last > self.last[key]:
            self.last[key] = last
        self.last_quarter[key] += quarters[0]
        self.previous_quarter[key] += quarters[1]

    def last_of(self, keys: Iterable[str]) -> datetime | None:
        return max((self.last[key] for key in keys if key in self.last), default=None)


def _month_starts(now: datetime, months: int) -> list[datetime]:
    """Local midnight of the 1st of this month and of the `months - 1` before, newest first."""
    current = scoring.month_index(timezone.localdate(now))
    return [
        timezone.make_aware(datetime.combine(scoring.month_start(current - age), time.min))
        for age in range(months)
    ]


def load_activity(
    organization_ids: Any, *, now: datetime | None = None, months: int = scoring.WINDOW_MONTHS
) -> dict[int, Activity]:
    """Activities of the given organizations (ids or an id subquery) in this calendar month
    and the `months - 1` before, one query per source grouped by organization.

    Each month is a conditional count between two month starts (local time) computed here,
    so the database only compares timestamps: no date function runs on every row.
    """
    now = now or timezone.now()
    current = scoring.month_index(timezone.localdate(now))
    starts = _month_starts(now, months)
    quarter = timedelta(days=scoring.QUARTER_DAYS)
    activity: dict[int, Activity] = defaultdict(Activity)
    for source in SOURCES:
        model = _model(source.model)
        if model is None:
            continue
        org, at = source.organization_field, source.time_field
        in_month = {
            f"m{age}": Count(
                "pk",
                filter=Q(**{f"{at}__gte": start})
                & (Q(**{f"{at}__lt": starts[age - 1]}) if age else Q()),
            )
            for age, start in enumerate(starts)
        }
        rows = (
            model.objects.filter(**{f"{org}__in": organization_ids, f"{at}__isnull": False})
            .filter(**source.conditions)
            .exclude(**source.excluded)
            .values(org)
            .annotate(
                last=Max(at),
                last_quarter=Count("pk", filter=Q(**{f"{at}__gt": now - quarter})),
                previous_quarter=Count(
                    "pk",
                    filter=Q(**{f"{at}__gt": now - 2 * quarter, f"{at}__lte": now - quarter}),
                ),
                **in_month,
            )
            .order_by()
        )
        for row in rows:
            activity[row[org]].add(
                source.key,
                {current - age: row[f"m{age}"] for age in range(months)},
                row["last"],
                (row["last_quarter"], row["previous_quarter"]),
            )
    return activity


def _day(moment: datetime) -> date:
    """The local date of a time; the zone is looked up once per call site's loop."""
    return moment.astimezone(timezone.get_current_timezone()).date()


# --- One organization ------------------------------------------------------------------------


@dataclass(frozen=True)
class HistoryPoint:
    month: date
    total: float
    activity: float


@dataclass(frozen=True)
class OrganizationEngagement:
    organization: Organization
    breakdown: Breakdown
    last_quarter: float  # points earned in the last 91 days, without decay
    previous_quarter: float  # ... and in the 91 days before
    status: Status
    reason: Reason
    last_activity_at: datetime | None
    last_contribution_at: datetime | None
    history: tuple[HistoryPoint, ...] = ()

    @property
    def score(self) -> float:
        return self.breakdown.total

    @property
    def status_label(self) -> str:
        return str(STATUS_LABELS[self.status])

    @property
    def reason_label(self) -> str:
        return str(REASON_LABELS[self.reason])

    @property
    def days_since_activity(self) -> int | None:
        if self.last_activity_at is None:
            return None
        return (timezone.localdate() - timezone.localtime(self.last_activity_at).date()).days


def _profile_age_days(organization: Organization, on: date) -> int | None:
    """Days since the profile's last known update on or before `on` (None: not yet created).

    Only the latest update time is stored: for an earlier date after it, the creation is the
    last update known.
    """
    zone = timezone.get_current_timezone()
    for stamp in (organization.updated_at, organization.created_at):
        if stamp is not None:
            day = stamp.astimezone(zone).date()
            if day <= on:
                return (on - day).days
    return None


def _month_end(index: int, today: date) -> date:
    following = scoring.month_start(index + 1)
    return min(today, following - timedelta(days=1))


def _engagement(
    organization: Organization,
    activity: Activity,
    *,
    today: date,
    with_history: bool = False,
) -> OrganizationEngagement:
    now = scoring.month_index(today)
    current = scoring.breakdown(
        activity.counts, at_month=now, profile_age_days=_profile_age_days(organization, today)
    )
    last_quarter = scoring.quarter_points(activity.last_quarter)
    previous_quarter = scoring.quarter_points(activity.previous_quarter)
    active_keys = [rule.key for rule in scoring.RULES if rule.available]
    last = activity.last_of(active_keys)
    days = None if last is None else (today - _day(last)).days
    status, reason = scoring.status_of(
        days_since_activity=days,
        last_quarter=last_quarter,
        previous_quarter=previous_quarter,
    )
    history: list[HistoryPoint] = []
    if with_history:
        for month in range(now - scoring.HISTORY_MONTHS + 1, now + 1):
            end = _month_end(month, today)
            point = scoring.breakdown(
                activity.counts,
                at_month=month,
                profile_age_days=_profile_age_days(organization, end),
            )
            history.append(HistoryPoint(scoring.month_start(month), point.total, point.activity))
    contributing_keys = [r.key for r in scoring.RULES if r.available and r.contributing]
    return OrganizationEngagement(
        organization=organization,
        breakdown=current,
        last_quarter=last_quarter,
        previous_quarter=previous_quarter,
        status=status,
        reason=reason,
        last_activity_at=last,
        last_contribution_at=activity.last_of(contributing_keys),
        history=tuple(history),
    )


def organization_engagement(
    organization: Organization, *, with_history: bool = True
) -> OrganizationEngagement:
    """Score, status and monthly history of one organization (no access check: callers
    that serve a person use `organization_engagement_get`)."""
    months = scoring.WINDOW_MONTHS + (scoring.HISTORY_MONTHS - 1 if with_history else 0)
    activity = load_activity([organization.pk], months=months).get(organization.pk, Activity())
    return _engagement(
        organization, activity, today=timezone.localdate(), with_history=with_history
    )


def organizations_engagement_visible_to(user: object) -> QuerySet[Organization]:
    """Organizations whose engagement `user` may read: their own organizations, the members
    of the clusters they manage, every one for a regional officer."""
    if not getattr(user, "is_authenticated", False):
        return Organization.objects.none()
    if user.is_regional_officer:  # type: ignore[attr-defined]
        return Organization.objects.all()
    managed = Membership.objects.filter(
        cluster__staff_roles__person=user, status__in=FOLLOWED_STATUSES
    ).values("organization_id")
    return Organization.objects.filter(Q(person_roles__person=user) | Q(pk__in=managed)).distinct()


def organization_engagement_get(*, user: object, organization_id: int) -> OrganizationEngagement:
    """One organization's engagement, or 404 when `user` may not read it."""
    organization = (
        organizations_engagement_visible_to(user)
        .select_related("territory")
        .filter(pk=organization_id)
        .first()
    )
    if organization is None:
        raise Http404("No such organization")
    return organization_engagement(organization)


def may_read_cluster_engagement(user: object, organization: Organization) -> list[Cluster]:
    """Clusters of this organization whose engagement page `user` may open (for links)."""
    if not getattr(user, "is_authenticated", False):
        return []
    clusters = Cluster.objects.filter(
        memberships__organization=organization, memberships__status__in=FOLLOWED_STATUSES
    )
    if not user.is_regional_officer:  # type: ignore[attr-defined]
        clusters = clusters.filter(staff_roles__person=user)
    return list(clusters.distinct().order_by("position", "slug"))


# --- A cluster -------------------------------------------------------------------------------


@dataclass
class FunnelRow:
    kind: str
    label: str
    members: int = 0
    ever_active: int = 0
    active_recently: int = 0
    contributing: int = 0

    def stages(self) -> list[int]:
        return [self.members, self.ever_active, self.active_recently, self.contributing]

    def share(self, stage: int) -> float | None:
        return round(100 * stage / self.members, 1) if self.members else None

    def cells(self) -> list[tuple[int, float | None]]:
        """(count, % of members) for each stage after "members"."""
        return [(count, self.share(count)) for count in self.stages()[1:]]


@dataclass(frozen=True)
class ClusterEngagement:
    cluster: Cluster
    rows: tuple[OrganizationEngagement, ...]  # every active member, quietest first
    funnel: tuple[FunnelRow, ...]  # one per kind with members
    totals: FunnelRow
    available: frozenset[str]

    def count(self, status: Status) -> int:
        return sum(1 for row in self.rows if row.status == status)

    @property
    def status_counts(self) -> dict[str, int]:
        return {status.value: self.count(status) for status in Status}

    @property
    def active_ids(self) -> frozenset[int]:
        return frozenset(row.organization.pk for row in self.rows if row.status == Status.ACTIVE)

    @property
    def quiet(self) -> list[OrganizationEngagement]:
        """Cooling and dormant members, dormant first, then the lowest scores."""
        return [row for row in self.rows if row.status != Status.ACTIVE]


STATUS_ORDER = {Status.DORMANT: 0, Status.COOLING: 1, Status.ACTIVE: 2}
FUNNEL_STAGES = (
    ("members", _("Members")),
    ("ever_active", _("Ever active")),
    ("active_recently", _("Active in the last 6 months")),
    ("contributing", _("Contributing")),
)


def cluster_engagement(cluster: Cluster) -> ClusterEngagement:
    """Every active member's score and status, and the funnel by kind of organization."""
    today = timezone.localdate()
    member_ids = Membership.objects.filter(cluster=cluster, status=MembershipStatus.ACTIVE).values(
        "organization_id"
    )
    organizations = list(
        Organization.objects.filter(pk__in=member_ids).only(
            "id", "name", "kind", "created_at", "updated_at"
        )
    )
    activity = load_activity(member_ids)
    rows = [
        _engagement(organization, activity.get(organization.pk, Activity()), today=today)
        for organization in organizations
    ]
    rows.sort(key=lambda row: (STATUS_ORDER[row.status], row.score, row.organization.name))
    # Any time at or after this instant is on or after the funnel's first recent day.
    recent = timezone.make_aware(
        datetime.combine(today - timedelta(days=ACTIVE_WINDOW_DAYS), time.min)
    )
    labels = dict(OrganizationKind.choices)
    by_kind: dict[str, FunnelRow] = {}
    totals = FunnelRow(kind="", label=str(_("All members")))
    for row in rows:
        kind = row.organization.kind
        funnel = by_kind.setdefault(kind, FunnelRow(kind=kind, label=str(labels.get(kind, kind))))
        for target in (funnel, totals):
            target.members += 1
            if row.last_activity_at is not None:
                target.ever_active += 1
                if row.last_activity_at >= recent:
                    target.active_recently += 1
                    contributed = row.last_contribution_at
                    if contributed and contributed >= recent:
                        target.contributing += 1
    order = {kind: position for position, kind in enumerate(OrganizationKind.values)}
    return ClusterEngagement(
        cluster=cluster,
        rows=tuple(rows),
        funnel=tuple(sorted(by_kind.values(), key=lambda f: order.get(f.kind, 99))),
        totals=totals,
        available=frozenset(available_sources()),
    )


def cluster_engagement_get(*, user: object, slug: str) -> ClusterEngagement:
    """A cluster's engagement for its managers and the officers; any other cluster: 404."""
    return cluster_engagement(cluster_get_for_manager(user=user, slug=slug))


def cluster_member_get(
    *, user: object, slug: str, organization_id: int
) -> tuple[Cluster, Organization]:
    """A managed cluster and one of its active members, or 404."""
    cluster = cluster_get_for_manager(user=user, slug=slug)
    organization = Organization.objects.filter(
        pk=organization_id,
        memberships__cluster=cluster,
        memberships__status=MembershipStatus.ACTIVE,
    ).first()
    if organization is None:
        raise Http404("No such member")
    return cluster, organization


# --- Re-engagement suggestions ---------------------------------------------------------------


@dataclass(frozen=True)
class Suggestions:
    event: Any = None
    opportunity: Any = None
    partner: Organization | None = None
    last_invitation: ReEngagementInvitation | None = None

    @property
    def any(self) -> bool:
        return bool(self.event or self.opportunity or self.partner)

    @property
    def may_invite(self) -> bool:
        return self.last_invitation is None

    def snapshot(self) -> dict[str, Any]:
        """What an invitation records of the suggestions it carried."""
        data: dict[str, Any] = {}
        if self.event is not None:
            data["event"] = {
                "id": self.event.pk,
                "title": self.event.title,
                "starts_at": self.event.starts_at.isoformat(),
            }
        if self.opportunity is not None:
            data["opportunity"] = {
                "id": self.opportunity.pk,
                "title": self.opportunity.title,
                "deadline": self.opportunity.deadline.isoformat(),
            }
        if self.partner is not None:
            data["partner"] = {"id": self.partner.pk, "name": self.partner.name}
        return data


def _selector(module: str, name: str) -> Any:
    """A selector of another app, or None while that app does not provide it yet."""
    try:
        return getattr(importlib.import_module(module), name)
    except (ImportError, AttributeError):
        return None


def _first(items: Any) -> Any:
    for item in items or ():
        return item
    return None


def recent_invitation(
    *, cluster: Cluster, organization: Organization
) -> ReEngagementInvitation | None:
    since = timezone.now() - timedelta(days=INVITATION_COOLDOWN_DAYS)
    return (
        ReEngagementInvitation.objects.filter(
            cluster=cluster, organization=organization, sent_at__gte=since
        )
        .order_by("-sent_at")
        .first()
    )


PARTNER_CANDIDATES = 10


def reengagement_suggestions(
    *,
    viewer: object,
    cluster: Cluster,
    organization: Organization,
    active_ids: frozenset[int] = frozenset(),
) -> Suggestions:
    """An upcoming event, an open opportunity and a similar organization for a quiet member,
    each best ranked for it by its app; any of them None when that app has nothing.

    The partner is the most similar organization among `active_ids` (the cluster's active
    members: someone who takes part), else the most similar one at all."""
    event = opportunity = partner = None
    upcoming = _selector("clusterhub.events.selectors", "upcoming_events_for")
    if upcoming is not None:
        event = _first(upcoming(organization, limit=1))
        event = getattr(event, "event", event)  # a ranked wrapper or the event itself
    ranked = _selector("clusterhub.opportunities.selectors", "ranked_opportunities_for")
    if ranked is not None:
        opportunity = _first(ranked(organization, limit=1))
        opportunity = getattr(opportunity, "opportunity", opportunity)
    similar = _selector("clusterhub.matchmaking.selectors", "similar_organizations")
    if similar is not None:
        matches = [
            match.organization
            for match in similar(
                viewer=viewer, organization_id=organization.pk, k=PARTNER_CANDIDATES
            )
        ]
        engaged = [candidate for candidate in matches if candidate.pk in active_ids]
        partner = _first(engaged) or _first(matches)
    return Suggestions(
        event=event,
        opportunity=opportunity,
        partner=partner,
        last_invitation=recent_invitation(cluster=cluster, organization=organization),
    )
