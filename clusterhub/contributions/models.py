"""Members' contributions (needs, trends, training needs, opportunities), their endorsements,
comments and moderation history.

A contribution is posted by a person on behalf of an organization that is an active member of
the clusters it is posted to; it waits for a manager of those clusters ("pending"), who
approves it, merges it into another one (its endorsements move there, its page stays with a
link) or closes it. Every moderation step is kept as a `ContributionEvent`.
"""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from clusterhub.regions.models import Cluster, Competence, S3Theme
from clusterhub.registry.models import Organization

TITLE_MAX_LENGTH = 200
TEXT_MAX_LENGTH = 5000
COMMENT_MAX_LENGTH = 2000
REASON_MAX_LENGTH = 500


class ContributionKind(models.TextChoices):
    NEED = "need", _("Challenge or need")
    TREND = "trend", _("Technology trend")
    TRAINING = "training", _("Training need")
    INTERNATIONALIZATION = "internationalization", _("Internationalization opportunity")
    FINANCING = "financing", _("Financing opportunity")


class ContributionStatus(models.TextChoices):
    PENDING = "pending", _("Awaiting moderation")
    APPROVED = "approved", _("Approved")
    MERGED = "merged", _("Merged")
    CLOSED = "closed", _("Closed")


class ContributionVisibility(models.TextChoices):
    MEMBERS = "members", _("Members of its clusters")
    PUBLIC = "public", _("Everyone")


class ContributionLanguage(models.TextChoices):
    ITALIAN = "it", _("Italian")
    ENGLISH = "en", _("English")


class Contribution(models.Model):
    kind = models.CharField(_("kind"), max_length=24, choices=ContributionKind.choices)
    title = models.CharField(_("title"), max_length=TITLE_MAX_LENGTH)
    text = models.TextField(_("text"), max_length=TEXT_MAX_LENGTH)
    language = models.CharField(
        _("language"), max_length=2, choices=ContributionLanguage.choices, default="it"
    )
    clusters = models.ManyToManyField(
        Cluster, verbose_name=_("clusters"), related_name="contributions"
    )
    s3_themes = models.ManyToManyField(
        S3Theme, verbose_name=_("S3 themes"), blank=True, related_name="contributions"
    )
    competences = models.ManyToManyField(
        Competence, verbose_name=_("competences"), blank=True, related_name="contributions"
    )
    visibility = models.CharField(
        _("visible to"),
        max_length=8,
        choices=ContributionVisibility.choices,
        default=ContributionVisibility.MEMBERS,
    )
    status = models.CharField(
        _("status"),
        max_length=8,
        choices=ContributionStatus.choices,
        default=ContributionStatus.PENDING,
    )
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="contributions",
    )
    # PROTECT: an organization's voice is history; a registry merge moves it instead.
    organization = models.ForeignKey(
        Organization, on_delete=models.PROTECT, related_name="contributions"
    )
    merged_into = models.ForeignKey(
        "self",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="merged_contributions",
    )
    # The closest earlier contribution when it looked like a near-duplicate at posting time:
    # a hint for the managers, who decide.
    suspected_duplicate = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    duplicate_score = models.FloatField(null=True, blank=True)
    close_reason = models.CharField(_("reason"), max_length=REASON_MAX_LENGTH, blank=True)
    # float16, little-endian: the `encoder`'s vector of title and text (for near-duplicates).
    embedding = models.BinaryField(blank=True, default=b"", editable=False)
    encoder = models.CharField(max_length=40, blank=True, editable=False)
    created_at = models.DateTimeField(auto_now_add=True, db_index=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("contribution")
        verbose_name_plural = _("contributions")
        constraints = [
            models.CheckConstraint(
                condition=Q(merged_into__isnull=True) | Q(status="merged"),
                name="contribution_merged_into_only_when_merged",
            ),
            models.CheckConstraint(
                condition=~Q(merged_into=models.F("id")), name="contribution_not_merged_into_itself"
            ),
        ]
        indexes = [models.Index(fields=["status", "kind"], name="contribution_status_kind")]

    def __str__(self) -> str:
        return self.title


class Endorsement(models.Model):
    """An organization says "we share this need": one per contribution and organization."""

    contribution = models.ForeignKey(
        Contribution, on_delete=models.CASCADE, related_name="endorsements"
    )
    organization = models.ForeignKey(
        Organization, on_delete=models.CASCADE, related_name="contribution_endorsements"
    )
    person = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="contribution_endorsements",
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["created_at", "id"]
        verbose_name = _("endorsement")
        verbose_name_plural = _("endorsements")
        constraints = [
            models.UniqueConstraint(
                fields=["contribution", "organization"], name="endorsement_one_per_organization"
            )
        ]

    def __str__(self) -> str:
        return f"{self.organization} · {self.contribution}"


class Comment(models.Model):
    contribution = models.ForeignKey(
        Contribution, on_delete=models.CASCADE, related_name="comments"
    )
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="contribution_comments",
    )
    organization = models.ForeignKey(
        Organization,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="contribution_comments",
    )
    text = models.TextField(_("comment"), max_length=COMMENT_MAX_LENGTH)
    parent = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.CASCADE, related_name="replies"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["created_at", "id"]
        verbose_name = _("comment")
        verbose_name_plural = _("comments")

    def __str__(self) -> str:
        return self.text[:80]


class ContributionAction(models.TextChoices):
    POSTED = "posted", _("Posted")
    APPROVED = "approved", _("Approved")
    MERGED = "merged", _("Merged into another contribution")
    ABSORBED = "absorbed", _("Received a merged contribution")
    CLOSED = "closed", _("Closed")
    REOPENED = "reopened", _("Reopened")


class ContributionEvent(models.Model):
    """One step of a contribution's history: who did what, when, and what changed."""

    contribution = models.ForeignKey(Contribution, on_delete=models.CASCADE, related_name="history")
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    action = models.CharField(max_length=10, choices=ContributionAction.choices)
    before = models.JSONField(default=dict, blank=True)
    after = models.JSONField(default=dict, blank=True)
    note = models.CharField(max_length=REASON_MAX_LENGTH, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["created_at", "id"]
        verbose_name = _("contribution event")
        verbose_name_plural = _("contribution events")

    def __str__(self) -> str:
        return f"{self.get_action_display()} · {self.contribution_id}"
