"""The append-only audit trail: who did what, when (UTC), with the state before and after.

Entries are only ever inserted (`audit.services.record_audit`); the model refuses updates and
deletes, and no route edits or removes them.
"""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


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
    actor_label = models.CharField(_("who"), max_length=200, blank=True)
    action = models.CharField(_("what"), max_length=32, choices=AuditAction.choices, db_index=True)
    target_type = models.CharField(_("object type"), max_length=100, blank=True)
    target_id = models.CharField(_("object id"), max_length=64, blank=True)
    target_label = models.CharField(_("object"), max_length=300, blank=True)
    cluster = models.ForeignKey(
        "regions.Cluster", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    before = models.JSONField(default=dict, blank=True)
    after = models.JSONField(default=dict, blank=True)
    note = models.CharField(max_length=500, blank=True)

    class Meta:
        ordering = ["-at", "-id"]
        verbose_name = _("audit entry")
        verbose_name_plural = _("audit trail")

    def __str__(self) -> str:
        return f"{self.at:%Y-%m-%d %H:%M} · {self.actor_label} · {self.action}"
