"""Bilingual fields for configuration data (clusters, taxonomies) that comes from a preset file."""

from django.db import models
from django.utils.translation import get_language


class TranslatedNameMixin(models.Model):
    name_en = models.CharField(max_length=255)
    name_it = models.CharField(max_length=255)

    class Meta:
        abstract = True

    def __str__(self) -> str:
        return self.name

    @property
    def name(self) -> str:
        """The name in the active language, falling back to the other one."""
        if (get_language() or "en").startswith("it"):
            return self.name_it or self.name_en
        return self.name_en or self.name_it
