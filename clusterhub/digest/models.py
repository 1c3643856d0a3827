"""Each person's choice of digest: how often (daily, weekly, never) and when it was last sent.

Whether a digest may be sent at all is the person's consent (people.Consent, purpose
"digest"): the preference says how often, the consent says whether.
"""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class DigestFrequency(models.TextChoices):
    DAILY = "daily", _("Daily")
    WEEKLY = "weekly", _("Weekly")
    OFF = "off", _("Never")


class DigestPreference(models.Model):
    person = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="digest_preference"
    )
    frequency = models.CharField(
        _("how often"),
        max_length=8,
        choices=DigestFrequency.choices,
        default=DigestFrequency.WEEKLY,
    )
    # When the last digest went out: the next one gathers what is new since then.
    last_sent_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("digest preference")
        verbose_name_plural = _("digest preferences")

    def __str__(self) -> str:
        return f"{self.person} · {self.get_frequency_display()}"
