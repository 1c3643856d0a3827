"""Writes of opportunities: create and edit (managers for their clusters, officers for all),
publish a member's contribution as an opportunity, and keep each opportunity's vector."""

from collections.abc import Sequence
from datetime import date
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from clusterhub.opportunities.models import Opportunity, OpportunityKind, OpportunitySource
from clusterhub.opportunities.ranking import encode, opportunity_text, text_digest
from clusterhub.regions.models import Cluster, S3Theme
from clusterhub.registry.selectors import clusters_managed_by

EDITABLE_FIELDS = (
    "kind",
    "title",
    "programme",
    "description",
    "deadline",
    "budget",
    "eligibility",
    "url",
)
# Kinds of contribution that can become an opportunity (their values match OpportunityKind).
PUBLISHABLE_CONTRIBUTION_KINDS = (OpportunityKind.FINANCING, OpportunityKind.INTERNATIONALIZATION)


def clean_text(value: Any) -> str:
    """Text as stored: NULs and other control characters (but newlines and tabs) removed."""
    text = str(value or "")
    return "".join(ch for ch in text if ch in "\n\t" or ch.isprintable()).strip()


def _check_clusters(*, actor: Any, clusters: Sequence[Cluster]) -> None:
    """A manager publishes for the clusters they manage (at least one); officers for any."""
    if getattr(actor, "is_regional_officer", False):
        return
    managed = set(clusters_managed_by(actor).values_list("pk", flat=True))
    if not managed:
        raise PermissionDenied(
            _("Only cluster managers and regional officers publish opportunities.")
        )
    if not clusters:
        raise ValidationError({"clusters": _("Choose at least one cluster you manage.")})
    foreign = [c.name for c in clusters if c.pk not in managed]
    if foreign:
        raise ValidationError(
            {"clusters": _("You do not manage: %(names)s.") % {"names": ", ".join(foreign)}}
        )


def _embed(opportunities: Sequence[Opportunity]) -> None:
    """Compute the vector of each opportunity whose text changed (one encoder call)."""
    pending = []
    for opportunity in opportunities:
        text = opportunity_text(opportunity, list(opportunity.s3_themes.all()))
        digest = text_digest(text)
        if digest != opportunity.text_hash or not opportunity.vector:
            pending.append((opportunity, text, digest))
    if not pending:
        return
    vectors = encode([text for _o, text, _d in pending])
    for (opportunity, _text, digest), vector in zip(pending, vectors, strict=True):
        opportunity.vector = vector
        opportunity.text_hash = digest if vector else ""
        opportunity.save(update_fields=["vector", "text_hash"])


def _prepared(fields: dict[str, Any]) -> dict[str, Any]:
    unknown = set(fields) - set(EDITABLE_FIELDS)
    if unknown:
        raise TypeError(f"Not editable: {', '.join(sorted(unknown))}")
    return {
        name: clean_text(value) if name not in ("deadline", "budget") else value
        for name, value in fields.items()
    }


@transaction.atomic
def opportunity_create(
    *,
    actor: Any,
    kind: str,
    title: str,
    programme: str,
    deadline: date,
    clusters: Sequence[Cluster] = (),
    s3_themes: Sequence[S3Theme] = (),
    source: str = OpportunitySource.MANUAL,
    contribution: Any = None,
    embed: bool = True,
    **fields: Any,
) -> Opportunity:
    _check_clusters(actor=actor, clusters=clusters)
    values = _prepared(
        {"kind": kind, "title": title, "programme": programme, "deadline": deadline, **fields}
    )
    opportunity = Opportunity(
        source=source,
        contribution=contribution,
        created_by=actor if getattr(actor, "is_authenticated", False) else None,
        **values,
    )
    opportunity.full_clean()
    opportunity.save()
    opportunity.clusters.set(clusters)
    opportunity.s3_themes.set(s3_themes)
    if embed:
        _embed([opportunity])
    return opportunity


@transaction.atomic
def opportunity_update(
    *,
    opportunity: Opportunity,
    actor: Any,
    clusters: Sequence[Cluster] | None = None,
    s3_themes: Sequence[S3Theme] | None = None,
    embed: bool = True,
    **fields: Any,
) -> Opportunity:
    """Change an opportunity (the caller found it with `opportunity_get_for_editor`)."""
    locked = Opportunity.objects.select_for_update().get(pk=opportunity.pk)
    if clusters is not None:
        _check_clusters(actor=actor, clusters=clusters)
    values = _prepared(fields)
    for name, value in values.items():
        setattr(locked, name, value)
    locked.full_clean()
    locked.save(update_fields=[*values, "updated_at"])
    if clusters is not None:
        kept: list[Cluster] = []
        if not getattr(actor, "is_regional_officer", False):
            # A manager edits their clusters' share; other clusters' stay as they were.
            managed = set(clusters_managed_by(actor).values_list("pk", flat=True))
            kept = [c for c in locked.clusters.all() if c.pk not in managed]
        locked.clusters.set([*clusters, *kept])
    if s3_themes is not None:
        locked.s3_themes.set(s3_themes)
    if embed:
        _embed([locked])
    return locked


def opportunities_embed(opportunities: Sequence[Opportunity]) -> None:
    """Vectors for opportunities written in bulk (the import), in one encoder call."""
    with transaction.atomic():
        _embed(opportunities)


@transaction.atomic
def opportunity_publish_contribution(
    *,
    actor: Any,
    contribution: Any,
    deadline: date,
    programme: str,
    url: str = "",
    budget: int | None = None,
    eligibility: str = "",
) -> Opportunity:
    """Publish a member's approved financing or internationalization contribution as an
    opportunity of the feed (its title, text, clusters and themes; the manager adds the
    deadline and programme). Publishing it again returns the opportunity already made."""
    from clusterhub.contributions.models import ContributionStatus

    existing = Opportunity.objects.filter(contribution=contribution).first()
    if existing is not None:
        return existing
    if contribution.kind not in PUBLISHABLE_CONTRIBUTION_KINDS:
        raise ValidationError(
            {"contribution": _("Only financing and internationalization posts can be published.")}
        )
    if contribution.status != ContributionStatus.APPROVED:
        raise ValidationError({"contribution": _("Only an approved post can be published.")})
    clusters = list(contribution.clusters.all())
    if not getattr(actor, "is_regional_officer", False):
        managed = set(clusters_managed_by(actor).values_list("pk", flat=True))
        clusters = [c for c in clusters if c.pk in managed]
    return opportunity_create(
        actor=actor,
        kind=contribution.kind,
        title=contribution.title[:300],
        programme=programme,
        deadline=deadline,
        description=contribution.text,
        url=url,
        budget=budget,
        eligibility=eligibility,
        clusters=clusters,
        s3_themes=list(contribution.s3_themes.all()),
        source=OpportunitySource.CONTRIBUTION,
        contribution=contribution,
    )
