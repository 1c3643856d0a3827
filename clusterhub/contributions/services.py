"""Every write of contributions: posting, endorsing, commenting, moderating, merging.

The HTML views and the API call these; each checks what only it can know (the author speaks
for that organization, the clusters are that organization's), validates with `full_clean`,
and records moderation steps in `ContributionEvent`. The access to the contribution itself
(may this person see it? moderate it?) is checked by the selectors that fetched it.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _

from clusterhub.audit.models import AuditAction
from clusterhub.audit.services import record_audit
from clusterhub.contributions.analysis import (
    DUPLICATE_THRESHOLD,
    ENCODER,
    TagSuggestions,
    embed,
    language_of,
    suggest_tags,
    to_bytes,
)
from clusterhub.contributions.models import (
    COMMENT_MAX_LENGTH,
    REASON_MAX_LENGTH,
    TEXT_MAX_LENGTH,
    Comment,
    Contribution,
    ContributionAction,
    ContributionEvent,
    ContributionStatus,
    Endorsement,
)
from clusterhub.contributions.selectors import (
    OPEN_STATUSES,
    endorsing_organizations,
    posting_clusters,
    similar_contributions,
)
from clusterhub.regions.models import Cluster, Competence, S3Theme
from clusterhub.registry.models import Organization

# Control characters other than tab and newline (pasted from PDFs, or hostile).
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f]")


def clean_text(value: str) -> str:
    """Line ends made "\\n", control characters dropped, surrounding space stripped."""
    return _CONTROL.sub("", value.replace("\r\n", "\n").replace("\r", "\n")).strip()


def clean_line(value: str) -> str:
    """A one-line text (a title): every run of spaces and line ends becomes one space."""
    return " ".join(clean_text(value).split())


def _required(value: str, field: str) -> None:
    if not value:
        raise ValidationError({field: [_("This field cannot be blank.")]})


def _at_most(value: str, limit: int, field: str) -> None:
    if len(value) > limit:
        raise ValidationError(
            {
                field: [
                    _("At most %(limit)d characters (this text has %(count)d).")
                    % {"limit": limit, "count": len(value)}
                ]
            }
        )


def _snapshot(contribution: Contribution) -> dict[str, Any]:
    return {
        "status": contribution.status,
        "merged_into": contribution.merged_into_id,
        "close_reason": contribution.close_reason,
    }


def _record(
    contribution: Contribution,
    *,
    actor: Any,
    action: str,
    before: dict[str, Any] | None = None,
    after: dict[str, Any] | None = None,
    note: str = "",
) -> ContributionEvent:
    event = ContributionEvent.objects.create(
        contribution=contribution,
        actor=actor if getattr(actor, "is_authenticated", False) else None,
        action=action,
        before=before or {},
        after=after or {},
        note=note[:REASON_MAX_LENGTH],
    )
    if action in AUDITED:
        # The moderation steps also go to the region's audit trail, in this transaction.
        record_audit(
            actor=actor,
            action=AUDITED[action],
            target=contribution,
            target_label=contribution.title,
            cluster=contribution.clusters.order_by("pk").first(),
            before=before,
            after={"step": action, **(after or {})},
            note=note,
        )
    return event


# Moderation steps recorded in the audit trail (a merge's other half, ABSORBED, is in the
# merge's entry: `after.merged_into`).
AUDITED = {
    ContributionAction.APPROVED: AuditAction.MODERATION,
    ContributionAction.CLOSED: AuditAction.MODERATION,
    ContributionAction.REOPENED: AuditAction.MODERATION,
    ContributionAction.MERGED: AuditAction.MERGE,
}


@dataclass(frozen=True)
class ContributionCheck:
    """What the author sees before posting: language, suggested tags, similar contributions."""

    language: str
    tags: TagSuggestions
    similar: list[tuple[Contribution, float]]


def contribution_check(
    *, viewer: Any, title: str, text: str, clusters: Iterable[Cluster]
) -> ContributionCheck:
    """Read a draft: no write. Similar contributions are those the viewer may see (endorse)."""
    body = f"{clean_line(title)}\n{clean_text(text)}".strip()
    if not body:
        return ContributionCheck("en", TagSuggestions([], []), [])
    vector = embed(body)
    clusters = list(clusters)
    cluster_ids = [cluster.pk for cluster in clusters]
    similar = (
        similar_contributions(vector=vector, cluster_ids=cluster_ids, viewer=viewer)
        if cluster_ids
        else []
    )
    return ContributionCheck(language_of(body), suggest_tags(body, clusters), similar)


@transaction.atomic
def contribution_create(
    *,
    author: Any,
    organization: Organization,
    kind: str,
    title: str,
    text: str,
    clusters: Iterable[Cluster],
    s3_themes: Iterable[S3Theme] = (),
    competences: Iterable[Competence] = (),
    visibility: str = "members",
    language: str = "",
) -> Contribution:
    """Post a contribution for `organization`, pending moderation.

    The author must belong to the organization, and the clusters be ones it is an active
    member of. The closest open contribution of the same clusters, when its cosine reaches
    DUPLICATE_THRESHOLD, is recorded as a suspected duplicate for the managers.
    """
    if not organization.person_roles.filter(person=author).exists():
        raise PermissionDenied(_("You may post only for an organization you belong to."))
    chosen = list(dict.fromkeys(clusters))
    allowed = set(posting_clusters([organization]).values_list("id", flat=True))
    if not chosen:
        raise ValidationError({"clusters": [_("Choose at least one cluster.")]})
    outside = [cluster.name for cluster in chosen if cluster.pk not in allowed]
    if outside:
        raise ValidationError(
            {
                "clusters": [
                    _("%(organization)s is not an active member of: %(clusters)s.")
                    % {"organization": organization.name, "clusters": ", ".join(outside)}
                ]
            }
        )
    title = clean_line(title)
    text = clean_text(text)
    _required(title, "title")
    _required(text, "text")
    _at_most(text, TEXT_MAX_LENGTH, "text")
    body = f"{title}\n{text}"
    vector = embed(body)
    contribution = Contribution(
        author=author,
        organization=organization,
        kind=kind,
        title=title,
        text=text,
        visibility=visibility,
        language=language or language_of(body),
        status=ContributionStatus.PENDING,
        embedding=to_bytes(vector),
        encoder=ENCODER,
    )
    found = similar_contributions(
        vector=vector, cluster_ids=[c.pk for c in chosen], threshold=DUPLICATE_THRESHOLD, limit=1
    )
    if found:
        contribution.suspected_duplicate, contribution.duplicate_score = found[0]
    contribution.full_clean(exclude=["embedding"])
    contribution.save()
    contribution.clusters.set(chosen)
    contribution.s3_themes.set(list(s3_themes))
    contribution.competences.set(list(competences))
    _record(
        contribution,
        actor=author,
        action=ContributionAction.POSTED,
        after={
            "status": contribution.status,
            "suspected_duplicate": contribution.suspected_duplicate_id,
            "duplicate_score": contribution.duplicate_score,
        },
    )
    return contribution


def _locked(contribution: Contribution) -> Contribution:
    return Contribution.objects.select_for_update().get(pk=contribution.pk)


@transaction.atomic
def endorsement_add(
    *, contribution: Contribution, person: Any, organization: Organization | None = None
) -> Endorsement:
    """`organization` (by default the person's first eligible one) shares this need.

    Endorsing twice is harmless: the existing endorsement is returned.
    """
    eligible = endorsing_organizations(user=person, contribution=contribution)
    if organization is None and eligible:
        organization = eligible[0]
    if organization is None or organization not in eligible:
        raise PermissionDenied(
            _(
                "Only another member organization of this contribution's clusters may endorse "
                "it, once it is approved."
            )
        )
    existing = Endorsement.objects.filter(contribution=contribution, organization=organization)
    if (found := existing.first()) is not None:
        return found
    try:
        with transaction.atomic():
            return Endorsement.objects.create(
                contribution=contribution, organization=organization, person=person
            )
    except IntegrityError:  # the same organization endorsed it at the same moment
        return existing.get()


@transaction.atomic
def endorsement_remove(*, contribution: Contribution, person: Any) -> int:
    """Withdraw the endorsements of the person's organizations; the number withdrawn."""
    deleted, _details = Endorsement.objects.filter(
        contribution=contribution, organization__person_roles__person=person
    ).delete()
    return deleted


def endorsement_toggle(*, contribution: Contribution, person: Any) -> bool:
    """Endorse if none of the person's organizations does yet, else withdraw; True if now
    endorsed."""
    if Endorsement.objects.filter(
        contribution=contribution, organization__person_roles__person=person
    ).exists():
        endorsement_remove(contribution=contribution, person=person)
        return False
    endorsement_add(contribution=contribution, person=person)
    return True


@transaction.atomic
def comment_add(
    *, contribution: Contribution, author: Any, text: str, parent: Comment | None = None
) -> Comment:
    """A comment by `author`, shown with their organization (the one that posted it if
    they belong to it, else their first one; none for managers and officers)."""
    if contribution.status not in OPEN_STATUSES:
        raise PermissionDenied(_("This contribution is closed to new comments."))
    text = clean_text(text)
    _required(text, "text")
    _at_most(text, COMMENT_MAX_LENGTH, "text")
    if parent is not None and parent.contribution_id != contribution.pk:
        raise ValidationError({"parent": [_("Reply to a comment of the same contribution.")]})
    organizations = Organization.objects.filter(person_roles__person=author)
    organization = (
        organizations.filter(pk=contribution.organization_id).first() or organizations.first()
    )
    comment = Comment(
        contribution=contribution,
        author=author,
        organization=organization,
        text=text,
        parent=parent,
    )
    comment.full_clean()
    comment.save()
    return comment


@transaction.atomic
def contribution_approve(*, contribution: Contribution, actor: Any) -> Contribution:
    locked = _locked(contribution)
    if locked.status != ContributionStatus.PENDING:
        raise ValidationError(
            {"status": [_("Only a contribution awaiting moderation is approved.")]}
        )
    before = _snapshot(locked)
    locked.status = ContributionStatus.APPROVED
    locked.save(update_fields=["status", "updated_at"])
    _record(
        locked,
        actor=actor,
        action=ContributionAction.APPROVED,
        before=before,
        after=_snapshot(locked),
    )
    return locked


@transaction.atomic
def contribution_close(*, contribution: Contribution, actor: Any, reason: str) -> Contribution:
    """Close with a reason, which the author and the audience read on its page."""
    locked = _locked(contribution)
    if locked.status not in OPEN_STATUSES:
        raise ValidationError({"status": [_("This contribution is already merged or closed.")]})
    reason = clean_line(reason)
    _required(reason, "reason")
    _at_most(reason, REASON_MAX_LENGTH, "reason")
    before = _snapshot(locked)
    locked.status = ContributionStatus.CLOSED
    locked.close_reason = reason
    locked.full_clean(exclude=["embedding"])
    locked.save(update_fields=["status", "close_reason", "updated_at"])
    _record(
        locked,
        actor=actor,
        action=ContributionAction.CLOSED,
        before=before,
        after=_snapshot(locked),
        note=reason,
    )
    return locked


@transaction.atomic
def contribution_reopen(*, contribution: Contribution, actor: Any) -> Contribution:
    """A closed contribution goes back to the moderation queue."""
    locked = _locked(contribution)
    if locked.status != ContributionStatus.CLOSED:
        raise ValidationError({"status": [_("Only a closed contribution is reopened.")]})
    before = _snapshot(locked)
    locked.status = ContributionStatus.PENDING
    locked.close_reason = ""
    locked.save(update_fields=["status", "close_reason", "updated_at"])
    _record(
        locked,
        actor=actor,
        action=ContributionAction.REOPENED,
        before=before,
        after=_snapshot(locked),
    )
    return locked


@transaction.atomic
def contribution_merge(
    *, contribution: Contribution, into: Contribution, actor: Any
) -> Contribution:
    """Merge a duplicate into the contribution that is kept.

    The duplicate becomes "merged", points to the kept one and keeps its page and comments.
    Its endorsements move to the kept one, and its organization endorses the kept one (it
    shares that need); endorsements the kept one already has from the same organization, and
    the kept one's own organization, are not duplicated: they are listed in the history.
    """
    if contribution.pk == into.pk:
        raise ValidationError({"into": [_("A contribution cannot be merged into itself.")]})
    locked = {
        c.pk: c
        for c in Contribution.objects.select_for_update()
        .filter(pk__in=[contribution.pk, into.pk])
        .order_by("pk")
    }
    duplicate, kept = locked[contribution.pk], locked[into.pk]
    if duplicate.status not in OPEN_STATUSES:
        raise ValidationError({"status": [_("This contribution is already merged or closed.")]})
    if kept.status not in OPEN_STATUSES:
        raise ValidationError({"into": [_("Merge into a contribution that is still open.")]})
    before = _snapshot(duplicate)
    already = set(kept.endorsements.values_list("organization_id", flat=True))
    already.add(kept.organization_id)
    moved, dropped = [], []
    for endorsement in duplicate.endorsements.select_related("organization"):
        if endorsement.organization_id in already:
            dropped.append(endorsement.organization_id)
            endorsement.delete()
        else:
            already.add(endorsement.organization_id)
            moved.append(endorsement.organization_id)
            endorsement.contribution = kept
            endorsement.save(update_fields=["contribution"])
    author_endorses = duplicate.organization_id not in already
    if author_endorses:
        Endorsement.objects.create(
            contribution=kept, organization=duplicate.organization, person=duplicate.author
        )
    duplicate.status = ContributionStatus.MERGED
    duplicate.merged_into = kept
    duplicate.save(update_fields=["status", "merged_into", "updated_at"])
    Contribution.objects.filter(merged_into=duplicate).update(merged_into=kept)
    details = {
        "moved_endorsements": moved,
        "duplicate_endorsements_dropped": dropped,
        "author_organization_endorses": author_endorses,
    }
    _record(
        duplicate,
        actor=actor,
        action=ContributionAction.MERGED,
        before=before,
        after={**_snapshot(duplicate), **details},
    )
    _record(
        kept,
        actor=actor,
        action=ContributionAction.ABSORBED,
        after={"merged": duplicate.pk, **details},
        note=duplicate.title,
    )
    return duplicate
