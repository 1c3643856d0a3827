"""The region's configuration: clusters, S3 themes, competence taxonomy, territories.

All rows come from a region preset file (see `load_region`); nothing here is specific
to one region.
"""

from django.db import models
from django.utils.translation import get_language

from clusterhub.core.i18n import TranslatedNameMixin


class Region(TranslatedNameMixin):
    code = models.SlugField(unique=True)
    country = models.CharField(max_length=2, default="IT")
    nuts2 = models.CharField(max_length=4, help_text="NUTS-2 code of the region, e.g. ITH5")


class ClusterGroup(TranslatedNameMixin):
    """S3 grouping of clusters, e.g. traditional / knowledge-intensive / horizontal."""

    code = models.SlugField(unique=True)
    position = models.PositiveSmallIntegerField(default=0)

    class Meta:
        ordering = ["position", "code"]


class S3Theme(TranslatedNameMixin):
    """A node of the S3 thematic taxonomy: level 1 is an area, level 2 a theme."""

    code = models.CharField(max_length=32, unique=True)
    parent = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.CASCADE, related_name="children"
    )
    level = models.PositiveSmallIntegerField()
    position = models.PositiveIntegerField(default=0)

    class Meta:
        ordering = ["level", "position", "code"]


class Competence(TranslatedNameMixin):
    """A node of the competence taxonomy: level 1 is a platform/area, level 2 a competence."""

    code = models.CharField(max_length=32, unique=True)
    parent = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.CASCADE, related_name="children"
    )
    level = models.PositiveSmallIntegerField()
    position = models.PositiveIntegerField(default=0)

    class Meta:
        ordering = ["level", "position", "code"]


class Cluster(TranslatedNameMixin):
    slug = models.SlugField(unique=True)
    short_name = models.CharField(max_length=80, blank=True)
    group = models.ForeignKey(ClusterGroup, on_delete=models.PROTECT, related_name="clusters")
    s3_area = models.ForeignKey(
        S3Theme, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    color = models.CharField(max_length=7, default="#2f6f9f")
    description_en = models.TextField(blank=True)
    description_it = models.TextField(blank=True)
    position = models.PositiveSmallIntegerField(default=0)

    class Meta:
        ordering = ["position", "slug"]

    @property
    def description(self) -> str:
        if (get_language() or "en").startswith("it"):
            return self.description_it or self.description_en
        return self.description_en or self.description_it


class Territory(models.Model):
    """A territorial unit of the region (a province), identified by its NUTS-3 code."""

    nuts3 = models.CharField(max_length=5, unique=True)
    name = models.CharField(max_length=120)
    abbreviation = models.CharField(max_length=4, blank=True)
    # Main cities (e.g. the province capital), to place an address whose postcode is unknown,
    # such as the generic pre-2006 ones ("41100") still found in old records.
    cities = models.JSONField(default=list, blank=True)

    class Meta:
        ordering = ["nuts3"]
        verbose_name_plural = "territories"

    def __str__(self) -> str:
        return self.name


class Postcode(models.Model):
    code = models.CharField(max_length=10, unique=True)
    territory = models.ForeignKey(Territory, on_delete=models.CASCADE, related_name="postcodes")

    def __str__(self) -> str:
        return self.code
