"""Engagement: the sign-ins of organizations' people, and the re-engagement invitations sent.

Every other activity (check-ins at events, contributions, endorsements, comments) is read
from the app that owns it; this app stores only what no other app records.
"""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from clusterhub.regions.models import Cluster
from clusterhub.registry.models import Organization


class LoginEvent(models.Model):
    """A day on which a person signed in, on behalf of one of their organizations.

    Minimal on purpose: who, for which organization, when. No IP address, no browser.
    A person signed in several times a day is recorded once for that day.
    """

    person = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="login_events"
    )
    organization = models.ForeignKey(
        Organization, on_delete=models.CASCADE, related_name="login_events"
    )
    at = models.DateTimeField(_("signed in at"), db_index=True)
    day = models.DateField(editable=False)

    class Meta:
        ordering = ["-at", "-id"]
        verbose_name = _("sign-in")
        verbose_name_plural = _("sign-ins")
        constraints = [
            models.UniqueConstraint(
                fields=["person", "organization", "day"], name="login_event_once_a_day"
            )
        ]
        indexes = [models.Index(fields=["organization", "at"], name="login_event_org_at")]

    def __str__(self) -> str:
        return f"{self.person} · {self.organization} · {self.day}"


class ReEngagementInvitation(models.Model):
    """A cluster manager's invitation to a quiet member, with what it suggested.

    Recorded so that the same organization is not invited again by its cluster within
    `services.INVITATION_COOLDOWN_DAYS`.
    """

    organization = models.ForeignKey(
        Organization, on_delete=models.CASCADE, related_name="reengagement_invitations"
    )
    cluster = models.ForeignKey(
        Cluster, on_delete=models.CASCADE, related_name="reengagement_invitations"
    )
    sent_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        on_delete=models.SET_NULL,
        related_name="reengagement_invitations_sent",
    )
    sent_at = models.DateTimeField(_("sent at"), db_index=True)
    recipients = models.PositiveIntegerField(_("recipients"))
    # {"event": {"id", "title", "starts_at"}, "opportunity": {...}, "partner": {...}} as sent.
    suggestions = models.JSONField(_("suggestions"), default=dict, blank=True)

    class Meta:
        ordering = ["-sent_at", "-id"]
        verbose_name = _("re-engagement invitation")
        verbose_name_plural = _("re-engagement invitations")
        indexes = [
            models.Index(fields=["cluster", "organization", "sent_at"], name="reengagement_recent")
        ]

    def __str__(self) -> str:
        return f"{self.organization} · {self.cluster} · {self.sent_at:%Y-%m-%d}"
