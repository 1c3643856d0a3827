"""Records of the personal-data rights people exercised (GDPR articles 15, 17, 20).

`Erasure.person_id` is a plain number, not a foreign key: the record must outlive the row it
names, and `restore` re-applies the erasures recorded after a backup was taken.
"""

from django.conf import settings
from django.db import models


class Erasure(models.Model):
    person_id = models.BigIntegerField(db_index=True)
    pseudonym = models.CharField(max_length=64)
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    erased_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-erased_at"]

    def __str__(self) -> str:
        return f"{self.pseudonym} · {self.erased_at:%Y-%m-%d}"
