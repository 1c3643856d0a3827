"""Evidence sources: the platform's own figures for a cluster and a year, by name.

The framework file names a source per indicator (`evidence: members_count`). A source returns
an `Evidence`: the value, the figures behind it (`parts`) and the page that shows them. The
member, project and funding figures are those of the monitoring dashboard (same SQL, same
definitions: `clusterhub.monitoring.selectors`); events and attendance come from the events
app (attendance = a registration checked in at the door).

A source with nothing to read yet answers `available=False` and the manager answers by hand.
"""

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime, time
from typing import Any
from urllib.parse import urlencode

from django.db.models import Q
from django.urls import NoReverseMatch, reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from clusterhub.regions.models import Cluster, Region


@dataclass(frozen=True)
class Evidence:
    available: bool
    value: float | None = None
    url: str = ""
    parts: dict[str, float] = field(default_factory=dict)
    note: str = ""  # key of NOTES when there is nothing to read


NOTES = {
    "no_platform_evidence": _("No platform evidence yet: answer with a note."),
    "no_published_agenda": _("No agenda published on the platform by the end of this year."),
}

PART_LABELS = {
    "members": _("members"),
    "firms": _("firms"),
    "smes": _("SMEs"),
    "events": _("events"),
    "checked_in": _("participants checked in"),
    "organizations_reached": _("member organizations that took part"),
    "projects": _("projects"),
    "participations": _("participations"),
    "groups": _("working groups"),
    "kinds": _("kinds"),
    "events_with_feedback": _("events with feedback"),
    "items": _("agenda items"),
    "items_with_kpis": _("items with KPI targets"),
    "kpis": _("KPIs"),
    "items_measured": _("items with progress recorded"),
}


class Context:
    """One cluster and year; the monitoring figures are computed once for every source."""

    def __init__(self, cluster: Cluster, year: int) -> None:
        self.cluster = cluster
        self.year = year
        self._figures: Any = None

    @property
    def figures(self) -> Any:
        if self._figures is None:
            from clusterhub.monitoring.selectors import Scope, cluster_indicators

            scope = Scope(clusters=(self.cluster,), year_from=self.year, year_to=self.year)
            self._figures = cluster_indicators(scope).figures[self.cluster.pk][self.year]
        return self._figures

    def monitoring_url(self) -> str:
        query = urlencode(
            {"cluster": self.cluster.slug, "year_from": self.year, "year_to": self.year}
        )
        return f"{reverse('monitoring:dashboard')}?{query}"

    def year_bounds(self) -> tuple[datetime, datetime]:
        tz = timezone.get_current_timezone()
        start = datetime.combine(datetime(self.year, 1, 1).date(), time.min, tzinfo=tz)
        end = datetime.combine(datetime(self.year + 1, 1, 1).date(), time.min, tzinfo=tz)
        return start, end


Source = Callable[[Context], Evidence]
SOURCES: dict[str, Source] = {}


def source(name: str) -> Callable[[Source], Source]:
    def register(func: Source) -> Source:
        SOURCES[name] = func
        return func

    return register


def _monitoring(ctx: Context, value: float | None, **parts: float) -> Evidence:
    return Evidence(available=True, value=value, url=ctx.monitoring_url(), parts=parts)


@source("members_count")
def members_count(ctx: Context) -> Evidence:
    f = ctx.figures
    return _monitoring(ctx, f.members, members=f.members, firms=f.firms, smes=f.smes)


@source("member_kinds")
def member_kinds(ctx: Context) -> Evidence:
    kinds = {kind: n for kind, n in ctx.figures.members_by_kind.items() if n}
    return _monitoring(ctx, len(kinds), **kinds)


@source("firm_share")
def firm_share(ctx: Context) -> Evidence:
    f = ctx.figures
    return _monitoring(ctx, f.firm_share, firms=f.firms, members=f.members)


@source("sme_share")
def sme_share(ctx: Context) -> Evidence:
    f = ctx.figures
    return _monitoring(ctx, f.sme_share, smes=f.smes, firms=f.firms)


@source("new_members")
def new_members(ctx: Context) -> Evidence:
    f = ctx.figures
    return _monitoring(ctx, f.new_members, members=f.members)


@source("projects_count")
def projects_count(ctx: Context) -> Evidence:
    f = ctx.figures
    return _monitoring(ctx, f.projects, participations=f.participations)


@source("eu_funding")
def eu_funding(ctx: Context) -> Evidence:
    f = ctx.figures
    return _monitoring(ctx, float(f.eu_funding), projects=f.projects)


@source("lab_firm_pairs")
def lab_firm_pairs(ctx: Context) -> Evidence:
    f = ctx.figures
    return _monitoring(ctx, f.lab_firm_pairs, projects=f.projects)


@source("international_partners")
def international_partners(ctx: Context) -> Evidence:
    """Distinct foreign participants in projects, starting that year, of active members."""
    from clusterhub.projects.models import Participation
    from clusterhub.registry.models import MembershipStatus

    projects = Participation.objects.filter(
        organization__memberships__cluster=ctx.cluster,
        organization__memberships__status=MembershipStatus.ACTIVE,
        project__start_date__year=ctx.year,
    ).values("project_id")
    home = Region.objects.values_list("country", flat=True).first() or "IT"
    partners = (
        Participation.objects.filter(project_id__in=projects)
        .exclude(Q(country="") | Q(country=home))
        .values("participant_key")
        .distinct()
        .count()
    )
    return _monitoring(ctx, partners, projects=ctx.figures.projects)


@source("working_groups")
def working_groups(ctx: Context) -> Evidence:
    from clusterhub.registry.models import WorkingGroup

    count = WorkingGroup.objects.filter(cluster=ctx.cluster).count()
    url = reverse("regions:cluster_detail", kwargs={"slug": ctx.cluster.slug})
    return Evidence(
        available=True, value=count, url=url + "#groups-heading", parts={"groups": count}
    )


def events_of_year(ctx: Context) -> Any:
    from clusterhub.events.models import Event, EventStatus

    start, end = ctx.year_bounds()
    return Event.objects.filter(
        clusters=ctx.cluster, starts_at__gte=start, starts_at__lt=end
    ).exclude(status__in=[EventStatus.DRAFT, EventStatus.CANCELLED])


def _events_url(ctx: Context) -> str:
    try:
        return reverse("events:list") + "?" + urlencode({"cluster": ctx.cluster.slug})
    except NoReverseMatch:  # the events pages are not routed
        return ""


def _checked_in(ctx: Context) -> Any:
    from clusterhub.events.models import Registration

    return Registration.objects.filter(event__in=events_of_year(ctx), checked_in_at__isnull=False)


@source("events_count")
def events_count(ctx: Context) -> Evidence:
    events = events_of_year(ctx).count()
    return Evidence(available=True, value=events, url=_events_url(ctx), parts={"events": events})


@source("event_attendance")
def event_attendance(ctx: Context) -> Evidence:
    checked_in = _checked_in(ctx).count()
    events = events_of_year(ctx).count()
    return Evidence(
        available=True,
        value=checked_in,
        url=_events_url(ctx),
        parts={"checked_in": checked_in, "events": events},
    )


@source("member_reach")
def member_reach(ctx: Context) -> Evidence:
    """Share of the year's members whose people checked in at one of the cluster's events."""
    from clusterhub.registry.models import MembershipStatus

    members = ctx.figures.members
    reached = (
        _checked_in(ctx)
        .filter(
            organization__memberships__cluster=ctx.cluster,
            organization__memberships__status=MembershipStatus.ACTIVE,
        )
        .values("organization_id")
        .distinct()
        .count()
    )
    share = round(100 * reached / members, 1) if members else None
    return Evidence(
        available=True,
        value=share,
        url=_events_url(ctx),
        parts={"organizations_reached": reached, "members": members},
    )


@source("feedback_coverage")
def feedback_coverage(ctx: Context) -> Evidence:
    """Share of the year's events on which at least one participant gave feedback."""
    from clusterhub.assessment.models import FeedbackResponse

    events = events_of_year(ctx)
    total = events.count()
    answered = (
        FeedbackResponse.objects.filter(event__in=events).values("event_id").distinct().count()
    )
    url = reverse("assessment:performance", kwargs={"slug": ctx.cluster.slug, "year": ctx.year})
    return Evidence(
        available=True,
        value=round(100 * answered / total, 1) if total else None,
        url=url,
        parts={"events_with_feedback": answered, "events": total},
    )


@source("agenda_kpis")
def agenda_kpis(ctx: Context) -> Evidence:
    """The level of the cluster's agenda published by the end of the year (its latest one):
    1 published, 2 some active items with KPI targets, 3 every item with KPI targets, 4 and
    progress recorded (a KPI value or a milestone done) on at least half of them. Without a
    published agenda the manager answers by hand (it may live outside the platform)."""
    from clusterhub.agenda.models import AgendaVersion, ItemStatus, Phase

    _start, end = ctx.year_bounds()
    version = (
        AgendaVersion.objects.filter(
            cluster=ctx.cluster, phase=Phase.PUBLISHED, published_at__lt=end
        )
        .order_by("-number")
        .first()
    )
    if version is None:
        return Evidence(available=False, note="no_published_agenda")
    items = list(
        version.items.filter(status=ItemStatus.ACTIVE).prefetch_related("kpis", "milestones")
    )
    with_targets = [i for i in items if any(k.target != k.baseline for k in i.kpis.all())]
    measured = [
        i
        for i in items
        if any(k.current is not None for k in i.kpis.all())
        or any(m.done_on is not None for m in i.milestones.all())
    ]
    level = 1
    if with_targets:
        level = 2
    if items and len(with_targets) == len(items):
        level = 3 if 2 * len(measured) < len(items) else 4
    url = reverse("agenda:version", kwargs={"slug": ctx.cluster.slug, "number": version.number})
    return Evidence(
        available=True,
        value=level,
        url=url,
        parts={
            "items": len(items),
            "items_with_kpis": len(with_targets),
            "kpis": sum(len(i.kpis.all()) for i in items),
            "items_measured": len(measured),
        },
    )


@source("engagement_trend")
def engagement_trend(ctx: Context) -> Evidence:
    """Not read yet: the engagement figures describe today, not a past year."""
    return Evidence(available=False, note="no_platform_evidence")


def collect(cluster: Cluster, year: int, names: list[str]) -> dict[str, Evidence]:
    """The evidence of each named source for this cluster and year."""
    ctx = Context(cluster, year)
    return {name: SOURCES[name](ctx) for name in names}
