"""Template tags of the consultation partials on the version page (agenda/version_detail.html
includes them): what one item's and the version's consultation panels show this viewer."""

from typing import Any

from django import template
from django.utils import timezone

from clusterhub.agenda.consultation import closed_reason
from clusterhub.agenda.models import AgendaItem, AgendaVersion, Phase, VotingMethod
from clusterhub.agenda.results import (
    item_amendments,
    item_comments,
    own_ballot,
    panel_figures,
    points_left,
    results_visible,
)
from clusterhub.agenda.selectors import can_take_part, manages

register = template.Library()


def _viewer(context: Any) -> Any:
    request = context.get("request")
    return getattr(request, "user", None)


def _participant(context: Any, version: AgendaVersion) -> Any:
    if "participant_org" in context:
        return context["participant_org"]
    return can_take_part(_viewer(context), version)


@register.simple_tag(takes_context=True)
def item_consultation(context: Any, item: AgendaItem) -> dict[str, Any]:
    """Comments, amendments, the viewer's organization's ballot and what it may do."""
    version = item.version
    now = context.get("now") or timezone.now()
    organization = _participant(context, version)
    is_open = version.consultation_is_open(now)
    comments = list(item_comments(item))
    amendments = list(item_amendments(item))
    ballot = own_ballot(item, organization)
    left = points_left(version, organization)
    return {
        "shown": version.phase != Phase.DRAFT or bool(comments or amendments),
        "open": is_open,
        "organization": organization,
        "may_take_part": is_open and organization is not None,
        "may_manage": manages(_viewer(context), version.cluster),
        "points": version.voting_method == VotingMethod.POINTS,
        "comments": comments,
        "amendments": amendments,
        "ballot": ballot,
        # The most this item may get: what is left plus what the item has now.
        "max_points": None if left is None else left + (ballot.value if ballot else 0),
    }


@register.simple_tag(takes_context=True)
def version_consultation(context: Any, version: AgendaVersion) -> dict[str, Any]:
    """Dates, method, the budget left to the viewer's organization, participation so far."""
    now = context.get("now") or timezone.now()
    organization = _participant(context, version)
    viewer = _viewer(context)
    return {
        "shown": version.phase != Phase.DRAFT and version.consultation_opens_at is not None,
        "open": version.consultation_is_open(now),
        "closed_reason": closed_reason(version, now),
        "organization": organization,
        "points": version.voting_method == VotingMethod.POINTS,
        "points_left": points_left(version, organization),
        "figures": panel_figures(version),
        "results_visible": results_visible(viewer, version, now),
    }
