"""The monitoring pages: the indicator dashboard, the collaboration network, CSV exports.

For benchmarks: `reverse("monitoring:dashboard")` signed in as a regional officer (every
cluster, the last five years), optionally with `?cluster=<slug>&year_from=Y&year_to=Y`.
"""

from urllib.parse import urlencode

from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.translation import gettext as _

from clusterhub.core.access import Policy, access
from clusterhub.monitoring.forms import YearRangeForm, cluster_slugs
from clusterhub.monitoring.selectors import (
    Scope,
    cluster_indicators,
    collaboration_network,
    isolated_members,
    monitoring_clusters,
    monitoring_scope,
)
from clusterhub.monitoring.tables import (
    GRAPH_NODES,
    SHOWN_ROWS,
    TableSet,
    csv_response,
    dashboard_tables,
    network_tables,
)

DASHBOARD_TABLES = frozenset(
    {
        "indicators",
        "comparison",
        "members",
        "new_members",
        "members_by_kind",
        "shares",
        "projects",
        "funding",
        "lab_firm",
        "provinces",
    }
)
NETWORK_TABLES = frozenset({"bridges", "graph", "isolated", "collaborations", "between_clusters"})


def _query(scope: Scope, slugs: list[str], *, years: bool = True) -> str:
    """The query string that asks for this scope again (for the export links)."""
    params: list[tuple[str, object]] = [("cluster", slug) for slug in slugs]
    if years:
        params += [("year_from", scope.year_from), ("year_to", scope.year_to)]
    return urlencode(params)


@access(Policy.MANAGER)
def dashboard(request: HttpRequest) -> HttpResponse:
    """Indicators of the clusters the caller may monitor, per year, side by side."""
    form = YearRangeForm(request.GET or None)
    year_from, year_to = form.years()
    slugs = cluster_slugs(request.GET)
    scope = monitoring_scope(
        user=request.user, cluster_slugs=slugs, year_from=year_from, year_to=year_to
    )
    indicators = cluster_indicators(scope)
    tables = dashboard_tables(indicators)
    available = list(monitoring_clusters(request.user))
    first, last = indicators.project_years
    data_years_query = ""
    if first is not None and last is not None and (last < scope.year_from or first > scope.year_to):
        # The range shows no project: offer the last five years that have some.
        data_years_query = _query(Scope(scope.clusters, max(first, last - 4), last), slugs)
    context = {
        "scope": scope,
        "form": form,
        "available": available,
        "selected": {cluster.slug for cluster in scope.clusters} if slugs else set(),
        "indicators": indicators,
        "totals": indicators.totals,
        "tables": tables.tables,
        "charts": tables.charts,
        "export_query": _query(scope, slugs),
        "data_years_query": data_years_query,
        "network_query": urlencode([("cluster", slug) for slug in slugs]),
    }
    return render(request, "monitoring/dashboard.html", context)


@access(Policy.MANAGER)
def network(request: HttpRequest) -> HttpResponse:
    """Members linked by the projects they share: graph, bridges, isolated members."""
    slugs = cluster_slugs(request.GET)
    scope = monitoring_scope(user=request.user, cluster_slugs=slugs)
    graph = collaboration_network(scope)
    tables = network_tables(graph, isolated_members(scope)[:SHOWN_ROWS])
    context = {
        "scope": scope,
        "available": list(monitoring_clusters(request.user)),
        "cluster": scope.clusters[0] if len(slugs) == 1 else None,
        "selected": {cluster.slug for cluster in scope.clusters} if slugs else set(),
        "network": graph,
        "tables": tables.tables,
        "charts": tables.charts,
        "graph_limit": GRAPH_NODES,
        "export_query": _query(scope, slugs, years=False),
    }
    return render(request, "monitoring/network.html", context)


@access(Policy.MANAGER)
def export_csv(request: HttpRequest, table: str) -> HttpResponse:
    """One table of the dashboard or of the network page, every row, as CSV."""
    slugs = cluster_slugs(request.GET)
    tables: TableSet
    if table in DASHBOARD_TABLES:
        form = YearRangeForm(request.GET or None)
        if form.is_bound and not form.is_valid():
            problems = "; ".join(
                f"{field}: {message}" for field, errors in form.errors.items() for message in errors
            )
            return HttpResponse(problems, status=400, content_type="text/plain; charset=utf-8")
        year_from, year_to = form.years()
        scope = monitoring_scope(
            user=request.user, cluster_slugs=slugs, year_from=year_from, year_to=year_to
        )
        tables = dashboard_tables(cluster_indicators(scope))
        suffix = f"{scope.year_from}-{scope.year_to}"
    elif table in NETWORK_TABLES:
        scope = monitoring_scope(user=request.user, cluster_slugs=slugs)
        tables = network_tables(
            collaboration_network(scope), isolated_members(scope).iterator(), with_graph=False
        )
        suffix = ""
    else:
        raise Http404(_("No such table"))
    where = "-".join(slugs) or "all"
    filename = "-".join(part for part in (table, where, suffix) if part) + ".csv"
    return csv_response(tables.tables[table], filename)
