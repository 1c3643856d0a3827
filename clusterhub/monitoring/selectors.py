"""Reads of the monitoring dashboard: indicators per cluster and year, the collaboration network.

Every figure is aggregated by the database (grouped counts and sums, `UNION` for "distinct
across two ways of counting"); Python only spreads the few grouped rows over the years
asked for. The clusters a caller may read come from `clusters_managed_by`: every cluster for
a regional officer, their own for a manager; asking for any other answers 404.

Definitions (also shown on the page):
- a membership counts in year Y when it started by Y (`since`, else the record's creation)
  and had not ended before Y (`until`, else when an ended membership was last changed);
  invited memberships never count;
- a project counts for a cluster when one of its participations is linked to an active
  member of the cluster, or when a counted ProjectCluster links them (confirmed by a
  manager, or suggested with enough confidence); its year is the
  project's start year;
- EU funding received by a cluster: the EU contribution of its active members'
  participations, by project start year;
- a lab-firm pair: a research lab, university or innovation centre and a firm of the
  registry in the same project, at least one of them an active member of the cluster;
  counted once per year whatever the number of projects they share that year.
"""

import hashlib
import math
from collections import defaultdict
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from django.core.cache import cache
from django.core.exceptions import ValidationError
from django.db import connections
from django.db.models import (
    Case,
    Count,
    Exists,
    F,
    Func,
    IntegerField,
    Max,
    Min,
    OuterRef,
    Q,
    QuerySet,
    Sum,
    Value,
    When,
)
from django.db.models.functions import Coalesce, NullIf
from django.http import Http404
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from clusterhub.projects.models import Participation, Project
from clusterhub.projects.selectors import counted_project_clusters
from clusterhub.regions.models import Cluster, Territory
from clusterhub.registry.models import (
    Membership,
    MembershipStatus,
    Organization,
    OrganizationKind,
    SizeClass,
)
from clusterhub.registry.selectors import clusters_managed_by

LAB_KINDS = (
    OrganizationKind.RESEARCH_LAB,
    OrganizationKind.UNIVERSITY,
    OrganizationKind.INNOVATION_CENTRE,
)
SME_SIZES = (SizeClass.MICRO, SizeClass.SMALL, SizeClass.MEDIUM)
# Memberships with a history: invited ones never were members.
HISTORY_STATUSES = (MembershipStatus.ACTIVE, MembershipStatus.SUSPENDED, MembershipStatus.ENDED)
ACTIVE = MembershipStatus.ACTIVE

# The membership groups stay cached this long at most, even if no change is seen.
MEMBERSHIP_CACHE_SECONDS = 600

MIN_YEAR = 1950
MAX_YEAR = 2100
MAX_SPAN = 30  # years in one request
DEFAULT_SPAN = 5


# --- Scope: which clusters and years --------------------------------------------------------


class Year(Func):
    """The year of a date or a (UTC) timestamp, as an integer.

    Django's ExtractYear runs a Python function per row on SQLite; over every membership of a
    large registry that costs more than the rest of the query. Dates are stored as ISO text
    there, so the year is their first four characters.
    """

    arity = 1
    output_field = IntegerField()
    template = "CAST(EXTRACT(YEAR FROM %(expressions)s) AS integer)"

    def as_sqlite(self, compiler: Any, connection: Any, **extra: Any) -> Any:
        return self.as_sql(
            compiler, connection, template="CAST(SUBSTR(%(expressions)s, 1, 4) AS integer)", **extra
        )


@dataclass(frozen=True)
class Scope:
    clusters: tuple[Cluster, ...]
    year_from: int
    year_to: int

    @property
    def years(self) -> list[int]:
        return list(range(self.year_from, self.year_to + 1))

    @property
    def cluster_ids(self) -> list[int]:
        return [cluster.pk for cluster in self.clusters]


def monitoring_clusters(user: object) -> QuerySet[Cluster]:
    """The clusters this user may monitor, in the region's order."""
    return clusters_managed_by(user).select_related("group").order_by("position", "slug")


def default_years(today_year: int | None = None) -> tuple[int, int]:
    """The last five years, this one included."""
    year_to = today_year or timezone.localdate().year
    return year_to - DEFAULT_SPAN + 1, year_to


def resolve_years(year_from: int | None, year_to: int | None) -> tuple[int, int]:
    """The year range asked for, the missing ends filled in; ValidationError when it is wrong."""
    default_from, default_to = default_years()
    if year_to is None:
        year_to = max(default_to, year_from) if year_from is not None else default_to
    if year_from is None:
        year_from = year_to - DEFAULT_SPAN + 1
    errors: dict[str, list[Any]] = {}
    for name, year in (("year_from", year_from), ("year_to", year_to)):
        if not MIN_YEAR <= year <= MAX_YEAR:
            errors[name] = [
                _("Give a year between %(min)s and %(max)s.") % {"min": MIN_YEAR, "max": MAX_YEAR}
            ]
    if not errors and year_from > year_to:
        errors["year_to"] = [_("The last year comes before the first one.")]
    if not errors and year_to - year_from + 1 > MAX_SPAN:
        errors["year_to"] = [_("Ask for %(max)s years at most.") % {"max": MAX_SPAN}]
    if errors:
        raise ValidationError(errors)
    return year_from, year_to


def monitoring_scope(
    *,
    user: object,
    cluster_slugs: Sequence[str] = (),
    year_from: int | None = None,
    year_to: int | None = None,
) -> Scope:
    """The clusters and years to show. A cluster the user may not monitor answers 404."""
    visible = list(monitoring_clusters(user))
    wanted = {slug for slug in cluster_slugs if slug}
    if wanted:
        known = {cluster.slug for cluster in visible}
        if wanted - known:
            raise Http404("No such cluster")
        visible = [cluster for cluster in visible if cluster.slug in wanted]
    first, last = resolve_years(year_from, year_to)
    return Scope(clusters=tuple(visible), year_from=first, year_to=last)


# --- Indicators -----------------------------------------------------------------------------


@dataclass
class YearFigures:
    """One cluster in one year."""

    members: int = 0
    members_by_kind: dict[str, int] = field(default_factory=dict)
    firms: int = 0
    smes: int = 0
    firms_unknown_size: int = 0
    new_members: int = 0
    projects: int = 0
    participations: int = 0
    eu_funding: Decimal = Decimal("0.00")
    lab_firm_pairs: int = 0

    @property
    def firm_share(self) -> float | None:
        """Firms among members, in percent."""
        return _percent(self.firms, self.members)

    @property
    def sme_share(self) -> float | None:
        """SMEs among firms, in percent (a firm of unknown size is not an SME)."""
        return _percent(self.smes, self.firms)


def _percent(part: int, whole: int) -> float | None:
    return round(100 * part / whole, 1) if whole else None


@dataclass
class Totals:
    """Figures of the whole selection, each organization and project counted once."""

    members: int = 0
    new_members: int = 0
    projects: int = 0
    participations: int = 0
    eu_funding: Decimal = Decimal("0.00")
    lab_firm_pairs: int = 0

    @property
    def eu_funding_millions(self) -> float:
        return float(self.eu_funding) / 1_000_000


@dataclass
class Indicators:
    scope: Scope
    # figures[cluster_id][year]
    figures: dict[int, dict[int, YearFigures]]
    # provinces[cluster_id][province label][year] = participations
    provinces: dict[int, dict[str, dict[int, int]]]
    totals: Totals
    # First and last start year of the projects stored, for the page's coverage note.
    project_years: tuple[int | None, int | None]

    def rows(self) -> Iterator[tuple[Cluster, int, YearFigures]]:
        """(cluster, year, figures) in the region's cluster order, then by year."""
        for cluster in self.scope.clusters:
            for year in self.scope.years:
                yield cluster, year, self.figures[cluster.pk][year]


def _start_year() -> Coalesce:
    return Coalesce(Year("since"), Year("created_at"), output_field=IntegerField())


def _end_year() -> Case:
    return Case(
        When(until__isnull=False, then=Year("until")),
        When(status=MembershipStatus.ENDED, then=Year("updated_at")),
        default=None,
        output_field=IntegerField(),
    )


# (cluster id, kind, size class, first year, last year or None, memberships)
MembershipGroup = tuple[int, str, str, int, int | None, int]


def _membership_fingerprint() -> str:
    """Changes whenever a membership, or the kind or size of an organization, changes.

    Services save `updated_at` on memberships and bump `version` on organizations.
    """
    memberships = Membership.objects.aggregate(
        n=Count("id"), last=Max("id"), changed=Max("updated_at")
    )
    organizations = Organization.objects.aggregate(
        n=Count("id"), last=Max("id"), versions=Sum("version")
    )
    raw = repr(sorted(memberships.items()) + sorted(organizations.items()))
    return hashlib.sha256(raw.encode()).hexdigest()[:32]


def membership_groups() -> list[MembershipGroup]:
    """Every membership with a history, grouped by what the member counts need.

    One row per group, not per member: a few thousand rows for a registry of 100,000
    organizations. Grouping every membership is the dearest query of the dashboard, so the
    groups of all clusters and years are kept in the cache while nothing changes, and each
    page picks its clusters and years from them.
    """
    key = f"monitoring:membership-groups:{_membership_fingerprint()}"
    groups: list[MembershipGroup] | None = cache.get(key)
    if groups is None:
        rows = (
            Membership.objects.filter(status__in=HISTORY_STATUSES)
            .annotate(start=_start_year(), end=_end_year())
            .values_list(
                "cluster_id", "organization__kind", "organization__size_class", "start", "end"
            )
            .annotate(n=Count("id"))
            .order_by()
        )
        groups = [
            (cid, kind, size, int(start), None if end is None else int(end), n)
            for cid, kind, size, start, end, n in rows
        ]
        cache.set(key, groups, MEMBERSHIP_CACHE_SECONDS)
    return groups


def _add_members(scope: Scope, figures: dict[int, dict[int, YearFigures]]) -> None:
    for cid, kind, size, start, end, n in membership_groups():
        if cid not in figures:
            continue
        for year in scope.years:
            if start > year or (end is not None and end < year):
                continue
            cell = figures[cid][year]
            cell.members += n
            cell.members_by_kind[kind] = cell.members_by_kind.get(kind, 0) + n
            if kind == OrganizationKind.FIRM:
                cell.firms += n
                if size in SME_SIZES:
                    cell.smes += n
                elif not size:
                    cell.firms_unknown_size += n
            if start == year:
                cell.new_members += n


def _year_range(prefix: str, scope: Scope) -> dict[str, int]:
    """Filter on a start date's year, written as a date range the index can serve."""
    return {f"{prefix}__year__gte": scope.year_from, f"{prefix}__year__lte": scope.year_to}


def _active_member_participations(scope: Scope) -> QuerySet[Membership]:
    """Active memberships of the clusters joined to their organizations' participations."""
    return Membership.objects.filter(
        cluster_id__in=scope.cluster_ids,
        status=ACTIVE,
        **_year_range("organization__participations__project__start_date", scope),
    )


def _cluster_projects(scope: Scope) -> QuerySet[Any]:
    """(cid, pid, yr) of every project counted for each cluster, without duplicates (UNION)."""
    via_members = (
        _active_member_participations(scope)
        .values(
            cid=F("cluster_id"),
            pid=F("organization__participations__project_id"),
            yr=Year("organization__participations__project__start_date"),
        )
        .order_by()
    )
    via_links = (
        counted_project_clusters()
        .filter(
            cluster_id__in=scope.cluster_ids,
            **_year_range("project__start_date", scope),
        )
        .values(cid=F("cluster_id"), pid=F("project_id"), yr=Year("project__start_date"))
        .order_by()
    )
    return via_members.union(via_links)


def _lab_firm_pairs(scope: Scope) -> QuerySet[Any]:
    """(cid, lab, firm, yr): a lab and a firm in a project of that year, one a member of cid."""
    common = _year_range("project__start_date", scope)
    member = {
        "organization__memberships__cluster_id__in": scope.cluster_ids,
        "organization__memberships__status": ACTIVE,
    }
    year = Year("project__start_date")
    lab_is_member = (
        Participation.objects.filter(
            organization__kind__in=LAB_KINDS,
            project__participations__organization__kind=OrganizationKind.FIRM,
            **member,
            **common,
        )
        .values(
            cid=F("organization__memberships__cluster_id"),
            lab=F("organization_id"),
            firm=F("project__participations__organization_id"),
            yr=year,
        )
        .order_by()
    )
    firm_is_member = (
        Participation.objects.filter(
            organization__kind=OrganizationKind.FIRM,
            project__participations__organization__kind__in=LAB_KINDS,
            **member,
            **common,
        )
        .values(
            cid=F("organization__memberships__cluster_id"),
            lab=F("project__participations__organization_id"),
            firm=F("organization_id"),
            yr=year,
        )
        .order_by()
    )
    return lab_is_member.union(firm_is_member)


def _count_rows(
    queryset: QuerySet[Any], group_by: Sequence[str] = (), distinct: Sequence[str] = ()
) -> list[tuple[Any, ...]]:
    """COUNT(*) of a (UNION) queryset's rows, in the database.

    `group_by` counts per value of those columns; `distinct` counts the distinct values of
    those columns instead of the rows.
    """
    connection = connections[queryset.db]
    sql, params = queryset.query.get_compiler(using=queryset.db).as_sql()
    quote = connection.ops.quote_name
    # Column names are constants of this module; the values travel as parameters.
    if distinct:
        sql = f"SELECT DISTINCT {', '.join(map(quote, distinct))} FROM ({sql}) rows_"  # noqa: S608
    columns = ", ".join(quote(name) for name in group_by)
    select = f"{columns}, COUNT(*)" if group_by else "COUNT(*)"
    grouping = f" GROUP BY {columns}" if group_by else ""
    statement = f"SELECT {select} FROM ({sql}) counted{grouping}"  # noqa: S608
    with connection.cursor() as cursor:
        cursor.execute(statement, params)
        return [tuple(row) for row in cursor.fetchall()]


def _province_labels() -> dict[str, str]:
    return dict(Territory.objects.values_list("nuts3", "name"))


def _add_projects_and_funding(
    scope: Scope,
    figures: dict[int, dict[int, YearFigures]],
    provinces: dict[int, dict[str, dict[int, int]]],
) -> None:
    for cid, year, count in _count_rows(_cluster_projects(scope), ("cid", "yr")):
        figures[int(cid)][int(year)].projects = int(count)

    funding = (
        _active_member_participations(scope)
        .values("cluster_id", yr=Year("organization__participations__project__start_date"))
        .annotate(
            eu=Sum("organization__participations__eu_contribution"),
            n=Count("organization__participations__id"),
        )
        .order_by()
    )
    for row in funding:
        cell = figures[row["cluster_id"]][int(row["yr"])]
        cell.eu_funding = (row["eu"] or Decimal(0)).quantize(Decimal("0.01"))
        cell.participations = row["n"]

    # Where the participation took place (CORDIS), else where the registry places the member.
    place = Coalesce(
        NullIf(F("organization__participations__nuts3"), Value("")),
        NullIf(F("organization__nuts3"), Value("")),
        Value(""),
    )
    by_place = (
        _active_member_participations(scope)
        .values(
            "cluster_id",
            yr=Year("organization__participations__project__start_date"),
            place=place,
        )
        .annotate(n=Count("organization__participations__id"))
        .order_by()
    )
    labels = _province_labels()
    unknown = str(_("Province unknown"))
    for row in by_place:
        label = labels.get(row["place"], row["place"]) if row["place"] else unknown
        per_year = provinces[row["cluster_id"]].setdefault(label, {})
        per_year[int(row["yr"])] = per_year.get(int(row["yr"]), 0) + row["n"]

    for cid, year, count in _count_rows(_lab_firm_pairs(scope), ("cid", "yr")):
        figures[int(cid)][int(year)].lab_firm_pairs = int(count)


def _totals(scope: Scope, figures: dict[int, dict[int, YearFigures]]) -> Totals:
    members = _member_count(scope)
    spent = (
        Participation.objects.filter(
            organization__isnull=False, **_year_range("project__start_date", scope)
        )
        .filter(_is_member(scope))
        .aggregate(eu=Sum("eu_contribution"), n=Count("id"))
    )
    projects = _count_rows(_cluster_projects(scope), distinct=("pid",))
    pairs = _count_rows(_lab_firm_pairs(scope), distinct=("lab", "firm"))
    return Totals(
        members=members,
        new_members=sum(cell.new_members for cells in figures.values() for cell in cells.values()),
        projects=int(projects[0][0]),
        participations=spent["n"],
        eu_funding=(spent["eu"] or Decimal(0)).quantize(Decimal("0.01")),
        lab_firm_pairs=int(pairs[0][0]),
    )


def cluster_indicators(scope: Scope) -> Indicators:
    """Every indicator of the scope's clusters for each of its years."""
    figures = {c.pk: {year: YearFigures() for year in scope.years} for c in scope.clusters}
    provinces: dict[int, dict[str, dict[int, int]]] = {c.pk: {} for c in scope.clusters}
    if scope.clusters:
        _add_members(scope, figures)
        _add_projects_and_funding(scope, figures, provinces)
        totals = _totals(scope, figures)
    else:
        totals = Totals()
    span = Project.objects.aggregate(first=Min("start_date"), last=Max("start_date"))
    return Indicators(
        scope=scope,
        figures=figures,
        provinces=provinces,
        totals=totals,
        project_years=(
            span["first"].year if span["first"] else None,
            span["last"].year if span["last"] else None,
        ),
    )


# --- Collaboration network ------------------------------------------------------------------

# Work budget of betweenness, in nodes and edges visited (about a second): within it the
# value is exact; above, it is estimated from a fixed sample of sources (the same answer every
# time), which still finds the strongest bridges.
BETWEENNESS_BUDGET = 300_000
BETWEENNESS_MIN_SAMPLES = 20
SEED = 7


@dataclass
class Node:
    id: int
    name: str
    kind: str
    cluster_ids: list[int]
    degree: int = 0  # partners
    shared_projects: int = 0  # sum of edge weights
    betweenness: float = 0.0


@dataclass
class Network:
    scope: Scope
    member_count: int
    nodes: dict[int, Node]
    edges: list[tuple[int, int, int]]  # (a, b, shared projects), a < b
    isolated_count: int
    betweenness_exact: bool

    def ranked(self) -> list[Node]:
        """Nodes by betweenness, then shared projects, then name."""
        return sorted(
            self.nodes.values(), key=lambda n: (-n.betweenness, -n.shared_projects, n.name, n.id)
        )

    def strongest(self) -> list[Node]:
        """Nodes by partners' weight (shared projects), then partners."""
        return sorted(
            self.nodes.values(), key=lambda n: (-n.shared_projects, -n.degree, n.name, n.id)
        )

    def cluster_matrix(self) -> dict[tuple[int, int], int]:
        """{(cluster a, cluster b): collaborating member pairs}, a <= b in scope order."""
        order = {cid: index for index, cid in enumerate(self.scope.cluster_ids)}
        matrix: dict[tuple[int, int], int] = defaultdict(int)
        for a, b, _weight in self.edges:
            seen: set[tuple[int, int]] = set()
            for ca in self.nodes[a].cluster_ids:
                for cb in self.nodes[b].cluster_ids:
                    key = (ca, cb) if order[ca] <= order[cb] else (cb, ca)
                    if key not in seen:
                        seen.add(key)
                        matrix[key] += 1
        return dict(matrix)


def _is_member(scope: Scope, organization: str = "organization_id") -> Exists:
    """The organization of the outer row is an active member of one of the scope's clusters.

    An index probe per outer row: the outer rows (participations linked to the registry) are
    far fewer than the memberships of a large registry.
    """
    return Exists(
        Membership.objects.filter(
            organization_id=OuterRef(organization),
            cluster_id__in=scope.cluster_ids,
            status=ACTIVE,
        )
    )


def _member_participations(scope: Scope) -> QuerySet[Participation]:
    """Ids of the participations of the scope's active members."""
    return (
        Participation.objects.filter(organization__isnull=False)
        .filter(_is_member(scope))
        .values("id")
    )


def _collaborating_ids(scope: Scope) -> QuerySet[Participation]:
    """Members that share at least one project with another member of the scope."""
    members = _member_participations(scope)
    shared = (
        Participation.objects.filter(id__in=members)
        .values("project_id")
        .annotate(partners=Count("organization_id", distinct=True))
        .filter(partners__gte=2)
        .values("project_id")
    )
    return (
        Participation.objects.filter(id__in=members, project_id__in=shared)
        .values("organization_id")
        .distinct()
        .order_by()
    )


def _edges(scope: Scope) -> list[tuple[int, int, int]]:
    members = _member_participations(scope)
    rows = (
        Participation.objects.filter(
            Q(id__in=members),
            Q(organization_id__lt=F("project__participations__organization_id")),
            # Per partner row of the same project: a probe, not a scan of every member.
            _is_member(scope, "project__participations__organization_id"),
        )
        .values_list("organization_id", "project__participations__organization_id")
        .annotate(weight=Count("project_id", distinct=True))
        .order_by()
    )
    return [(int(a), int(b), int(weight)) for a, b, weight in rows]


def _batches(ids: Sequence[int], size: int = 500) -> Iterator[Sequence[int]]:
    for start in range(0, len(ids), size):
        yield ids[start : start + size]


def betweenness_samples(nodes: int, edges: int) -> int | None:
    """Sources to sample for betweenness, or None for the exact value (every source).

    One source costs a shortest-path search over the whole graph: the samples are as many
    as the work budget allows, never fewer than BETWEENNESS_MIN_SAMPLES.
    """
    if nodes * (nodes + edges) <= BETWEENNESS_BUDGET:
        return None
    return min(nodes, max(BETWEENNESS_MIN_SAMPLES, BETWEENNESS_BUDGET // (nodes + edges)))


def _betweenness(nodes: dict[int, Node], edges: list[tuple[int, int, int]]) -> bool:
    """Fill each node's betweenness (more shared projects = shorter path); True when exact."""
    import networkx as nx

    graph = nx.Graph()
    graph.add_nodes_from(nodes)
    graph.add_weighted_edges_from(((a, b, 1.0 / w) for a, b, w in edges), weight="distance")
    samples = betweenness_samples(graph.number_of_nodes(), graph.number_of_edges())
    exact = samples is None
    centrality = nx.betweenness_centrality(
        graph,
        k=samples,
        weight="distance",
        normalized=True,
        seed=SEED,
    )
    for node_id, value in centrality.items():
        nodes[node_id].betweenness = round(float(value), 6)
    return exact


def _member_count(scope: Scope) -> int:
    """Distinct organizations that are active members of the scope's clusters."""
    if not scope.clusters:
        return 0
    memberships = Membership.objects.filter(cluster_id__in=scope.cluster_ids, status=ACTIVE)
    if len(scope.clusters) == 1:
        return memberships.count()  # one membership per organization and cluster
    return memberships.values("organization_id").distinct().count()


def collaboration_network(scope: Scope) -> Network:
    """Members of the scope's clusters linked by the projects they share."""
    member_count = _member_count(scope)
    edges = _edges(scope) if scope.clusters else []
    node_ids = sorted({a for a, _b, _w in edges} | {b for _a, b, _w in edges})
    nodes: dict[int, Node] = {}
    clusters_of: dict[int, list[int]] = defaultdict(list)
    order = {cid: index for index, cid in enumerate(scope.cluster_ids)}
    for batch in _batches(node_ids):
        for oid, name, kind in Organization.objects.filter(id__in=batch).values_list(
            "id", "name", "kind"
        ):
            nodes[oid] = Node(id=oid, name=name, kind=kind, cluster_ids=[])
        for oid, cid in Membership.objects.filter(
            organization_id__in=batch, cluster_id__in=scope.cluster_ids, status=ACTIVE
        ).values_list("organization_id", "cluster_id"):
            clusters_of[oid].append(cid)
    for oid, node in nodes.items():
        node.cluster_ids = sorted(clusters_of[oid], key=order.__getitem__)
    for a, b, weight in edges:
        for end in (nodes[a], nodes[b]):
            end.degree += 1
            end.shared_projects += weight
    exact = _betweenness(nodes, edges) if nodes else True
    return Network(
        scope=scope,
        member_count=member_count,
        nodes=nodes,
        edges=edges,
        isolated_count=member_count - len(nodes),
        betweenness_exact=exact,
    )


def isolated_members(scope: Scope) -> QuerySet[Organization]:
    """Members that share no project with any other member of the scope, by name."""
    if not scope.clusters:
        return Organization.objects.none()
    return (
        Organization.objects.filter(_is_member(scope, "pk"))
        .exclude(id__in=_collaborating_ids(scope))
        .only("id", "name", "kind")
        .order_by("normalized_name", "id")
    )


def spring_layout(
    node_ids: Sequence[int], edges: Iterable[tuple[int, int, int]]
) -> dict[int, tuple[float, float]]:
    """Positions in [-1, 1] for a graph drawing (networkx's spring layout, fixed seed)."""
    import networkx as nx

    graph = nx.Graph()
    graph.add_nodes_from(node_ids)
    wanted = set(node_ids)
    graph.add_weighted_edges_from(
        (a, b, math.log1p(w)) for a, b, w in edges if a in wanted and b in wanted
    )
    if not graph:
        return {}
    positions = nx.spring_layout(graph, seed=SEED, weight="weight")
    return {node: (round(float(x), 4), round(float(y), 4)) for node, (x, y) in positions.items()}
