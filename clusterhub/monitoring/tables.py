"""The tables and chart data of the monitoring pages, built from the selectors' results.

A table is what a chart shows, in rows and columns: the page prints it under its chart and
the CSV export writes the same rows (its header uses the stable column keys, so a script
reading the CSV does not depend on the page's language).
"""

from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from django.http import HttpResponse
from django.urls import reverse
from django.utils.functional import Promise
from django.utils.html import escape
from django.utils.translation import gettext_lazy as _

from clusterhub.monitoring.selectors import Indicators, Network, Scope, spring_layout
from clusterhub.regions.models import Cluster
from clusterhub.registry.exporting import csv_line_writer, spreadsheet_safe
from clusterhub.registry.models import Organization, OrganizationKind

# Column kinds: how the page formats a cell (the CSV writes the plain value).
TEXT, INT, SHARE, MONEY, SCORE = "text", "int", "share", "money", "score"
ORG, CLUSTER, CLUSTERS, KIND = "org", "cluster", "clusters", "kind"

# Colours of organization kinds in stacked charts; the rest of the page uses cluster colours.
KIND_COLORS = {
    OrganizationKind.RESEARCH_LAB: "#5b3fa3",
    OrganizationKind.UNIVERSITY: "#8e6bd1",
    OrganizationKind.INNOVATION_CENTRE: "#2a9d8f",
    OrganizationKind.FIRM: "#1b5e9e",
    OrganizationKind.FINAL_USER: "#e09f3e",
    OrganizationKind.INTERMEDIARY: "#76b7b2",
    OrganizationKind.PUBLIC_BODY: "#bc6c25",
    OrganizationKind.ASSOCIATION: "#9c6644",
}


@dataclass(frozen=True)
class Column:
    key: str
    label: str | Promise
    kind: str = TEXT
    on_page: bool = True  # False: in the CSV only (e.g. ids, for joining with other files)

    @property
    def numeric(self) -> bool:
        return self.kind in (INT, SHARE, MONEY, SCORE)


@dataclass(frozen=True)
class OrgRef:
    """An organization in a cell: its name in the CSV, a link to its profile on the page."""

    id: int
    name: str

    def __str__(self) -> str:
        return self.name


@dataclass(frozen=True)
class ClusterCell:
    """A cluster in a cell: its name in the CSV, with its colour on the page."""

    cluster: Cluster

    def __str__(self) -> str:
        return self.cluster.name


@dataclass(frozen=True)
class KindCell:
    """An organization kind: its label in the CSV, a badge on the page."""

    code: str

    @property
    def label(self) -> str:
        labels = dict(OrganizationKind.choices)
        return str(labels.get(self.code, self.code))

    def __str__(self) -> str:
        return self.label


@dataclass(frozen=True)
class ClusterSet:
    """Clusters in a cell: their names in the CSV, coloured tags on the page."""

    clusters: tuple[Cluster, ...]

    def __str__(self) -> str:
        return "; ".join(cluster.name for cluster in self.clusters)


def label(cluster: Cluster) -> str:
    """The short name of a cluster, for chart axes and legends."""
    return cluster.short_name or cluster.name


@dataclass
class Table:
    key: str
    title: str | Promise
    columns: list[Column]
    rows: list[list[Any]]
    # Rows the page prints (all when None); the CSV always has every row.
    shown: int | None = None
    # Rows in all, when `rows` holds only the first ones (the page of a long list).
    total: int | None = None

    @property
    def displayed(self) -> list[list[Any]]:
        return self.rows if self.shown is None else self.rows[: self.shown]

    @property
    def page_columns(self) -> list[Column]:
        return [column for column in self.columns if column.on_page]

    def cells(self) -> Iterator[list[tuple[Column, Any]]]:
        for row in self.displayed:
            yield [
                (column, value)
                for column, value in zip(self.columns, row, strict=True)
                if column.on_page
            ]

    @property
    def row_count(self) -> int:
        return self.total if self.total is not None else len(self.rows)

    @property
    def truncated(self) -> bool:
        return self.row_count > len(self.displayed)


@dataclass
class TableSet:
    """The tables of one page by key, and the data of its charts."""

    tables: dict[str, Table] = field(default_factory=dict)
    charts: dict[str, Any] = field(default_factory=dict)

    def add(self, table: Table) -> Table:
        self.tables[table.key] = table
        return table


# --- CSV ------------------------------------------------------------------------------------


def _csv_value(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, Decimal | int | float):
        return str(value)
    return spreadsheet_safe(str(value))


def csv_lines(table: Table) -> Iterator[str]:
    """The table as CSV: the column keys, then every row (text defused for spreadsheets)."""
    writer = csv_line_writer()
    yield writer.writerow([column.key for column in table.columns])
    for row in table.rows:
        yield writer.writerow([_csv_value(value) for value in row])


def csv_response(table: Table, filename: str) -> HttpResponse:
    response = HttpResponse("".join(csv_lines(table)), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


# --- Dashboard ------------------------------------------------------------------------------


def _cluster_column() -> Column:
    return Column("cluster", _("Cluster"), CLUSTER)


def _year_pivot(
    indicators: Indicators, key: str, title: str | Promise, value: Callable[[Any], Any], kind: str
) -> Table:
    """One row per cluster, one column per year."""
    scope = indicators.scope
    columns = [_cluster_column()] + [Column(str(year), str(year), kind) for year in scope.years]
    rows = [
        [ClusterCell(cluster)]
        + [value(indicators.figures[cluster.pk][year]) for year in scope.years]
        for cluster in scope.clusters
    ]
    return Table(key, title, columns, rows)


def _series_by_cluster(table: Table, clusters: Iterable[Cluster]) -> list[dict[str, Any]]:
    return [
        {"name": label(cluster), "color": cluster.color, "values": [_number(v) for v in row[1:]]}
        for cluster, row in zip(clusters, table.rows, strict=True)
    ]


def _number(value: Any) -> float | int | None:
    if value is None:
        return None
    if isinstance(value, Decimal):
        return float(value)
    return value  # type: ignore[no-any-return]


def indicator_table(indicators: Indicators) -> Table:
    """Every indicator of every cluster and year: the table of the API and of the CSV."""
    kinds = list(OrganizationKind)
    columns = [
        _cluster_column(),
        Column("year", _("Year"), INT),
        Column("members", _("Members"), INT),
        *(Column(f"members_{kind.value}", kind.label, INT) for kind in kinds),
        Column("firm_share", _("Firms (% of members)"), SHARE),
        Column("smes", _("SMEs"), INT),
        Column("sme_share", _("SMEs (% of firms)"), SHARE),
        Column("new_members", _("New members"), INT),
        Column("projects", _("Projects"), INT),
        Column("participations", _("Participations"), INT),
        Column("eu_funding", _("EU funding (€)"), MONEY),
        Column("lab_firm_pairs", _("Lab-firm pairs"), INT),
    ]
    rows = [
        [
            ClusterCell(cluster),
            year,
            cell.members,
            *(cell.members_by_kind.get(kind.value, 0) for kind in kinds),
            cell.firm_share,
            cell.smes,
            cell.sme_share,
            cell.new_members,
            cell.projects,
            cell.participations,
            cell.eu_funding,
            cell.lab_firm_pairs,
        ]
        for cluster, year, cell in indicators.rows()
    ]
    return Table("indicators", _("All indicators, by cluster and year"), columns, rows)


def comparison_table(indicators: Indicators) -> Table:
    """One row per cluster: members at the end of the range, the rest summed over it."""
    scope = indicators.scope
    last = scope.year_to
    columns = [
        _cluster_column(),
        Column("members", _("Members in %(year)s") % {"year": last}, INT),
        Column("firm_share", _("Firms (% of members)"), SHARE),
        Column("sme_share", _("SMEs (% of firms)"), SHARE),
        Column("new_members", _("New members"), INT),
        Column("projects", _("Projects"), INT),
        Column("eu_funding", _("EU funding (€)"), MONEY),
        Column("lab_firm_pairs", _("Lab-firm pairs"), INT),
    ]
    rows = []
    for cluster in scope.clusters:
        cells = indicators.figures[cluster.pk]
        end = cells[last]
        rows.append(
            [
                ClusterCell(cluster),
                end.members,
                end.firm_share,
                end.sme_share,
                sum(cell.new_members for cell in cells.values()),
                sum(cell.projects for cell in cells.values()),
                sum((cell.eu_funding for cell in cells.values()), Decimal("0.00")),
                sum(cell.lab_firm_pairs for cell in cells.values()),
            ]
        )
    return Table("comparison", _("Clusters side by side"), columns, rows)


def _kind_table(indicators: Indicators) -> Table:
    kinds = list(OrganizationKind)
    columns = [
        _cluster_column(),
        Column("year", _("Year"), INT),
        *(Column(kind.value, kind.label, INT) for kind in kinds),
    ]
    rows = [
        [ClusterCell(cluster), year, *(cell.members_by_kind.get(kind.value, 0) for kind in kinds)]
        for cluster, year, cell in indicators.rows()
    ]
    return Table("members_by_kind", _("Members by kind"), columns, rows)


def _shares_table(indicators: Indicators) -> Table:
    columns = [
        _cluster_column(),
        Column("year", _("Year"), INT),
        Column("members", _("Members"), INT),
        Column("firms", _("Firms"), INT),
        Column("firm_share", _("Firms (% of members)"), SHARE),
        Column("smes", _("SMEs"), INT),
        Column("firms_unknown_size", _("Firms of unknown size"), INT),
        Column("sme_share", _("SMEs (% of firms)"), SHARE),
    ]
    rows = [
        [
            ClusterCell(cluster),
            year,
            cell.members,
            cell.firms,
            cell.firm_share,
            cell.smes,
            cell.firms_unknown_size,
            cell.sme_share,
        ]
        for cluster, year, cell in indicators.rows()
    ]
    return Table("shares", _("Share of firms and of SMEs"), columns, rows)


def _province_table(indicators: Indicators) -> Table:
    scope = indicators.scope
    columns = [
        _cluster_column(),
        Column("province", _("Province")),
        *(Column(str(year), str(year), INT) for year in scope.years),
        Column("total", _("Total"), INT),
    ]
    rows = []
    for cluster in scope.clusters:
        places = indicators.provinces[cluster.pk]
        for place in sorted(places, key=lambda p: (-sum(places[p].values()), p)):
            counts = [places[place].get(year, 0) for year in scope.years]
            rows.append([ClusterCell(cluster), place, *counts, sum(counts)])
    return Table("provinces", _("Participations in EU projects by province"), columns, rows)


def dashboard_tables(indicators: Indicators) -> TableSet:
    """Every table of the dashboard and the data of its charts."""
    scope = indicators.scope
    clusters = list(scope.clusters)
    names = [label(cluster) for cluster in clusters]
    result = TableSet()
    result.add(comparison_table(indicators))
    result.add(indicator_table(indicators))

    def by_year(key: str, title: str | Promise, value: Callable[[Any], Any], kind: str) -> Table:
        return result.add(_year_pivot(indicators, key, title, value, kind))

    charts = result.charts
    years = scope.years
    members = by_year("members", _("Members"), lambda c: c.members, INT)
    charts["members"] = {
        "type": "line",
        "x": years,
        "series": _series_by_cluster(members, clusters),
    }
    new = by_year("new_members", _("New members"), lambda c: c.new_members, INT)
    charts["new_members"] = {"type": "bar", "x": years, "series": _series_by_cluster(new, clusters)}

    kinds = result.add(_kind_table(indicators))
    last_rows = [row for row in kinds.rows if row[1] == scope.year_to]
    charts["members_by_kind"] = {
        "type": "hstack",
        "legend": True,
        "y": names,
        "series": [
            {
                "name": str(kind.label),
                "color": KIND_COLORS[kind],
                "values": [row[2 + index] for row in last_rows],
            }
            for index, kind in enumerate(OrganizationKind)
            if any(row[2 + index] for row in last_rows)
        ],
    }

    shares = result.add(_shares_table(indicators))
    last_shares = [row for row in shares.rows if row[1] == scope.year_to]
    charts["shares"] = {
        "type": "hbar",
        "legend": True,
        "y": names,
        "format": "percent",
        "series": [
            {"name": str(_("Firms (% of members)")), "color": "#1b5e9e", "values": []},
            {"name": str(_("SMEs (% of firms)")), "color": "#f2b134", "values": []},
        ],
    }
    for row in last_shares:
        charts["shares"]["series"][0]["values"].append(row[4])
        charts["shares"]["series"][1]["values"].append(row[7])

    projects = by_year("projects", _("Projects"), lambda c: c.projects, INT)
    charts["projects"] = {
        "type": "line",
        "x": years,
        "series": _series_by_cluster(projects, clusters),
    }
    funding = by_year("funding", _("EU funding received (€)"), lambda c: c.eu_funding, MONEY)
    charts["funding"] = {
        "type": "bar",
        "x": years,
        "format": "money",
        "series": _series_by_cluster(funding, clusters),
    }
    pairs = by_year("lab_firm", _("Lab-firm pairs"), lambda c: c.lab_firm_pairs, INT)
    charts["lab_firm"] = {"type": "bar", "x": years, "series": _series_by_cluster(pairs, clusters)}

    provinces = result.add(_province_table(indicators))
    totals: dict[str, int] = {}
    for row in provinces.rows:
        totals[row[1]] = totals.get(row[1], 0) + row[-1]
    places = sorted(totals, key=lambda p: (-totals[p], p))
    charts["provinces"] = {
        "type": "hstack",
        "y": places,
        "series": [
            {
                "name": label(cluster),
                "color": cluster.color,
                "values": [
                    next(
                        (r[-1] for r in provinces.rows if r[0].cluster == cluster and r[1] == p), 0
                    )
                    for p in places
                ],
            }
            for cluster in clusters
            if any(r[0].cluster == cluster for r in provinces.rows)
        ],
    }
    return result


# --- Network --------------------------------------------------------------------------------

GRAPH_NODES = 150  # nodes drawn: the most connected ones
SHOWN_ROWS = 20  # rows of the long tables printed on the page


def _clusters(scope: Scope, cluster_ids: Iterable[int]) -> ClusterSet:
    by_id = {cluster.pk: cluster for cluster in scope.clusters}
    return ClusterSet(tuple(by_id[cid] for cid in cluster_ids))


def _node_columns() -> list[Column]:
    return [
        Column("id", _("Id"), INT, on_page=False),
        Column("organization", _("Organization"), ORG),
        Column("kind", _("Kind"), KIND),
        Column("clusters", _("Clusters"), CLUSTERS),
        Column("partners", _("Partners"), INT),
        Column("shared_projects", _("Shared projects"), INT),
        Column("betweenness", _("Betweenness"), SCORE),
    ]


def network_tables(
    network: Network, isolated: Iterable[Organization], *, with_graph: bool = True
) -> TableSet:
    """The tables of the network page and the data of its graph.

    `isolated` may be the first isolated members only (the page) or all of them (the CSV);
    `network.isolated_count` says how many there are.
    """
    scope = network.scope
    result = TableSet()

    def node_row(node: Any) -> list[Any]:
        return [
            node.id,
            OrgRef(node.id, node.name),
            KindCell(node.kind),
            _clusters(scope, node.cluster_ids),
            node.degree,
            node.shared_projects,
            node.betweenness,
        ]

    ranked = network.ranked()
    result.add(
        Table(
            "bridges",
            _("Top bridging organizations"),
            _node_columns(),
            [node_row(node) for node in ranked],
            shown=SHOWN_ROWS,
        )
    )
    drawn = network.strongest()[:GRAPH_NODES]
    result.add(
        Table(
            "graph",
            _("Organizations in the graph"),
            _node_columns(),
            [node_row(node) for node in drawn],
        )
    )
    isolated_rows = [[org.pk, OrgRef(org.pk, org.name), KindCell(org.kind)] for org in isolated]
    result.add(
        Table(
            "isolated",
            _("Isolated members"),
            [
                Column("id", _("Id"), INT, on_page=False),
                Column("organization", _("Organization"), ORG),
                Column("kind", _("Kind"), KIND),
            ],
            isolated_rows,
            total=network.isolated_count,
        )
    )
    nodes = network.nodes
    edges = sorted(network.edges, key=lambda e: (-e[2], nodes[e[0]].name, nodes[e[1]].name))
    result.add(
        Table(
            "collaborations",
            _("Collaborations between members"),
            [
                Column("organization_a", _("Organization"), ORG),
                Column("clusters_a", _("Clusters"), CLUSTERS),
                Column("organization_b", _("Partner"), ORG),
                Column("clusters_b", _("Partner's clusters"), CLUSTERS),
                Column("shared_projects", _("Shared projects"), INT),
            ],
            [
                [
                    OrgRef(a, nodes[a].name),
                    _clusters(scope, nodes[a].cluster_ids),
                    OrgRef(b, nodes[b].name),
                    _clusters(scope, nodes[b].cluster_ids),
                    weight,
                ]
                for a, b, weight in edges
            ],
            shown=SHOWN_ROWS,
        )
    )
    matrix = network.cluster_matrix()
    clusters = list(scope.clusters)
    result.add(
        Table(
            "between_clusters",
            _("Collaborating member pairs between clusters"),
            [_cluster_column()] + [Column(cluster.slug, cluster.name, INT) for cluster in clusters],
            [
                [ClusterCell(row)]
                + [
                    matrix.get((row.pk, col.pk), matrix.get((col.pk, row.pk), 0))
                    for col in clusters
                ]
                for row in clusters
            ],
        )
    )
    if with_graph:
        result.charts["graph"] = graph_data(network, drawn)
    result.charts["between_clusters"] = {
        "type": "heatmap",
        "x": [label(cluster) for cluster in clusters],
        "y": [label(cluster) for cluster in clusters],
        "z": [row[1:] for row in result.tables["between_clusters"].rows],
    }
    return result


def graph_data(network: Network, drawn: list[Any]) -> dict[str, Any]:
    """Positions, hover text, colour and link of each drawn node; the edges between them."""
    scope = network.scope
    ids = [node.id for node in drawn]
    positions = spring_layout(ids, network.edges)
    wanted = set(ids)
    by_id = {cluster.pk: cluster for cluster in scope.clusters}
    groups: dict[int, dict[str, Any]] = {}
    for node in drawn:
        main = node.cluster_ids[0]
        group = groups.setdefault(
            main,
            {
                "name": label(by_id[main]),
                "color": by_id[main].color,
                "x": [],
                "y": [],
                "text": [],
                "size": [],
                "url": [],
            },
        )
        x, y = positions[node.id]
        group["x"].append(x)
        group["y"].append(y)
        # Plotly reads hover text as HTML: names are escaped.
        group["text"].append(
            f"<b>{escape(node.name)}</b><br>{escape(str(_clusters(scope, node.cluster_ids)))}"
            f"<br>{_('Partners')}: {node.degree} · {_('Shared projects')}: {node.shared_projects}"
        )
        group["size"].append(node.shared_projects)
        group["url"].append(reverse("registry:organization_detail", args=[node.id]))
    edge_x: list[float | None] = []
    edge_y: list[float | None] = []
    for a, b, _weight in network.edges:
        if a in wanted and b in wanted:
            edge_x += [positions[a][0], positions[b][0], None]
            edge_y += [positions[a][1], positions[b][1], None]
    order = {cid: index for index, cid in enumerate(scope.cluster_ids)}
    return {
        "groups": [groups[cid] for cid in sorted(groups, key=order.__getitem__)],
        "edges": {"x": edge_x, "y": edge_y},
    }
