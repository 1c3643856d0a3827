"""Self-assessments of cluster organizations and skill self-assessments of their managers."""

import secrets
from pathlib import PurePath

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from clusterhub.regions.models import Cluster

NOTE_MAX = 2000


class AssessmentStatus(models.TextChoices):
    DRAFT = "draft", pgettext_lazy("assessment status", "Draft")
    SUBMITTED = "submitted", pgettext_lazy("assessment status", "Submitted")
    PUBLISHED = "published", pgettext_lazy("assessment status", "Published")


class Assessment(models.Model):
    """A cluster organization's self-assessment for one year."""

    cluster = models.ForeignKey(Cluster, on_delete=models.CASCADE, related_name="assessments")
    year = models.PositiveSmallIntegerField(_("year"))
    framework_version = models.CharField(_("framework version"), max_length=40)
    # The framework as it was when the assessment started: later edits of the file never
    # change how this one reads or scores.
    framework = models.JSONField(default=dict, editable=False)
    status = models.CharField(
        _("status"),
        max_length=16,
        choices=AssessmentStatus.choices,
        default=AssessmentStatus.DRAFT,
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)
    submitted_at = models.DateTimeField(null=True, blank=True)
    published_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["cluster__position", "-year"]
        constraints = [
            models.UniqueConstraint(fields=["cluster", "year"], name="assessment_one_per_year")
        ]
        verbose_name = _("self-assessment")
        verbose_name_plural = _("self-assessments")

    def __str__(self) -> str:
        return f"{self.cluster} {self.year}"

    @property
    def is_draft(self) -> bool:
        return self.status == AssessmentStatus.DRAFT


class Answer(models.Model):
    """The answer to one indicator: from the platform's evidence, or given by the manager."""

    assessment = models.ForeignKey(Assessment, on_delete=models.CASCADE, related_name="answers")
    indicator = models.CharField(_("indicator"), max_length=40)
    value = models.DecimalField(_("value"), max_digits=16, decimal_places=2, null=True, blank=True)
    level = models.PositiveSmallIntegerField(_("level"), null=True, blank=True)
    note = models.TextField(_("note"), max_length=NOTE_MAX, blank=True)
    # What the platform said: {"source", "available", "value", "level", "url", "parts",
    # "computed_at"}. Kept when the manager overrides, so the override stays visible.
    evidence = models.JSONField(default=dict, blank=True)
    prefilled = models.BooleanField(_("filled from platform data"), default=False)
    overridden = models.BooleanField(_("overridden by the manager"), default=False)
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["assessment", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["assessment", "indicator"], name="assessment_answer_unique"
            )
        ]

    def __str__(self) -> str:
        return f"{self.assessment} · {self.indicator}"


def attachment_path(instance: "Attachment", filename: str) -> str:
    """A random name: the uploader's file name is kept in `name`, never used on disk."""
    return f"assessment/{secrets.token_hex(16)}{PurePath(filename).suffix.lower()[:10]}"


class Attachment(models.Model):
    answer = models.ForeignKey(Answer, on_delete=models.CASCADE, related_name="attachments")
    file = models.FileField(upload_to=attachment_path)
    name = models.CharField(_("file name"), max_length=200)
    content_type = models.CharField(max_length=100)
    size = models.PositiveIntegerField()
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["created_at", "id"]

    def __str__(self) -> str:
        return self.name


class SkillAssessment(models.Model):
    """A cluster manager's self-assessment against the competency framework."""

    person = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="skill_assessments"
    )
    cluster = models.ForeignKey(Cluster, on_delete=models.CASCADE, related_name="skill_assessments")
    date = models.DateField(_("date"))
    framework_version = models.CharField(_("framework version"), max_length=40)
    framework = models.JSONField(default=dict, editable=False)
    # {competence code: level}
    answers = models.JSONField(default=dict)
    note = models.TextField(_("note"), max_length=NOTE_MAX, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-date", "-id"]
        verbose_name = _("skill self-assessment")
        verbose_name_plural = _("skill self-assessments")

    def __str__(self) -> str:
        return f"{self.person} · {self.cluster} · {self.date}"


class FeedbackResponse(models.Model):
    """A participant's answer to the short form after an event (one per person and event).

    The outcomes are those the Danish cluster programme counts in its yearly performance
    account; the account counts organizations by outcome.
    """

    event = models.ForeignKey(
        "events.Event", on_delete=models.CASCADE, related_name="feedback_responses"
    )
    person = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="event_feedback",
    )
    organization = models.ForeignKey(
        "registry.Organization",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="event_feedback",
    )
    knowledge_of_trends = models.BooleanField(_("gained knowledge of trends"), default=False)
    new_competences = models.BooleanField(_("gained new competences"), default=False)
    new_contacts = models.BooleanField(_("made new contacts"), default=False)
    new_ideas = models.BooleanField(_("developed new ideas"), default=False)
    new_products = models.BooleanField(_("developed new products or processes"), default=False)
    satisfaction = models.PositiveSmallIntegerField(
        _("satisfaction"), validators=[MinValueValidator(1), MaxValueValidator(5)]
    )
    comment = models.TextField(_("comment"), max_length=NOTE_MAX, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("event feedback")
        verbose_name_plural = _("event feedback")
        constraints = [
            models.UniqueConstraint(
                fields=["event", "person"], name="feedback_one_per_person_and_event"
            ),
            models.CheckConstraint(
                condition=models.Q(satisfaction__gte=1, satisfaction__lte=5),
                name="feedback_satisfaction_1_to_5",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.person} · {self.event}"
