"""The review queue of uncertain participant matches: cluster managers (for candidates in
their clusters) and regional officers confirm or reject each."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_POST

from clusterhub.core.access import Policy, access
from clusterhub.projects import linking
from clusterhub.projects.forms import DecisionForm
from clusterhub.projects.selectors import (
    match_get_for_reviewer,
    recently_decided,
    review_queue,
)
from clusterhub.projects.services import match_confirm, match_reject

REASONS = {
    linking.SAME_NAME_OTHER_CITY: _("Same name, another city"),
    linking.SAME_NAME_SEVERAL: _("Same name as several organizations"),
    linking.SIMILAR_NAME: _("Similar name"),
    linking.SAME_SHORT_NAME: _("Same short name"),
}
QUEUE_PAGE = 100


@access(Policy.MANAGER)
def queue(request: HttpRequest) -> HttpResponse:
    pending = review_queue(user=request.user)
    context = {
        "matches": [(m, REASONS.get(m.reason, m.reason)) for m in pending[:QUEUE_PAGE]],
        "pending_count": pending.count(),
        "decided": recently_decided(user=request.user),
    }
    return render(request, "projects/review/queue.html", context)


@access(Policy.MANAGER)
@require_POST
def decide(request: HttpRequest, match_id: int) -> HttpResponse:
    match = match_get_for_reviewer(user=request.user, match_id=match_id)
    form = DecisionForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Choose confirm or reject."))
        return redirect("projects:review_queue")
    try:
        if form.cleaned_data["action"] == "confirm":
            match_confirm(match=match, actor=request.user)
            messages.success(
                request,
                _("%(participant)s is now linked to %(organization)s.")
                % {"participant": match.participation.name, "organization": match.candidate.name},
            )
        else:
            match_reject(match=match, actor=request.user)
            messages.success(
                request,
                _("%(participant)s is not %(organization)s: the match was rejected.")
                % {"participant": match.participation.name, "organization": match.candidate.name},
            )
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    return redirect("projects:review_queue")
