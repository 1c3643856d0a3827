"""Every write of an agenda consultation: comments, amendments (proposed by members, accepted
or rejected by the managers with a reason shown to all) and ballots.

Rules kept here, whoever calls (the pages, the API, the demo):
- members take part through their organization: one with an active membership of the
  version's cluster (`can_take_part`); anyone else is refused (PermissionDenied);
- comments, amendments and ballots are taken only while `version.consultation_is_open(now)`;
  after the closing date everything is refused with the reason;
- one ballot per organization and item (a database constraint); casting again changes it.
  Ballots of one organization are serialized by a lock on the organization's row, so parallel
  requests end with exactly one ballot and the points budget is never exceeded;
- an accepted amendment changes the item through `item_update` (the revision check included)
  and its history records it as "amended", with the manager's reason.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Sum
from django.utils import timezone
from django.utils.translation import gettext as _

from clusterhub.agenda.models import (
    COMMENT_MAX_LENGTH,
    REASON_MAX_LENGTH,
    TEXT_MAX_LENGTH,
    TITLE_MAX_LENGTH,
    AgendaItem,
    AgendaVersion,
    Amendment,
    AmendmentStatus,
    Ballot,
    ItemComment,
    ItemEvent,
    ItemEventKind,
    ItemStatus,
    VotingMethod,
)
from clusterhub.agenda.selectors import can_take_part, manages
from clusterhub.agenda.services import _text, item_update
from clusterhub.registry.models import Organization

# How many times a ballot is retried when a parallel insert won the unique constraint.
BALLOT_ATTEMPTS = 3


def _fresh_version(item: AgendaItem) -> AgendaVersion:
    return AgendaVersion.objects.select_related("cluster").get(pk=item.version_id)


def closed_reason(version: AgendaVersion, now: datetime) -> str:
    """Why the consultation takes nothing at `now` ("" when it is open)."""
    if version.consultation_is_open(now):
        return ""
    if version.phase != "consultation" or version.consultation_opens_at is None:
        return _("This version is not in consultation: comments, amendments and votes are closed.")
    if now < version.consultation_opens_at:
        return _("The consultation has not opened yet.")
    return _("The consultation closed on %(date)s: comments, amendments and votes are over.") % {
        "date": timezone.localtime(version.consultation_closes_at).strftime("%Y-%m-%d %H:%M")
    }


def _open(item: AgendaItem, now: datetime) -> AgendaVersion:
    version = _fresh_version(item)
    reason = closed_reason(version, now)
    if reason:
        raise ValidationError(reason)
    if item.status != ItemStatus.ACTIVE:
        raise ValidationError(_("This item is no longer part of the agenda."))
    return version


def _participant(actor: Any, version: AgendaVersion) -> Organization:
    organization = can_take_part(actor, version)
    if organization is None:
        raise PermissionDenied(
            _("Only people of the cluster's member organizations take part in its consultation.")
        )
    return organization


@transaction.atomic
def comment_create(
    *, item: AgendaItem, actor: Any, text: str, now: datetime | None = None
) -> ItemComment:
    """A member organization's comment on an item, while the consultation is open."""
    version = _open(item, now or timezone.now())
    organization = _participant(actor, version)
    comment = ItemComment(
        item=item,
        author=actor,
        organization=organization,
        text=_text(text, "text", COMMENT_MAX_LENGTH, required=True),
    )
    comment.full_clean()
    comment.save()
    return comment


@transaction.atomic
def amendment_propose(
    *,
    item: AgendaItem,
    actor: Any,
    rationale: str,
    title: str = "",
    objective: str = "",
    planned_actions: str = "",
    now: datetime | None = None,
) -> Amendment:
    """Propose new wording for an item (any of title, objective, planned actions), with the
    reason for it. The managers accept or reject it."""
    version = _open(item, now or timezone.now())
    organization = _participant(actor, version)
    amendment = Amendment(
        item=item,
        organization=organization,
        author=actor,
        title=_text(title, "title", TITLE_MAX_LENGTH, line=True),
        objective=_text(objective, "objective", TEXT_MAX_LENGTH),
        planned_actions=_text(planned_actions, "planned_actions", TEXT_MAX_LENGTH),
        rationale=_text(rationale, "rationale", COMMENT_MAX_LENGTH, required=True),
    )
    proposed = {
        name: getattr(amendment, name)
        for name in ("title", "objective", "planned_actions")
        if getattr(amendment, name)
    }
    if not any(getattr(item, name) != value for name, value in proposed.items()):
        raise ValidationError(
            {
                "title": [
                    _(
                        "Propose a new title, objective or planned actions that differ from "
                        "the item's."
                    )
                ]
            }
        )
    amendment.full_clean()
    amendment.save()
    return amendment


def _decidable(amendment: Amendment, actor: Any, reason: str) -> tuple[Amendment, str]:
    locked = (
        Amendment.objects.select_for_update()
        .select_related("item__version__cluster", "organization")
        .get(pk=amendment.pk)
    )
    if not manages(actor, locked.item.version.cluster):
        raise PermissionDenied(_("Only the cluster's managers decide on amendments."))
    if locked.status != AmendmentStatus.PENDING:
        raise ValidationError(
            _("This amendment was already %(status)s.")
            % {"status": locked.get_status_display().lower()}
        )
    return locked, _text(reason, "decision_reason", REASON_MAX_LENGTH, required=True, line=True)


def _decide(locked: Amendment, actor: Any, status: str, reason: str, now: datetime) -> Amendment:
    locked.status = status
    locked.decision_reason = reason
    locked.decided_by = actor
    locked.decided_at = now
    locked.full_clean(exclude=["author"])  # the author may have been erased since
    locked.save(update_fields=["status", "decision_reason", "decided_by", "decided_at"])
    return locked


@transaction.atomic
def amendment_accept(
    *,
    amendment: Amendment,
    actor: Any,
    reason: str,
    revision: int | None = None,
    now: datetime | None = None,
) -> Amendment:
    """Apply the proposed wording to the item (through `item_update`, so a frozen version or
    a stale `revision` is refused and nothing changes) and record the decision. `revision`:
    the item revision the manager looked at; by default the item's current one."""
    locked, reason = _decidable(amendment, actor, reason)
    item = locked.item
    changes = {
        name: getattr(locked, name)
        for name in ("title", "objective", "planned_actions")
        if getattr(locked, name)
    }
    current = revision if revision is not None else item.revision
    updated = item_update(item=item, actor=actor, revision=current, **changes)
    event = ItemEvent.objects.filter(item=updated).order_by("-id").first()
    if event is not None:
        note = _("Amendment by %(organization)s: %(reason)s") % {
            "organization": locked.organization.name,
            "reason": reason,
        }
        event.kind = ItemEventKind.AMENDED
        event.note = note[:REASON_MAX_LENGTH]
        event.save(update_fields=["kind", "note"])
    return _decide(locked, actor, AmendmentStatus.ACCEPTED, reason, now or timezone.now())


@transaction.atomic
def amendment_reject(
    *, amendment: Amendment, actor: Any, reason: str, now: datetime | None = None
) -> Amendment:
    """Turn the amendment down; the reason is shown to everyone who sees the item."""
    locked, reason = _decidable(amendment, actor, reason)
    return _decide(locked, actor, AmendmentStatus.REJECTED, reason, now or timezone.now())


def points_used(version: AgendaVersion, organization: Organization, *, exclude: int = 0) -> int:
    """Points the organization gave the version's active items (but item `exclude`)."""
    used = (
        Ballot.objects.filter(
            item__version=version, item__status=ItemStatus.ACTIVE, organization=organization
        )
        .exclude(item_id=exclude)
        .aggregate(total=Sum("value"))["total"]
    )
    return int(used or 0)


def _checked_value(
    version: AgendaVersion, organization: Organization, item: AgendaItem, value: Any
) -> int:
    try:
        number = int(value)
    except (TypeError, ValueError):
        number = -1
    if version.voting_method == VotingMethod.APPROVAL:
        if number not in (0, 1):
            raise ValidationError({"value": [_("Vote 1 (support) or 0 (no support).")]})
        return number
    if number < 0 or number > version.points_budget:
        raise ValidationError(
            {
                "value": [
                    _("Give between 0 and %(budget)d points.") % {"budget": version.points_budget}
                ]
            }
        )
    left = version.points_budget - points_used(version, organization, exclude=item.pk)
    if number > left:
        raise ValidationError(
            {
                "value": [
                    _(
                        "Your organization has %(left)d of its %(budget)d points left for this "
                        "item: give at most %(left)d."
                    )
                    % {"left": left, "budget": version.points_budget}
                ]
            }
        )
    return number


def ballot_cast(*, item: AgendaItem, actor: Any, value: Any, now: datetime | None = None) -> Ballot:
    """Cast or change the organization's ballot on the item. Parallel calls for the same
    organization end with one ballot (the last one wins), never an error."""
    for attempt in range(BALLOT_ATTEMPTS):
        try:
            return _ballot_cast(item=item, actor=actor, value=value, now=now or timezone.now())
        except IntegrityError:
            # A parallel first ballot of the same organization was inserted between our
            # look-up and our insert (only possible without the row lock): try again, now
            # as an update.
            if attempt == BALLOT_ATTEMPTS - 1:
                raise
    raise AssertionError("unreachable")


@transaction.atomic
def _ballot_cast(*, item: AgendaItem, actor: Any, value: Any, now: datetime) -> Ballot:
    version = _open(item, now)
    organization = _participant(actor, version)
    # One organization's ballots, one at a time: the budget check and the insert-or-update
    # see every earlier ballot of the organization.
    Organization.objects.select_for_update().filter(pk=organization.pk).first()
    number = _checked_value(version, organization, item, value)
    ballot, _created = Ballot.objects.update_or_create(
        item=item, organization=organization, defaults={"value": number, "cast_by": actor}
    )
    return ballot


@transaction.atomic
def ballot_withdraw(*, item: AgendaItem, actor: Any, now: datetime | None = None) -> bool:
    """Take back the organization's ballot on the item; False when there was none."""
    version = _open(item, now or timezone.now())
    organization = _participant(actor, version)
    Organization.objects.select_for_update().filter(pk=organization.pk).first()
    deleted, _rows = Ballot.objects.filter(item=item, organization=organization).delete()
    return bool(deleted)
