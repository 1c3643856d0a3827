"""Matchmaking: the vectors stored with each organization, and people's saved searches."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from clusterhub.registry.models import Organization

# Longest need a person may describe (forms and API refuse longer ones).
QUERY_MAX_LENGTH = 1000


class OrganizationEmbedding(models.Model):
    """One encoder's vector of an organization's searchable text.

    `text_hash` identifies the text it was computed from: a rebuild reuses the vector while
    the hash still matches, and encodes the organization again when its profile changed.
    """

    # No reverse accessor: derived data, never moved by a merge (it is recomputed), and
    # deleted with its organization.
    organization = models.ForeignKey(Organization, on_delete=models.CASCADE, related_name="+")
    encoder = models.CharField(max_length=40)
    text_hash = models.CharField(max_length=64)
    dim = models.PositiveSmallIntegerField()
    # float32, little-endian, `dim` values.
    vector = models.BinaryField()
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["organization", "encoder"], name="organization_embedding_unique"
            )
        ]

    def __str__(self) -> str:
        return f"{self.encoder} vector of {self.organization_id}"


class SavedSearch(models.Model):
    """A need a person described, kept so that new matching organizations can be reported."""

    person = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="saved_searches"
    )
    query = models.CharField(_("need"), max_length=QUERY_MAX_LENGTH)
    # {"cluster": slug, "kind": code, "province": NUTS-3, "htn": "yes"/"no"}; absent = any.
    filters = models.JSONField(_("filters"), default=dict, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    last_checked_at = models.DateTimeField(null=True, blank=True)
    # Ids of the organizations already reported for this search (shown, or in a digest).
    known_result_ids = models.JSONField(default=list, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("saved search")
        verbose_name_plural = _("saved searches")

    def __str__(self) -> str:
        return self.query[:80]


class ConsortiumRole(models.TextChoices):
    """A place to fill in a consortium; each stands for one or more kinds of organization."""

    RESEARCH = "research", _("Lab or university")
    FIRM = "firm", _("Firm")
    FINAL_USER = "final_user", _("Final user")
    INTERMEDIARY = "intermediary", _("Intermediary")
    PUBLIC_BODY = "public_body", _("Public body")
    ASSOCIATION = "association", _("Association")


ROLE_KINDS: dict[str, tuple[str, ...]] = {
    ConsortiumRole.RESEARCH: ("research_lab", "university", "innovation_centre"),
    ConsortiumRole.FIRM: ("firm",),
    ConsortiumRole.FINAL_USER: ("final_user",),
    ConsortiumRole.INTERMEDIARY: ("intermediary",),
    ConsortiumRole.PUBLIC_BODY: ("public_body",),
    ConsortiumRole.ASSOCIATION: ("association",),
}
DEFAULT_CONSORTIUM_ROLES = (ConsortiumRole.RESEARCH, ConsortiumRole.FIRM, ConsortiumRole.FINAL_USER)
