"""EU research projects (CORDIS) and the registry organizations that take part in them."""

import secrets
from pathlib import PurePath

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from clusterhub.regions.models import Cluster, S3Theme
from clusterhub.registry.models import ImportJobStatus, Organization


class Framework(models.TextChoices):
    FP7 = "FP7", "FP7"
    H2020 = "H2020", "Horizon 2020"
    HORIZON = "HORIZON", "Horizon Europe"
    OTHER = "OTHER", _("Other")


class Project(models.Model):
    cordis_id = models.CharField(_("CORDIS id"), max_length=20, unique=True)
    framework = models.CharField(_("framework programme"), max_length=8, choices=Framework.choices)
    acronym = models.CharField(_("acronym"), max_length=60, blank=True)
    title = models.CharField(_("title"), max_length=600)
    objective = models.TextField(_("objective"), blank=True)
    programme = models.CharField(_("programme"), max_length=255, blank=True)
    topic = models.CharField(_("topic"), max_length=255, blank=True)
    call = models.CharField(_("call"), max_length=120, blank=True)
    funding_scheme = models.CharField(_("funding scheme"), max_length=60, blank=True)
    status = models.CharField(_("status"), max_length=20, blank=True)
    keywords = models.TextField(_("keywords"), blank=True)
    start_date = models.DateField(_("start date"), null=True, blank=True)
    end_date = models.DateField(_("end date"), null=True, blank=True)
    total_cost = models.DecimalField(
        _("total cost"), max_digits=14, decimal_places=2, null=True, blank=True
    )
    eu_contribution = models.DecimalField(
        _("EU contribution"), max_digits=14, decimal_places=2, null=True, blank=True
    )
    # The file layout it came from, e.g. "cordis-bulk", "cordis-2020-csv", "inrae-json".
    source = models.CharField(max_length=40, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["-start_date", "acronym"]
        indexes = [models.Index(fields=["start_date"], name="project_start")]
        constraints = [
            models.CheckConstraint(
                condition=Q(total_cost__isnull=True) | Q(total_cost__gte=0),
                name="project_total_cost_not_negative",
            ),
            models.CheckConstraint(
                condition=Q(eu_contribution__isnull=True) | Q(eu_contribution__gte=0),
                name="project_eu_contribution_not_negative",
            ),
        ]

    def __str__(self) -> str:
        return self.acronym or self.title


class ParticipantRole(models.TextChoices):
    COORDINATOR = "coordinator", _("Coordinator")
    PARTICIPANT = "participant", _("Participant")
    THIRD_PARTY = "third_party", _("Third party")
    PARTNER = "partner", _("Associated partner")


class ActivityType(models.TextChoices):
    HES = "HES", _("Higher or secondary education")
    REC = "REC", _("Research organisation")
    PRC = "PRC", _("Private company")
    PUB = "PUB", _("Public body")
    OTH = "OTH", _("Other")


class MatchMethod(models.TextChoices):
    """How a participation was linked to its registry organization."""

    PIC = "pic", _("Same PIC")
    VAT = "vat", _("Same VAT number")
    NAME = "name", _("Same name")
    CREATED = "created", _("New organization from CORDIS")
    REVIEW = "review", _("Confirmed by a reviewer")


class Participation(models.Model):
    """One participant of a project, as CORDIS lists it, linked to the registry when in region."""

    project = models.ForeignKey(Project, on_delete=models.CASCADE, related_name="participations")
    # Set when the participant is (or was matched to) a registry organization.
    organization = models.ForeignKey(
        Organization,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="participations",
    )
    # Natural key inside a project: the PIC, else the normalised name.
    participant_key = models.CharField(max_length=255)
    pic = models.CharField(_("EU PIC"), max_length=9, blank=True)
    vat_number = models.CharField(_("VAT number"), max_length=20, blank=True)
    name = models.CharField(_("name"), max_length=500)
    short_name = models.CharField(_("short name"), max_length=120, blank=True)
    country = models.CharField(_("country"), max_length=2, blank=True)
    city = models.CharField(_("city"), max_length=120, blank=True)
    postcode = models.CharField(_("postcode"), max_length=10, blank=True)
    nuts3 = models.CharField(_("NUTS-3"), max_length=5, blank=True)
    in_region = models.BooleanField(default=False)
    role = models.CharField(
        _("role"),
        max_length=16,
        choices=ParticipantRole.choices,
        default=ParticipantRole.PARTICIPANT,
    )
    activity_type = models.CharField(
        _("activity type"), max_length=3, choices=ActivityType.choices, blank=True
    )
    eu_contribution = models.DecimalField(
        _("EU contribution"), max_digits=14, decimal_places=2, null=True, blank=True
    )
    # How `organization` was found; blank while it is not linked.
    match_method = models.CharField(
        _("linked by"), max_length=8, choices=MatchMethod.choices, blank=True
    )

    class Meta:
        ordering = ["project", "-role", "name"]
        constraints = [
            models.UniqueConstraint(
                fields=["project", "participant_key"], name="participation_unique"
            ),
            models.CheckConstraint(
                condition=Q(eu_contribution__isnull=True) | Q(eu_contribution__gte=0),
                name="participation_eu_contribution_not_negative",
            ),
        ]
        indexes = [models.Index(fields=["in_region", "organization"], name="participation_region")]

    def __str__(self) -> str:
        return f"{self.name} in {self.project}"


class MatchStatus(models.TextChoices):
    PENDING = "pending", _("To review")
    CONFIRMED = "confirmed", _("Confirmed")
    REJECTED = "rejected", _("Rejected")


class ParticipantMatch(models.Model):
    """An uncertain match of a participant to a registry organization: the review queue."""

    participation = models.ForeignKey(
        Participation, on_delete=models.CASCADE, related_name="match_candidates"
    )
    candidate = models.ForeignKey(
        Organization, on_delete=models.CASCADE, related_name="participant_match_candidates"
    )
    score = models.FloatField(help_text="Name similarity, 0-1")
    reason = models.CharField(max_length=255, blank=True)
    status = models.CharField(
        max_length=10, choices=MatchStatus.choices, default=MatchStatus.PENDING
    )
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL
    )
    decided_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["status", "-score"]
        constraints = [
            models.UniqueConstraint(
                fields=["participation", "candidate"], name="participant_match_unique"
            )
        ]

    def __str__(self) -> str:
        return f"{self.participation.name} ~ {self.candidate}"


class SuggestionSource(models.TextChoices):
    AUTOMATIC = "auto", _("Suggested")
    MANUAL = "manual", _("Set by a manager")


class SuggestedLink(models.Model):
    """A label of a project: suggested with a confidence, or confirmed/rejected by a manager."""

    confidence = models.FloatField(default=1.0)
    source = models.CharField(
        max_length=8, choices=SuggestionSource.choices, default=SuggestionSource.AUTOMATIC
    )
    rejected = models.BooleanField(default=False)

    class Meta:
        abstract = True


class ProjectCluster(SuggestedLink):
    """A cluster a project belongs to, suggested from its text or set by a manager."""

    project = models.ForeignKey(Project, on_delete=models.CASCADE, related_name="cluster_links")
    cluster = models.ForeignKey(Cluster, on_delete=models.CASCADE, related_name="project_links")

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["project", "cluster"], name="project_cluster_unique")
        ]

    def __str__(self) -> str:
        return f"{self.project} in {self.cluster}"


class ProjectTheme(SuggestedLink):
    """An S3 theme of a project, suggested from its text or set by a manager."""

    project = models.ForeignKey(Project, on_delete=models.CASCADE, related_name="theme_links")
    theme = models.ForeignKey(S3Theme, on_delete=models.CASCADE, related_name="project_links")

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["project", "theme"], name="project_theme_unique")
        ]

    def __str__(self) -> str:
        return f"{self.project}: {self.theme}"


class ProjectImportJob(models.Model):
    """CORDIS files uploaded together for an import, from their dry run to the commit."""

    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        on_delete=models.SET_NULL,
        related_name="project_import_jobs",
    )
    # "auto" or one of importing.LAYOUTS.
    layout = models.CharField(_("layout"), max_length=16, default="auto")
    status = models.CharField(
        _("status"),
        max_length=16,
        choices=ImportJobStatus.choices,
        default=ImportJobStatus.UPLOADED,
    )
    # Share of the files read so far by the running dry run, 0-100.
    progress = models.PositiveSmallIntegerField(default=0)
    # ProjectImportReport.to_dict() of the latest dry run or commit.
    report = models.JSONField(default=dict, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["-created_at", "-id"]

    def __str__(self) -> str:
        return ", ".join(f.original_name for f in self.files.all()) or f"#{self.pk}"


def project_upload_path(instance: "ProjectImportFile", filename: str) -> str:
    """A random name under MEDIA_ROOT/imports/projects: the uploader's name is never used."""
    return f"imports/projects/{secrets.token_hex(16)}{PurePath(filename).suffix.lower()}"


class ProjectImportFile(models.Model):
    job = models.ForeignKey(ProjectImportJob, on_delete=models.CASCADE, related_name="files")
    file = models.FileField(upload_to=project_upload_path, max_length=255)
    original_name = models.CharField(_("file name"), max_length=255)

    class Meta:
        ordering = ["id"]

    def __str__(self) -> str:
        return self.original_name
