"""API of the region's configuration: clusters, taxonomies, territories. All public."""

from django.http import HttpRequest
from ninja import Router, Schema

from clusterhub.api import ERRORS, SLUG, auth_for
from clusterhub.core.access import Policy, access
from clusterhub.regions.models import Cluster, Competence, S3Theme
from clusterhub.regions.selectors import competence_list, s3_theme_list, territory_list
from clusterhub.registry.selectors import (
    cluster_member_counts_by_kind,
    cluster_public_get,
    clusters_with_figures,
)

router = Router(tags=["clusters and taxonomies"])


class ClusterOut(Schema):
    slug: str
    name: str
    name_en: str
    name_it: str
    short_name: str
    group: str
    color: str
    description: str
    member_count: int
    lab_count: int

    @staticmethod
    def resolve_group(cluster: Cluster) -> str:
        return cluster.group.code


class ClusterDetailOut(ClusterOut):
    members_by_kind: dict[str, int]


class TaxonomyTermOut(Schema):
    code: str
    name: str
    name_en: str
    name_it: str
    parent_code: str
    parent_name: str

    @staticmethod
    def resolve_parent_code(term: Competence | S3Theme) -> str:
        return term.parent.code if term.parent else ""

    @staticmethod
    def resolve_parent_name(term: Competence | S3Theme) -> str:
        return term.parent.name if term.parent else ""


class TerritoryOut(Schema):
    nuts3: str
    name: str
    abbreviation: str


@router.get("/clusters", response={200: list[ClusterOut], **ERRORS}, auth=auth_for(Policy.PUBLIC))
@access(Policy.PUBLIC)
def list_clusters(request: HttpRequest) -> list[Cluster]:
    """The region's clusters with their number of active members."""
    return list(clusters_with_figures())


@router.get(
    "/clusters/{slug}", response={200: ClusterDetailOut, **ERRORS}, auth=auth_for(Policy.PUBLIC)
)
@access(Policy.PUBLIC)
def get_cluster(request: HttpRequest, slug: str = SLUG) -> Cluster:
    """One cluster, with its active members counted by kind of organization."""
    cluster = cluster_public_get(slug=slug)
    cluster.members_by_kind = cluster_member_counts_by_kind(cluster=cluster)
    return cluster


@router.get(
    "/taxonomy/competences",
    response={200: list[TaxonomyTermOut], **ERRORS},
    auth=auth_for(Policy.PUBLIC),
)
@access(Policy.PUBLIC)
def list_competences(request: HttpRequest) -> list[Competence]:
    """The competence taxonomy: each competence with its area (parent)."""
    return list(competence_list())


@router.get(
    "/taxonomy/s3-themes",
    response={200: list[TaxonomyTermOut], **ERRORS},
    auth=auth_for(Policy.PUBLIC),
)
@access(Policy.PUBLIC)
def list_s3_themes(request: HttpRequest) -> list[S3Theme]:
    """The S3 thematic taxonomy: each theme with its area (parent)."""
    return list(s3_theme_list())


@router.get(
    "/territories", response={200: list[TerritoryOut], **ERRORS}, auth=auth_for(Policy.PUBLIC)
)
@access(Policy.PUBLIC)
def list_territories(request: HttpRequest) -> list:
    """The region's provinces with their NUTS-3 codes."""
    return list(territory_list())
