"""Trend detection runs and the topics they found, with the documents behind each topic.

A run is kept with the parameters and the data snapshot it came from, so that a manager can
compare this quarter's topics with last quarter's and know what each was computed on.
Evidence rows keep a copy of their document's title and date: a topic still shows what it
was built from after a contribution or a project is deleted.
"""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from clusterhub.projects.models import Project
from clusterhub.regions.models import Cluster
from clusterhub.registry.models import Organization


class Period(models.TextChoices):
    YEAR = "year", _("Year")
    QUARTER = "quarter", _("Quarter")


class RunStatus(models.TextChoices):
    QUEUED = "queued", _("Queued")
    RUNNING = "running", _("Running")
    DONE = "done", _("Done")
    FAILED = "failed", _("Failed")


class Stage(models.TextChoices):
    """Where a run is: its own steps and those analytics.trends reports as it goes."""

    QUEUED = "queued", _("Waiting for the task worker")
    READING = "reading", _("Reading the documents")
    EMBEDDING = "embedding", _("Reading the texts")
    CLUSTERING = "clustering", _("Grouping the texts into topics")
    LABELLING = "labelling", _("Naming the topics")
    TESTING = "testing", _("Testing which topics grow")
    DONE = "done", _("Done")
    FAILED = "failed", _("Failed")


class TopicStatus(models.TextChoices):
    """How a topic's share of the documents moves over the run's periods (analytics.trends:
    a significant rise of the share is emerging, a fall declining)."""

    EMERGING = "emerging", _("Emerging")
    STABLE = "stable", _("Stable")
    DECLINING = "declining", _("Declining")


class TrendRun(models.Model):
    """One detection over the documents of the region or of one cluster."""

    # Null: the whole region.
    cluster = models.ForeignKey(
        Cluster,
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="trend_runs",
        verbose_name=_("cluster"),
    )
    period = models.CharField(
        _("period"), max_length=8, choices=Period.choices, default=Period.QUARTER
    )
    # The detection parameters, as analytics.trends.TrendParams fields.
    params = models.JSONField(_("parameters"), default=dict, blank=True)
    # What the documents were when the run read them (see snapshot.py): counts, newest ids
    # and changes, and a hash of every document's id and change time.
    snapshot = models.JSONField(_("data snapshot"), default=dict, blank=True)
    snapshot_hash = models.CharField(max_length=64, blank=True)
    # Labels of the run's periods, oldest first ("2025", or "2025-Q3"): a topic's counts
    # follow this order.
    periods = models.JSONField(default=list, blank=True)
    document_count = models.PositiveIntegerField(_("documents"), default=0)
    encoder = models.CharField(_("encoder"), max_length=40, blank=True)
    status = models.CharField(
        _("status"), max_length=8, choices=RunStatus.choices, default=RunStatus.QUEUED
    )
    progress = models.FloatField(_("progress"), default=0.0)
    # A Stage value (free text from an older analytics version is shown as it is).
    message = models.CharField(_("stage"), max_length=200, blank=True)
    error = models.TextField(_("error"), blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="trend_runs",
    )
    created_at = models.DateTimeField(auto_now_add=True)
    started_at = models.DateTimeField(null=True, blank=True)
    finished_at = models.DateTimeField(null=True, blank=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("trend run")
        verbose_name_plural = _("trend runs")
        indexes = [
            models.Index(fields=["cluster", "status", "-created_at"], name="trend_run_scope")
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(progress__gte=0) & Q(progress__lte=1), name="trend_run_progress_0_1"
            )
        ]

    def __str__(self) -> str:
        where = self.cluster.slug if self.cluster_id else "region"  # type: ignore[union-attr]
        return f"#{self.pk} {where} {self.created_at:%Y-%m-%d}" if self.created_at else where

    @property
    def is_active(self) -> bool:
        return self.status in (RunStatus.QUEUED, RunStatus.RUNNING)

    @property
    def stage_label(self) -> str:
        return str(Stage(self.message).label) if self.message in Stage.values else self.message

    @property
    def percent(self) -> int:
        return round(100 * self.progress)


class Topic(models.Model):
    """A group of documents about the same thing, with its size over the run's periods."""

    run = models.ForeignKey(TrendRun, on_delete=models.CASCADE, related_name="topics")
    # Order inside its run: largest first.
    position = models.PositiveSmallIntegerField(default=0)
    label = models.CharField(_("label"), max_length=200)
    terms = models.JSONField(_("terms"), default=list, blank=True)
    # Weighted documents (a contribution counts once more for each one merged into it).
    size = models.FloatField(_("size"), default=0.0)
    # Weighted documents per period, in the order of run.periods.
    counts = models.JSONField(default=list, blank=True)
    # {cluster slug: weighted documents of that cluster}
    cluster_counts = models.JSONField(default=dict, blank=True)
    # {organization id (as text): contributions of the topic it posted or endorsed (its own,
    # a duplicate merged into one, an endorsement)}, largest first.
    member_counts = models.JSONField(default=dict, blank=True)
    # Fitted change of the topic's share per period (exp(slope) - 1).
    growth = models.FloatField(_("growth"), default=0.0)
    p_value = models.FloatField(_("p-value"), null=True, blank=True)
    # p-value adjusted for the number of topics (Benjamini-Hochberg): decides the status.
    q_value = models.FloatField(_("adjusted p-value"), null=True, blank=True)
    status = models.CharField(
        _("status"), max_length=12, choices=TopicStatus.choices, default=TopicStatus.STABLE
    )
    project_count = models.PositiveIntegerField(_("projects"), default=0)
    contribution_count = models.PositiveIntegerField(_("contributions"), default=0)
    member_count = models.PositiveIntegerField(_("members"), default=0)
    # float32, little-endian: the mean of the documents' vectors (matches topics across runs).
    centroid = models.BinaryField(blank=True, default=b"")

    class Meta:
        ordering = ["run", "position", "id"]
        verbose_name = _("topic")
        verbose_name_plural = _("topics")

    def __str__(self) -> str:
        return self.label

    @property
    def growth_percent(self) -> str:
        """The growth rate per period as a signed percentage, e.g. "+35%"."""
        return f"{100 * self.growth:+.0f}%"


class DocumentSource(models.TextChoices):
    PROJECT = "project", _("EU project")
    CONTRIBUTION = "contribution", _("Contribution")


class TopicDocument(models.Model):
    """A document of a topic: the evidence that a trend links to."""

    topic = models.ForeignKey(Topic, on_delete=models.CASCADE, related_name="documents")
    source = models.CharField(max_length=12, choices=DocumentSource.choices)
    project = models.ForeignKey(
        Project, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    # For a contribution merged into another, the one it was merged into (the page to open).
    contribution = models.ForeignKey(
        "contributions.Contribution",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    # The member who raised it (a contribution's organization).
    organization = models.ForeignKey(
        Organization, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    # A contribution's kind ("need", "training", ...); blank for a project.
    kind = models.CharField(max_length=24, blank=True)
    merged = models.BooleanField(default=False)
    title = models.CharField(_("title"), max_length=300)
    date = models.DateField(_("date"), null=True, blank=True)
    period = models.CharField(max_length=8, blank=True)
    score = models.FloatField(default=0.0)

    class Meta:
        ordering = ["topic", "-score", "id"]
        verbose_name = _("topic document")
        verbose_name_plural = _("topic documents")
        indexes = [models.Index(fields=["contribution"], name="topic_document_contribution")]

    def __str__(self) -> str:
        return self.title

    @property
    def kind_label(self) -> str:
        from clusterhub.contributions.models import ContributionKind

        return (
            str(ContributionKind(self.kind).label) if self.kind in ContributionKind.values else ""
        )
