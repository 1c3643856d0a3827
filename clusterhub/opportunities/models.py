"""Financing calls and internationalization opportunities.

An opportunity is open until its deadline has passed, then archived: the status is derived
from the deadline (see `Opportunity.is_open` and `selectors.open_opportunities`), so closed
calls leave the open lists by themselves, without anyone flagging them.
"""

from django.conf import settings
from django.core.validators import MaxLengthValidator
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from clusterhub.regions.models import Cluster, S3Theme

TITLE_MAX_LENGTH = 300
PROGRAMME_MAX_LENGTH = 200
TEXT_MAX_LENGTH = 20_000
URL_MAX_LENGTH = 500


class OpportunityKind(models.TextChoices):
    FINANCING = "financing", _("Financing call")
    INTERNATIONALIZATION = "internationalization", _("Internationalization")


class OpportunitySource(models.TextChoices):
    MANUAL = "manual", _("Entered by a manager")
    IMPORT = "import", _("Imported from a file")
    CONTRIBUTION = "contribution", _("Posted by a member")


class Opportunity(models.Model):
    kind = models.CharField(_("kind"), max_length=24, choices=OpportunityKind.choices)
    title = models.CharField(_("title"), max_length=TITLE_MAX_LENGTH)
    programme = models.CharField(_("programme"), max_length=PROGRAMME_MAX_LENGTH)
    description = models.TextField(
        _("description"), blank=True, validators=[MaxLengthValidator(TEXT_MAX_LENGTH)]
    )
    deadline = models.DateField(_("deadline"), db_index=True)
    budget = models.PositiveBigIntegerField(
        _("budget (EUR)"), null=True, blank=True, help_text=_("Total budget of the call, in euros.")
    )
    eligibility = models.TextField(
        _("who may apply"), blank=True, validators=[MaxLengthValidator(TEXT_MAX_LENGTH)]
    )
    url = models.URLField(_("link"), max_length=URL_MAX_LENGTH, blank=True)
    clusters = models.ManyToManyField(
        Cluster, blank=True, related_name="opportunities", verbose_name=_("clusters")
    )
    s3_themes = models.ManyToManyField(
        S3Theme, blank=True, related_name="opportunities", verbose_name=_("S3 themes")
    )
    source = models.CharField(
        max_length=16, choices=OpportunitySource.choices, default=OpportunitySource.MANUAL
    )
    contribution = models.ForeignKey(
        "contributions.Contribution",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="opportunities",
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="opportunities_created",
    )
    # The use-m3 vector of the opportunity's text (float32, little-endian), computed by the
    # services; `text_hash` says which text it was computed from.
    vector = models.BinaryField(blank=True, default=b"", editable=False)
    text_hash = models.CharField(max_length=64, blank=True, editable=False)
    created_at = models.DateTimeField(auto_now_add=True, db_index=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["deadline", "id"]
        verbose_name = _("opportunity")
        verbose_name_plural = _("opportunities")

    def __str__(self) -> str:
        return self.title

    @property
    def is_open(self) -> bool:
        return self.deadline >= timezone.localdate()

    @property
    def days_left(self) -> int:
        return (self.deadline - timezone.localdate()).days
