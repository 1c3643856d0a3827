"""Writes of the projects app: the review queue's decisions.

Imports write through `importing.import_projects`; import jobs through `import_jobs`.
"""

from __future__ import annotations

from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from clusterhub.projects.merging import organization_merge
from clusterhub.projects.models import MatchMethod, MatchStatus, ParticipantMatch, Participation

CORDIS_SOURCE = "cordis"


def _siblings(match: ParticipantMatch) -> Q:
    """Pending matches of the same participant (same key, any project) to the same candidate."""
    return Q(
        status=MatchStatus.PENDING,
        candidate_id=match.candidate_id,
        participation__participant_key=match.participation.participant_key,
    )


def _decide(matches: Any, status: str, actor: Any) -> int:
    return int(
        matches.update(
            status=status,
            decided_by=actor if getattr(actor, "is_authenticated", False) else None,
            decided_at=timezone.now(),
        )
    )


def _locked_pending(match: ParticipantMatch) -> ParticipantMatch:
    locked = (
        ParticipantMatch.objects.select_for_update(of=("self",))
        .select_related("participation", "participation__organization", "candidate")
        .get(pk=match.pk)
    )
    if locked.status != MatchStatus.PENDING:
        raise ValidationError(
            _("This match was already %(status)s.")
            % {"status": locked.get_status_display().lower()},
            code="decided",
        )
    return locked


@transaction.atomic
def match_confirm(*, match: ParticipantMatch, actor: Any) -> ParticipantMatch:
    """The participant is the candidate organization.

    Its participations (in every project, found by its PIC or name) are linked to the
    candidate. If the import had created an organization of its own for it (source "cordis"),
    that duplicate is merged into the candidate with its history (memberships, roles and
    participations moved, see `merging.organization_merge`). The participant's other pending
    candidates are rejected.
    """
    match = _locked_pending(match)
    participation = match.participation
    candidate = match.candidate
    own = participation.organization
    if own is not None and own.pk != candidate.pk:
        if own.source == CORDIS_SOURCE:
            organization_merge(
                kept=candidate,
                merged=own,
                actor=actor,
                reason=str(
                    _("Same participant of EU project %(project)s, confirmed in the review queue.")
                    % {"project": participation.project}
                ),
            )
        else:
            # A registry organization of its own: relink only this participant's rows.
            Participation.objects.filter(
                organization=own, participant_key=participation.participant_key
            ).update(organization=candidate)
    siblings = ParticipantMatch.objects.filter(_siblings(match))
    participation_ids = {participation.pk, *siblings.values_list("participation_id", flat=True)}
    Participation.objects.filter(pk__in=participation_ids).filter(
        Q(organization__isnull=True) | Q(organization=candidate)
    ).update(organization=candidate, in_region=True, match_method=MatchMethod.REVIEW)
    _decide(siblings, MatchStatus.CONFIRMED, actor)
    others = ParticipantMatch.objects.filter(
        status=MatchStatus.PENDING, participation_id__in=participation_ids
    ).exclude(candidate=candidate)
    _decide(others, MatchStatus.REJECTED, actor)
    match.refresh_from_db()
    return match


@transaction.atomic
def match_reject(*, match: ParticipantMatch, actor: Any) -> ParticipantMatch:
    """The participant is not the candidate: this match, and the same pair in other projects,
    leave the queue; the participation keeps its own organization (or none). A later import
    never proposes the pair again."""
    match = _locked_pending(match)
    _decide(ParticipantMatch.objects.filter(_siblings(match)), MatchStatus.REJECTED, actor)
    match.refresh_from_db()
    return match
