"""API of the monitoring dashboard: the indicator table and the collaboration network.

Regional officers read every cluster, managers their own (another cluster answers 404).
"""

from decimal import Decimal
from typing import Any

from django.core.exceptions import ValidationError
from django.http import HttpRequest
from ninja import Field, Query, Router, Schema

from clusterhub.api import ERRORS, FieldErrors, auth_for
from clusterhub.core.access import Policy, access
from clusterhub.monitoring.selectors import (
    MAX_YEAR,
    MIN_YEAR,
    Network,
    Scope,
    cluster_indicators,
    collaboration_network,
    isolated_members,
    monitoring_scope,
)

router = Router(tags=["monitoring"])

BRIDGES = 20


class IndicatorQuery(Schema):
    cluster: str = Field(
        "", max_length=50, pattern=r"^[-a-zA-Z0-9_]*$", description="Cluster slug; empty: all"
    )
    year_from: int | None = Field(
        None, ge=MIN_YEAR, le=MAX_YEAR, description="Default: 4 years ago"
    )
    year_to: int | None = Field(None, ge=MIN_YEAR, le=MAX_YEAR, description="Default: this year")


class IndicatorRowOut(Schema):
    cluster: str
    cluster_name: str
    year: int
    members: int = Field(description="Members that year (joined by then, not yet left)")
    members_by_kind: dict[str, int]
    firms: int
    smes: int = Field(description="Firms of size micro, small or medium")
    firm_share: float | None = Field(description="Firms among members, %")
    sme_share: float | None = Field(description="SMEs among firms, %")
    new_members: int = Field(description="Memberships that started that year")
    projects: int = Field(description="Projects starting that year counted for the cluster")
    participations: int = Field(description="Members' participations in those projects")
    eu_funding: Decimal = Field(description="EU contribution received by members, EUR")
    lab_firm_pairs: int = Field(description="Distinct lab-firm pairs in projects of that year")


class NetworkQuery(Schema):
    cluster: str = Field(
        "", max_length=50, pattern=r"^[-a-zA-Z0-9_]*$", description="Cluster slug; empty: all"
    )
    limit: int = Field(500, ge=1, le=10_000, description="Most nodes (by betweenness) returned")


class NodeOut(Schema):
    id: int
    name: str
    kind: str
    clusters: list[str]
    partners: int
    shared_projects: int
    betweenness: float


class EdgeOut(Schema):
    source: int
    target: int
    shared_projects: int


class OrganizationRefOut(Schema):
    id: int
    name: str
    kind: str


class NetworkOut(Schema):
    clusters: list[str]
    members: int
    collaborating_members: int
    isolated_members: int
    betweenness_exact: bool = Field(description="False: estimated from a sample of sources")
    nodes: list[NodeOut] = Field(description="Members with a collaboration, most central first")
    edges: list[EdgeOut] = Field(description="Pairs of returned nodes sharing projects")
    bridges: list[NodeOut] = Field(description=f"The {BRIDGES} most central members")
    isolated: list[OrganizationRefOut] = Field(description="Isolated members, up to `limit`")


def _scope(request: HttpRequest, cluster: str, **years: Any) -> Scope:
    try:
        return monitoring_scope(user=request.user, cluster_slugs=[cluster], **years)
    except ValidationError as error:
        raise FieldErrors(error.message_dict) from error


@router.get(
    "/monitoring/indicators",
    response={200: list[IndicatorRowOut], **ERRORS},
    auth=auth_for(Policy.MANAGER),
    summary="Indicators per cluster and year",
)
@access(Policy.MANAGER)
def monitoring_indicators(request: HttpRequest, filters: Query[IndicatorQuery]) -> Any:
    """Members, projects, EU funding and collaborations of each cluster, year by year."""
    scope = _scope(request, filters.cluster, year_from=filters.year_from, year_to=filters.year_to)
    indicators = cluster_indicators(scope)
    return [
        {
            "cluster": cluster.slug,
            "cluster_name": cluster.name,
            "year": year,
            "members": cell.members,
            "members_by_kind": dict(sorted(cell.members_by_kind.items())),
            "firms": cell.firms,
            "smes": cell.smes,
            "firm_share": cell.firm_share,
            "sme_share": cell.sme_share,
            "new_members": cell.new_members,
            "projects": cell.projects,
            "participations": cell.participations,
            "eu_funding": cell.eu_funding,
            "lab_firm_pairs": cell.lab_firm_pairs,
        }
        for cluster, year, cell in indicators.rows()
    ]


def _node(network: Network, node_id: int) -> dict[str, Any]:
    node = network.nodes[node_id]
    slugs = {cluster.pk: cluster.slug for cluster in network.scope.clusters}
    return {
        "id": node.id,
        "name": node.name,
        "kind": node.kind,
        "clusters": [slugs[cid] for cid in node.cluster_ids],
        "partners": node.degree,
        "shared_projects": node.shared_projects,
        "betweenness": node.betweenness,
    }


@router.get(
    "/monitoring/network",
    response={200: NetworkOut, **ERRORS},
    auth=auth_for(Policy.MANAGER),
    summary="Collaboration network of cluster members",
)
@access(Policy.MANAGER)
def monitoring_network(request: HttpRequest, filters: Query[NetworkQuery]) -> Any:
    """Members linked by shared projects (weight: projects shared), with betweenness."""
    scope = _scope(request, filters.cluster)
    network = collaboration_network(scope)
    ranked = [node.id for node in network.ranked()]
    kept = set(ranked[: filters.limit])
    return {
        "clusters": [cluster.slug for cluster in scope.clusters],
        "members": network.member_count,
        "collaborating_members": len(network.nodes),
        "isolated_members": network.isolated_count,
        "betweenness_exact": network.betweenness_exact,
        "nodes": [_node(network, node_id) for node_id in ranked[: filters.limit]],
        "edges": [
            {"source": a, "target": b, "shared_projects": weight}
            for a, b, weight in network.edges
            if a in kept and b in kept
        ],
        "bridges": [_node(network, node_id) for node_id in ranked[:BRIDGES]],
        "isolated": [
            {"id": org.pk, "name": org.name, "kind": org.kind}
            for org in isolated_members(scope)[: filters.limit]
        ],
    }
