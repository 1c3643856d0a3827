"""The append-only audit trail: who did what, when (UTC), with the state before and after.

Entries are only ever inserted (`audit.services.record_audit`). The model refuses updates
and deletes in Python (`save` of an existing row, `delete`, and `QuerySet.update/delete`
through its managers), the database refuses them too (triggers, see migration 0001), and no
route edits or removes them. The one change allowed is the one the database makes itself:
the actor (or cluster) becomes NULL when that person's (or cluster's) row is deleted; the
entry keeps `actor_label`, so it still says who acted.
"""

from typing import Any

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class AppendOnlyError(Exception):
    """Someone tried to change or delete an audit entry."""

    def __init__(self, what: str = "changed") -> None:
        super().__init__(f"Audit entries are append-only: they cannot be {what}.")


# Columns the database may set to NULL when the row they point at is deleted (SET_NULL).
NULLABLE_ON_DELETE = frozenset({"actor", "actor_id", "cluster", "cluster_id"})


class AuditEntryQuerySet(models.QuerySet["AuditEntry"]):
    def update(self, **kwargs: Any) -> int:
        # Deleting a person or a cluster sets the entry's reference to NULL (on_delete=SET_NULL,
        # run by Django's deletion collector through this method): that alone is allowed.
        if kwargs and all(k in NULLABLE_ON_DELETE and v is None for k, v in kwargs.items()):
            return super().update(**kwargs)
        raise AppendOnlyError("updated")

    def delete(self) -> tuple[int, dict[str, int]]:
        raise AppendOnlyError("deleted")

    delete.queryset_only = True  # type: ignore[attr-defined]


class AuditAction(models.TextChoices):
    ROLE_GRANTED = "role.granted", _("Role granted")
    ROLE_REVOKED = "role.revoked", _("Role revoked")
    MEMBERSHIP_CHANGED = "membership.changed", _("Membership changed")
    MODERATION = "moderation", _("Moderation")
    IMPORT = "import", _("Import")
    MERGE = "merge", _("Merge")
    ERASURE = "erasure", _("Erasure of personal data")
    AGENDA_PHASE = "agenda.phase", _("Agenda phase changed")


class AuditEntry(models.Model):
    at = models.DateTimeField(_("when"), auto_now_add=True, db_index=True)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="audit_entries",
    )
    # Kept as text too: the entry still says who acted after the account is erased or deleted.
    actor_label = models.CharField(_("who"), max_length=200, blank=True, db_index=True)
    action = models.CharField(_("what"), max_length=32, choices=AuditAction.choices, db_index=True)
    target_type = models.CharField(_("object type"), max_length=100, blank=True)
    target_id = models.CharField(_("object id"), max_length=64, blank=True)
    target_label = models.CharField(_("object"), max_length=300, blank=True)
    cluster = models.ForeignKey(
        "regions.Cluster", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    before = models.JSONField(_("before"), default=dict, blank=True)
    after = models.JSONField(_("after"), default=dict, blank=True)
    note = models.CharField(_("note"), max_length=500, blank=True)

    objects = AuditEntryQuerySet.as_manager()

    class Meta:
        ordering = ["-at", "-id"]
        # The deletion collector nulls `actor` through the base manager: guard it too.
        base_manager_name = "objects"
        verbose_name = _("audit entry")
        verbose_name_plural = _("audit trail")
        indexes = [
            models.Index(fields=["target_type", "target_id"], name="audit_target"),
        ]

    def __str__(self) -> str:
        return f"{self.at:%Y-%m-%d %H:%M} · {self.actor_label} · {self.action}"

    def save(self, *args: Any, **kwargs: Any) -> None:
        if not self._state.adding:
            raise AppendOnlyError("changed")
        # Always an INSERT: a new object given the id of an existing entry must not update it.
        kwargs["force_insert"] = True
        super().save(*args, **kwargs)

    def delete(self, *args: Any, **kwargs: Any) -> tuple[int, dict[str, int]]:
        raise AppendOnlyError("deleted")
