"""Reads for region configuration."""

from django.db.models import QuerySet

from analytics.textnorm import normalize_words
from clusterhub.regions.models import Cluster, Competence, Postcode, S3Theme, Territory


def cluster_list() -> QuerySet[Cluster]:
    return Cluster.objects.select_related("group", "s3_area")


class TerritoryLocator:
    """Places an address in a territory: by postcode, else by its city's name.

    Loads both tables once, so bulk imports place every row without a query.
    """

    def __init__(self) -> None:
        self.by_postcode = {
            postcode.code: postcode.territory
            for postcode in Postcode.objects.select_related("territory")
        }
        self.by_city = {
            normalize_words(city): territory
            for territory in Territory.objects.all()
            for city in [territory.name, *territory.cities]
        }

    def locate(self, *, postcode: str, city: str) -> Territory | None:
        return self.by_postcode.get(postcode.strip()) or self.by_city.get(normalize_words(city))


def competence_list() -> QuerySet[Competence]:
    return Competence.objects.filter(level=2).select_related("parent")


def s3_theme_list() -> QuerySet[S3Theme]:
    return S3Theme.objects.filter(level=2).select_related("parent")


def territory_list() -> QuerySet[Territory]:
    return Territory.objects.all()
