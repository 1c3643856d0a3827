"""The consultation's pages: comment on an item, vote, propose an amendment; the managers'
decision on amendments; the results of a version. Parse, call one service, redirect back to
the item on the version page; a refusal (closed consultation, bad value) is shown with its
reason on the item's consultation page (422), someone who may not take part gets 403."""

from typing import Any

from django import forms
from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from clusterhub.agenda.consultation import (
    amendment_accept,
    amendment_propose,
    amendment_reject,
    ballot_cast,
    ballot_withdraw,
    closed_reason,
    comment_create,
)
from clusterhub.agenda.models import (
    COMMENT_MAX_LENGTH,
    REASON_MAX_LENGTH,
    TEXT_MAX_LENGTH,
    TITLE_MAX_LENGTH,
    AgendaItem,
    AmendmentStatus,
)
from clusterhub.agenda.results import results_visible, version_results
from clusterhub.agenda.selectors import can_take_part, item_for, manages, version_for
from clusterhub.agenda.services import StaleItemError
from clusterhub.core.access import Policy, access


class CommentForm(forms.Form):
    text = forms.CharField(
        label=gettext_lazy("Your comment"), max_length=COMMENT_MAX_LENGTH, widget=forms.Textarea
    )


class AmendmentForm(forms.Form):
    title = forms.CharField(
        label=gettext_lazy("Title"), max_length=TITLE_MAX_LENGTH, required=False
    )
    objective = forms.CharField(
        label=gettext_lazy("Objective"),
        max_length=TEXT_MAX_LENGTH,
        required=False,
        widget=forms.Textarea(attrs={"rows": 4}),
    )
    planned_actions = forms.CharField(
        label=gettext_lazy("Planned actions"),
        max_length=TEXT_MAX_LENGTH,
        required=False,
        widget=forms.Textarea(attrs={"rows": 4}),
    )
    rationale = forms.CharField(
        label=gettext_lazy("Why this change"),
        max_length=COMMENT_MAX_LENGTH,
        widget=forms.Textarea(attrs={"rows": 3}),
    )


class DecisionForm(forms.Form):
    decision = forms.ChoiceField(
        label=gettext_lazy("Decision"),
        choices=[("accept", gettext_lazy("Accept")), ("reject", gettext_lazy("Reject"))],
        widget=forms.RadioSelect,
    )
    reason = forms.CharField(
        label=gettext_lazy("Reason (shown to everyone)"), max_length=REASON_MAX_LENGTH
    )
    revision = forms.IntegerField(widget=forms.HiddenInput, required=False, min_value=1)


def _back(item: AgendaItem) -> HttpResponse:
    url = reverse(
        "agenda:version",
        kwargs={"slug": item.version.cluster.slug, "number": item.version.number},
    )
    return redirect(f"{url}#item-{item.pk}")


def _errors(exc: ValidationError) -> list[str]:
    if hasattr(exc, "error_dict"):
        return [message for messages_ in exc.message_dict.values() for message in messages_]
    return list(exc.messages)


def _item_page(
    request: HttpRequest, item: AgendaItem, *, errors: list[str] | None = None, status: int = 200
) -> HttpResponse:
    version = item.version
    return render(
        request,
        "agenda/consult_item.html",
        {
            "version": version,
            "cluster": version.cluster,
            "item": item,
            "now": timezone.now(),
            "participant_org": can_take_part(request.user, version),
            "may_manage": manages(request.user, version.cluster),
            "here": _("Consultation"),
            "errors": errors or [],
        },
        status=status,
    )


@access(Policy.AUTHENTICATED)
def consult_item(request: HttpRequest, slug: str, pk: int) -> HttpResponse:
    """The consultation of one item: comments, amendments and decisions, your ballot."""
    return _item_page(request, item_for(request.user, slug, pk))


def _act(request: HttpRequest, item: AgendaItem, action: Any, success: str) -> HttpResponse:
    try:
        action()
    except PermissionDenied as exc:
        return _item_page(request, item, errors=[str(exc)], status=403)
    except ValidationError as exc:
        return _item_page(request, item, errors=_errors(exc), status=422)
    messages.success(request, success)
    return _back(item)


@require_POST
@access(Policy.AUTHENTICATED)
def consult_comment(request: HttpRequest, slug: str, pk: int) -> HttpResponse:
    item = item_for(request.user, slug, pk)
    form = CommentForm(request.POST)
    if not form.is_valid():
        return _item_page(request, item, errors=_form_errors(form), status=422)
    return _act(
        request,
        item,
        lambda: comment_create(item=item, actor=request.user, text=form.cleaned_data["text"]),
        _("Comment posted."),
    )


def _form_errors(form: forms.Form) -> list[str]:
    return [
        f"{form.fields[name].label if name in form.fields else ''}: {error}".lstrip(": ")
        for name, errors in form.errors.items()
        for error in errors
    ]


@require_POST
@access(Policy.AUTHENTICATED)
def consult_ballot(request: HttpRequest, slug: str, pk: int) -> HttpResponse:
    """Cast or change your organization's ballot (`value`), or withdraw it (`withdraw`)."""
    item = item_for(request.user, slug, pk)
    if request.POST.get("withdraw"):
        return _act(
            request,
            item,
            lambda: ballot_withdraw(item=item, actor=request.user),
            _("Your organization's vote was withdrawn."),
        )
    value = request.POST.get("value", "").strip()
    return _act(
        request,
        item,
        lambda: ballot_cast(item=item, actor=request.user, value=value),
        _("Your organization's vote was saved. You can change it until the consultation closes."),
    )


@access(Policy.AUTHENTICATED)
def consult_amend(request: HttpRequest, slug: str, pk: int) -> HttpResponse:
    """Propose new wording for an item (prefilled with the current one)."""
    item = item_for(request.user, slug, pk)
    version = item.version
    organization = can_take_part(request.user, version)
    if organization is None:
        message = _(
            "Only people of the cluster's member organizations take part in its consultation."
        )
        return _item_page(request, item, errors=[message], status=403)
    initial = {
        "title": item.title,
        "objective": item.objective,
        "planned_actions": item.planned_actions,
    }
    form = AmendmentForm(request.POST or None, initial=initial)
    errors: list[str] = []
    status = 200
    if request.method == "POST":
        status = 422
        if form.is_valid():
            data = form.cleaned_data
            try:
                amendment_propose(
                    item=item,
                    actor=request.user,
                    title=data["title"],
                    objective=data["objective"],
                    planned_actions=data["planned_actions"],
                    rationale=data["rationale"],
                )
            except PermissionDenied as exc:
                return _item_page(request, item, errors=[str(exc)], status=403)
            except ValidationError as exc:
                errors = _errors(exc)
            else:
                messages.success(request, _("Amendment proposed: the managers will decide on it."))
                return _back(item)
    reason = closed_reason(version, timezone.now())
    return render(
        request,
        "agenda/consult_amend.html",
        {
            "version": version,
            "cluster": version.cluster,
            "item": item,
            "form": form,
            "errors": errors,
            "closed": reason,
            "participant_org": organization,
            "here": _("Propose an amendment"),
        },
        status=status,
    )


@access(Policy.MANAGER)
def consult_decide(request: HttpRequest, slug: str, pk: int, amendment_id: int) -> HttpResponse:
    """Accept (the item takes the proposed wording) or reject an amendment, with a reason."""
    item = item_for(request.user, slug, pk)
    if not manages(request.user, item.version.cluster):
        raise Http404("No such amendment")
    amendment = item.amendments.select_related("organization").filter(pk=amendment_id).first()
    if amendment is None:
        raise Http404("No such amendment")
    form = DecisionForm(request.POST or None, initial={"revision": item.revision})
    errors: list[str] = []
    status = 200
    if request.method == "POST":
        status = 422
        if amendment.status != AmendmentStatus.PENDING:
            errors = [_("This amendment was already decided.")]
        elif form.is_valid():
            data = form.cleaned_data
            try:
                if data["decision"] == "accept":
                    amendment_accept(
                        amendment=amendment,
                        actor=request.user,
                        reason=data["reason"],
                        revision=data["revision"] or item.revision,
                    )
                else:
                    amendment_reject(amendment=amendment, actor=request.user, reason=data["reason"])
            except StaleItemError as exc:
                status = 409
                errors = [str(exc)]
                item.refresh_from_db()
            except ValidationError as exc:
                errors = _errors(exc)
            else:
                messages.success(request, _("Decision recorded and shown to everyone."))
                return _back(item)
    return render(
        request,
        "agenda/consult_decide.html",
        {
            "version": item.version,
            "cluster": item.version.cluster,
            "item": item,
            "amendment": amendment,
            "form": form,
            "errors": errors,
            "may_manage": True,
            "here": _("Decide on an amendment"),
        },
        status=status,
    )


@access(Policy.PUBLIC)
def results(request: HttpRequest, slug: str, number: int) -> HttpResponse:
    """The consultation's results: managers and officers always, members of the cluster once
    it closed, everyone once the version is published."""
    version = version_for(request.user, slug, number)
    if not results_visible(request.user, version):
        return render(
            request,
            "agenda/results.html",
            {
                "version": version,
                "cluster": version.cluster,
                "hidden": True,
                "here": _("Results"),
            },
            status=403,
        )
    equal = request.GET.get("equal") == "1"
    outcome = version_results(version, equal_types=equal)
    return render(
        request,
        "agenda/results.html",
        {
            "version": version,
            "cluster": version.cluster,
            "results": outcome,
            "equal": equal,
            "charts": outcome.chart(),
            "may_manage": manages(request.user, version.cluster),
            "here": _("Results"),
        },
    )
