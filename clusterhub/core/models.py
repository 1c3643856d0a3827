from django.db import models


class PageGeneration(models.Model):
    """A value that changes in the same transaction as any write to the tables behind a group
    of public pages; cached copies of those pages are keyed by it (core/pagecache.py)."""

    scope = models.CharField(max_length=40, primary_key=True)
    value = models.BigIntegerField()

    def __str__(self) -> str:
        return f"{self.scope}: {self.value}"
