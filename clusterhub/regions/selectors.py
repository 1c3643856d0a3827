"""Reads for region configuration."""

from django.db.models import QuerySet

from clusterhub.regions.models import Cluster, Competence, Postcode, S3Theme, Territory


def cluster_list() -> QuerySet[Cluster]:
    return Cluster.objects.select_related("group", "s3_area")


def territory_for_postcode(postcode: str) -> Territory | None:
    found = Postcode.objects.select_related("territory").filter(code=postcode.strip()).first()
    return found.territory if found else None


def competence_list() -> QuerySet[Competence]:
    return Competence.objects.filter(level=2).select_related("parent")


def s3_theme_list() -> QuerySet[S3Theme]:
    return S3Theme.objects.filter(level=2).select_related("parent")


def territory_list() -> QuerySet[Territory]:
    return Territory.objects.all()
