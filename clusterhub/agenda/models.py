"""The cluster agenda: versions that move through phases, their items, and the consultation
of the member organizations on them (comments, amendments, ballots).

A cluster drafts version N+1 while version N stays published and citable. Each item of a new
version descends from items of the one before (`ItemLineage`: carried over, split, merged), so
every item of v3 can be traced back to v1. While a version is in consultation, member
organizations comment, propose amendments and vote: one `Ballot` per organization and item
(database constraint), changeable until the consultation closes. Items carry a `revision`
counter: an edit based on an older revision is refused (409), never silently applied.
"""

from datetime import datetime

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from clusterhub.contributions.models import Contribution
from clusterhub.regions.models import Cluster, S3Theme
from clusterhub.registry.models import Organization
from clusterhub.trends.models import Topic

TITLE_MAX_LENGTH = 200
TEXT_MAX_LENGTH = 5000
COMMENT_MAX_LENGTH = 2000
REASON_MAX_LENGTH = 500


class Phase(models.TextChoices):
    DRAFT = "draft", _("Draft")
    CONSULTATION = "consultation", _("In consultation")
    APPROVED = "approved", _("Approved")
    PUBLISHED = "published", _("Published")


class VotingMethod(models.TextChoices):
    APPROVAL = "approval", _("Approval (support or not)")
    POINTS = "points", _("Budget of points")


class AgendaVersion(models.Model):
    """One version of a cluster's agenda; number 1, 2, 3... within the cluster."""

    cluster = models.ForeignKey(Cluster, on_delete=models.CASCADE, related_name="agenda_versions")
    number = models.PositiveIntegerField(_("version"))
    title = models.CharField(_("title"), max_length=TITLE_MAX_LENGTH)
    summary = models.TextField(_("summary"), max_length=TEXT_MAX_LENGTH, blank=True)
    phase = models.CharField(_("phase"), max_length=16, choices=Phase.choices, default=Phase.DRAFT)
    based_on = models.ForeignKey(
        "self",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="successors",
        verbose_name=_("based on"),
    )
    voting_method = models.CharField(
        _("voting method"),
        max_length=16,
        choices=VotingMethod.choices,
        default=VotingMethod.APPROVAL,
    )
    # Points method: how many points each member organization spreads over the items.
    points_budget = models.PositiveIntegerField(_("points per organization"), default=10)
    consultation_opens_at = models.DateTimeField(_("consultation opens"), null=True, blank=True)
    consultation_closes_at = models.DateTimeField(_("consultation closes"), null=True, blank=True)
    approved_at = models.DateTimeField(null=True, blank=True)
    published_at = models.DateTimeField(null=True, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="agenda_versions_created",
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["cluster", "-number"]
        constraints = [
            models.UniqueConstraint(fields=["cluster", "number"], name="agenda_version_number"),
            models.CheckConstraint(
                condition=Q(consultation_closes_at__isnull=True)
                | Q(consultation_opens_at__isnull=True)
                | Q(consultation_closes_at__gt=models.F("consultation_opens_at")),
                name="agenda_consultation_closes_after_opening",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.cluster} · v{self.number} · {self.title}"

    def consultation_is_open(self, now: datetime) -> bool:
        """Comments, amendments and ballots are taken only while this is true."""
        return (
            self.phase == Phase.CONSULTATION
            and self.consultation_opens_at is not None
            and self.consultation_closes_at is not None
            and self.consultation_opens_at <= now < self.consultation_closes_at
        )


class ItemStatus(models.TextChoices):
    ACTIVE = "active", _("Active")
    SPLIT = "split", _("Split into other items")
    MERGED = "merged", _("Merged into another item")
    REMOVED = "removed", _("Removed")


class AgendaItem(models.Model):
    """A priority of the agenda. Only active items are shown, voted on and carried over; split,
    merged and removed ones stay for the history and the lineage."""

    version = models.ForeignKey(AgendaVersion, on_delete=models.CASCADE, related_name="items")
    position = models.PositiveIntegerField(_("position"), default=0)
    title = models.CharField(_("title"), max_length=TITLE_MAX_LENGTH)
    priority_area = models.ForeignKey(
        S3Theme,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="agenda_items",
        verbose_name=_("priority area"),
    )
    objective = models.TextField(_("objective"), max_length=TEXT_MAX_LENGTH)
    planned_actions = models.TextField(_("planned actions"), max_length=TEXT_MAX_LENGTH, blank=True)
    responsible = models.CharField(_("responsible people"), max_length=TITLE_MAX_LENGTH, blank=True)
    starts_on = models.DateField(_("starts"), null=True, blank=True)
    ends_on = models.DateField(_("ends"), null=True, blank=True)
    contributions = models.ManyToManyField(
        Contribution, blank=True, related_name="agenda_items", verbose_name=_("contributions")
    )
    topics = models.ManyToManyField(
        Topic, blank=True, related_name="agenda_items", verbose_name=_("trends")
    )
    status = models.CharField(
        _("status"), max_length=16, choices=ItemStatus.choices, default=ItemStatus.ACTIVE
    )
    # Incremented by every edit; a write that names an older revision is a conflict.
    revision = models.PositiveIntegerField(default=1)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["version", "position", "id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(ends_on__isnull=True)
                | Q(starts_on__isnull=True)
                | Q(ends_on__gte=models.F("starts_on")),
                name="agenda_item_ends_after_start",
            )
        ]

    def __str__(self) -> str:
        return self.title


class LineageKind(models.TextChoices):
    CARRIED = "carried", _("Carried over")
    SPLIT = "split", _("Split")
    MERGED = "merged", _("Merged")


class ItemLineage(models.Model):
    """`child` descends from `parent`: in the next version (carried), or by a split or merge."""

    parent = models.ForeignKey(AgendaItem, on_delete=models.CASCADE, related_name="child_links")
    child = models.ForeignKey(AgendaItem, on_delete=models.CASCADE, related_name="parent_links")
    kind = models.CharField(max_length=16, choices=LineageKind.choices)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["parent", "child"], name="agenda_lineage_unique"),
            models.CheckConstraint(
                condition=~Q(parent=models.F("child")), name="agenda_lineage_not_self"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.parent_id} → {self.child_id} ({self.kind})"


class ItemEventKind(models.TextChoices):
    CREATED = "created", _("Created")
    EDITED = "edited", _("Edited")
    SPLIT = "split", _("Split")
    MERGED = "merged", _("Merged")
    AMENDED = "amended", _("Amendment accepted")
    REMOVED = "removed", _("Removed")


class ItemEvent(models.Model):
    """History of an item: who changed what, with the fields before and after."""

    item = models.ForeignKey(
        AgendaItem, null=True, on_delete=models.SET_NULL, related_name="events"
    )
    version = models.ForeignKey(AgendaVersion, on_delete=models.CASCADE, related_name="item_events")
    kind = models.CharField(max_length=16, choices=ItemEventKind.choices)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="agenda_item_events",
    )
    before = models.JSONField(default=dict, blank=True)
    after = models.JSONField(default=dict, blank=True)
    note = models.CharField(max_length=REASON_MAX_LENGTH, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-created_at", "-id"]

    def __str__(self) -> str:
        return f"{self.kind} · {self.created_at:%Y-%m-%d}"


class Kpi(models.Model):
    """A key performance indicator of an item: a target, and (once recorded) where it stands."""

    item = models.ForeignKey(AgendaItem, on_delete=models.CASCADE, related_name="kpis")
    name = models.CharField(_("indicator"), max_length=TITLE_MAX_LENGTH)
    unit = models.CharField(_("unit"), max_length=40, blank=True)
    baseline = models.DecimalField(_("baseline"), max_digits=14, decimal_places=2, default=0)
    target = models.DecimalField(_("target"), max_digits=14, decimal_places=2)
    current = models.DecimalField(
        _("current value"), max_digits=14, decimal_places=2, null=True, blank=True
    )
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["item", "id"]

    def __str__(self) -> str:
        return self.name


class Milestone(models.Model):
    """A step of an item's delivery (Decidim's accountability): done or not, with a date."""

    item = models.ForeignKey(AgendaItem, on_delete=models.CASCADE, related_name="milestones")
    title = models.CharField(_("milestone"), max_length=TITLE_MAX_LENGTH)
    due_on = models.DateField(_("due"), null=True, blank=True)
    done_on = models.DateField(_("done"), null=True, blank=True)

    class Meta:
        ordering = ["item", "due_on", "id"]

    def __str__(self) -> str:
        return self.title


class ItemComment(models.Model):
    item = models.ForeignKey(AgendaItem, on_delete=models.CASCADE, related_name="comments")
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        on_delete=models.SET_NULL,
        related_name="agenda_comments",
    )
    organization = models.ForeignKey(
        Organization, on_delete=models.CASCADE, related_name="agenda_comments"
    )
    text = models.TextField(_("comment"), max_length=COMMENT_MAX_LENGTH)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["created_at", "id"]

    def __str__(self) -> str:
        return self.text[:60]


class AmendmentStatus(models.TextChoices):
    PENDING = "pending", _("Awaiting decision")
    ACCEPTED = "accepted", _("Accepted")
    REJECTED = "rejected", _("Rejected")


class Amendment(models.Model):
    """A member organization's proposed new wording of an item; the manager decides, with a
    reason shown to all. Accepting applies the wording to the item (an `amended` event)."""

    item = models.ForeignKey(AgendaItem, on_delete=models.CASCADE, related_name="amendments")
    organization = models.ForeignKey(
        Organization, on_delete=models.CASCADE, related_name="agenda_amendments"
    )
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        on_delete=models.SET_NULL,
        related_name="agenda_amendments",
    )
    title = models.CharField(_("proposed title"), max_length=TITLE_MAX_LENGTH, blank=True)
    objective = models.TextField(_("proposed objective"), max_length=TEXT_MAX_LENGTH, blank=True)
    planned_actions = models.TextField(
        _("proposed planned actions"), max_length=TEXT_MAX_LENGTH, blank=True
    )
    rationale = models.TextField(_("why"), max_length=COMMENT_MAX_LENGTH)
    status = models.CharField(
        max_length=16, choices=AmendmentStatus.choices, default=AmendmentStatus.PENDING
    )
    decision_reason = models.CharField(_("reason"), max_length=REASON_MAX_LENGTH, blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="agenda_amendments_decided",
    )
    decided_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["created_at", "id"]

    def __str__(self) -> str:
        return f"{self.organization} · {self.get_status_display()}"


class Ballot(models.Model):
    """A member organization's vote on one item: support (approval method) or points."""

    item = models.ForeignKey(AgendaItem, on_delete=models.CASCADE, related_name="ballots")
    organization = models.ForeignKey(
        Organization, on_delete=models.CASCADE, related_name="agenda_ballots"
    )
    cast_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        on_delete=models.SET_NULL,
        related_name="agenda_ballots",
    )
    # Approval: 1 supports, 0 does not. Points: the points given (their sum per version and
    # organization stays within the version's budget, checked by the service under a lock).
    value = models.PositiveIntegerField()
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["item", "organization"], name="agenda_one_ballot_per_organization"
            )
        ]

    def __str__(self) -> str:
        return f"{self.organization} · {self.value}"
