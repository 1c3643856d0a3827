"""The ecosystem registry: organizations, their cluster memberships and working groups."""

import secrets
from pathlib import PurePath

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from clusterhub.regions.models import Cluster, Competence, S3Theme, Territory
from clusterhub.registry.validators import validate_pic, validate_vat_number


class OrganizationKind(models.TextChoices):
    RESEARCH_LAB = "research_lab", _("Research lab")
    INNOVATION_CENTRE = "innovation_centre", _("Innovation centre")
    UNIVERSITY = "university", _("University")
    FIRM = "firm", _("Firm")
    FINAL_USER = "final_user", _("Final user")
    INTERMEDIARY = "intermediary", _("Intermediary")
    PUBLIC_BODY = "public_body", _("Public body")
    ASSOCIATION = "association", _("Association")


class SizeClass(models.TextChoices):
    MICRO = "micro", _("Micro (< 10 employees)")
    SMALL = "small", _("Small (10-49)")
    MEDIUM = "medium", _("Medium (50-249)")
    LARGE = "large", _("Large (250+)")


class Organization(models.Model):
    name = models.CharField(_("name"), max_length=255)
    # Lower-cased, accent- and legal-form-free name: part of the natural key.
    normalized_name = models.CharField(max_length=255, db_index=True, editable=False)
    kind = models.CharField(_("kind"), max_length=32, choices=OrganizationKind.choices)
    htn_accredited = models.BooleanField(_("High Technology Network accredited"), default=False)
    vat_number = models.CharField(
        _("VAT number"), max_length=11, blank=True, validators=[validate_vat_number]
    )
    pic = models.CharField(_("EU PIC"), max_length=9, blank=True, validators=[validate_pic])
    ateco_code = models.CharField(_("NACE/ATECO code"), max_length=8, blank=True)
    size_class = models.CharField(
        _("size class"), max_length=8, choices=SizeClass.choices, blank=True
    )
    street = models.CharField(_("street"), max_length=255, blank=True)
    postcode = models.CharField(_("postcode"), max_length=10, blank=True)
    city = models.CharField(_("city"), max_length=120, blank=True)
    territory = models.ForeignKey(
        Territory,
        verbose_name=_("province"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="organizations",
    )
    nuts3 = models.CharField(_("NUTS-3"), max_length=5, blank=True, db_index=True)
    country = models.CharField(_("country"), max_length=2, default="IT")
    website = models.URLField(_("website"), max_length=500, blank=True)
    description = models.TextField(_("description"), blank=True)
    competences = models.ManyToManyField(
        Competence, verbose_name=_("competences"), blank=True, related_name="organizations"
    )
    competence_notes = models.TextField(_("other competences"), blank=True)
    equipment = models.TextField(_("equipment"), blank=True)
    s3_themes = models.ManyToManyField(
        S3Theme, verbose_name=_("S3 themes"), blank=True, related_name="organizations"
    )
    # A hidden profile is seen only by its cluster(s), its own people and the Region.
    is_public = models.BooleanField(_("listed in the public directory"), default=True)
    source = models.CharField(max_length=40, blank=True, help_text="Where the record came from")
    # Everything the directory search matches, kept current by the services.
    search_text = models.TextField(blank=True, editable=False)
    # Optimistic locking: a write based on an older version is refused.
    version = models.PositiveIntegerField(default=1, editable=False)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["normalized_name", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["vat_number"], condition=~Q(vat_number=""), name="organization_unique_vat"
            ),
            models.UniqueConstraint(
                fields=["pic"], condition=~Q(pic=""), name="organization_unique_pic"
            ),
        ]
        indexes = [
            models.Index(fields=["normalized_name", "postcode"], name="organization_natural_key"),
            models.Index(fields=["kind"], name="organization_kind"),
            # Covers the directory's filters and ordering so a search reads no table rows.
            models.Index(
                fields=["id", "normalized_name", "kind", "nuts3", "htn_accredited", "is_public"],
                name="organization_directory",
            ),
        ]

    def __str__(self) -> str:
        return self.name


class MembershipRole(models.TextChoices):
    MEMBER = "member", _("Member")
    BOARD = "board", _("Board member")
    ASSOCIATE = "associate", _("Associate")


class MembershipStatus(models.TextChoices):
    INVITED = "invited", _("Invited")
    ACTIVE = "active", _("Active")
    SUSPENDED = "suspended", _("Suspended")
    ENDED = "ended", _("Ended")


class Membership(models.Model):
    """An organization's membership of one cluster; an organization may join several."""

    organization = models.ForeignKey(
        Organization, on_delete=models.CASCADE, related_name="memberships"
    )
    cluster = models.ForeignKey(Cluster, on_delete=models.CASCADE, related_name="memberships")
    role = models.CharField(
        _("role"), max_length=16, choices=MembershipRole.choices, default=MembershipRole.MEMBER
    )
    status = models.CharField(
        _("status"),
        max_length=16,
        choices=MembershipStatus.choices,
        default=MembershipStatus.ACTIVE,
    )
    since = models.DateField(_("since"), null=True, blank=True)
    until = models.DateField(_("until"), null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["organization", "cluster"], name="membership_unique"),
            models.CheckConstraint(
                condition=Q(until__isnull=True)
                | Q(since__isnull=True)
                | Q(until__gte=models.F("since")),
                name="membership_until_after_since",
            ),
        ]
        indexes = [models.Index(fields=["cluster", "status"], name="membership_cluster_status")]

    def __str__(self) -> str:
        return f"{self.organization} in {self.cluster}"


class WorkingGroupKind(models.TextChoices):
    WORKING_GROUP = "working_group", _("Working group")
    VALUE_CHAIN = "value_chain", _("Value chain")


class WorkingGroup(models.Model):
    """A working group or value chain inside a cluster."""

    cluster = models.ForeignKey(Cluster, on_delete=models.CASCADE, related_name="working_groups")
    name = models.CharField(_("name"), max_length=200)
    kind = models.CharField(
        _("kind"),
        max_length=16,
        choices=WorkingGroupKind.choices,
        default=WorkingGroupKind.WORKING_GROUP,
    )
    description = models.TextField(_("description"), blank=True)
    organizations = models.ManyToManyField(
        Organization, blank=True, related_name="working_groups", verbose_name=_("organizations")
    )

    class Meta:
        ordering = ["cluster", "name"]
        constraints = [
            models.UniqueConstraint(fields=["cluster", "name"], name="working_group_unique_name")
        ]

    def __str__(self) -> str:
        return self.name


class ImportJobStatus(models.TextChoices):
    UPLOADED = "uploaded", _("Uploaded")
    CHECKED = "checked", _("Checked")
    QUEUED = "queued", _("Queued")
    RUNNING = "running", _("Importing")
    DONE = "done", _("Imported")
    FAILED = "failed", _("Failed")


def import_upload_path(instance: "ImportJob", filename: str) -> str:
    """A random name under MEDIA_ROOT/imports: the uploader's file name is never used on disk."""
    return f"imports/{secrets.token_hex(16)}{PurePath(filename).suffix.lower()}"


class ImportJob(models.Model):
    """A file uploaded for a bulk import, from its dry run to its commit."""

    cluster = models.ForeignKey(
        Cluster, null=True, blank=True, on_delete=models.CASCADE, related_name="import_jobs"
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        on_delete=models.SET_NULL,
        related_name="import_jobs",
    )
    file = models.FileField(upload_to=import_upload_path, max_length=255)
    original_name = models.CharField(_("file name"), max_length=255)
    # {"file header": "field"}, as confirmed in the mapping step.
    mapping = models.JSONField(default=dict, blank=True)
    status = models.CharField(
        _("status"),
        max_length=16,
        choices=ImportJobStatus.choices,
        default=ImportJobStatus.UPLOADED,
    )
    # ImportReport.to_dict() of the latest dry run or commit.
    report = models.JSONField(default=dict, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["-created_at", "-id"]

    def __str__(self) -> str:
        return self.original_name


class OrganizationMerge(models.Model):
    """History of a duplicate merged into the organization that was kept."""

    kept = models.ForeignKey(Organization, on_delete=models.CASCADE, related_name="merges")
    merged_id = models.PositiveIntegerField(help_text="Primary key the merged record had")
    merged_name = models.CharField(max_length=255)
    # Every field of the merged record, its memberships and identifiers, as they were.
    snapshot = models.JSONField(default=dict)
    reason = models.CharField(max_length=255, blank=True)
    merged_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-created_at", "-id"]

    def __str__(self) -> str:
        return f"{self.merged_name} -> {self.kept}"
