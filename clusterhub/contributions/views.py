"""Thin views of contributions: parse the request, call one selector or service, render."""

from typing import Any
from urllib.parse import urlencode

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.cache import patch_vary_headers
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from clusterhub.contributions.forms import (
    CommentForm,
    ContributionFilterForm,
    ContributionForm,
    ModerationForm,
)
from clusterhub.contributions.models import ContributionStatus
from clusterhub.contributions.selectors import (
    contribution_comments,
    contribution_endorsements,
    contribution_get,
    contribution_get_for_moderator,
    contribution_history,
    contribution_list,
    endorsed_by,
    endorsing_organizations,
    may_moderate,
    merge_candidates,
    moderation_queue,
    posting_organizations,
)
from clusterhub.contributions.services import (
    comment_add,
    contribution_approve,
    contribution_check,
    contribution_close,
    contribution_create,
    contribution_merge,
    contribution_reopen,
    endorsement_toggle,
)
from clusterhub.core.access import Policy, access
from clusterhub.regions.models import Cluster, Competence, S3Theme

PER_PAGE = 20


def _errors(exc: ValidationError) -> str:
    return " ".join(exc.messages)


@access(Policy.PUBLIC)
def contribution_list_view(request: HttpRequest) -> HttpResponse:
    """Contributions the visitor may see; anonymous visitors read the public approved ones."""
    form = ContributionFilterForm(request.GET or None)
    filters = form.filters() if form.is_bound else ContributionFilterForm().filters()
    page = Paginator(contribution_list(viewer=request.user, filters=filters), PER_PAGE).get_page(
        request.GET.get("page")
    )
    params = {k: v for k, v in request.GET.items() if k != "page" and v}
    context = {
        "form": form if form.is_bound else ContributionFilterForm(),
        "page": page,
        "query_string": urlencode(params),
        "cluster": Cluster.objects.filter(slug=filters.cluster).first()
        if filters.cluster
        else None,
        "may_post": posting_organizations(request.user).exists(),
        "queue_size": moderation_queue(user=request.user).count()
        if request.user.is_authenticated
        else 0,
    }
    partial = bool(request.htmx) and not request.htmx.history_restore_request
    template = "contributions/_results.html" if partial else "contributions/list.html"
    response = render(request, template, context)
    patch_vary_headers(response, ("HX-Request",))
    return response


def _detail_context(request: HttpRequest, contribution: Any, **extra: Any) -> dict[str, Any]:
    moderator = may_moderate(request.user, contribution)
    context = {
        "contribution": contribution,
        "comments": contribution_comments(contribution),
        "endorsements": contribution_endorsements(contribution),
        "endorsing": endorsing_organizations(user=request.user, contribution=contribution),
        "endorsed_by_me": endorsed_by(user=request.user, contribution=contribution),
        "comment_form": CommentForm(),
        "may_moderate": moderator,
        "history": list(contribution_history(contribution)) if moderator else [],
        "candidates": merge_candidates(user=request.user, contribution=contribution)
        if moderator and contribution.status in ("pending", "approved")
        else [],
        "merged_here": list(contribution.merged_contributions.order_by("created_at")),
        "moderation_form": ModerationForm(),
    }
    context.update(extra)
    return context


@access(Policy.PUBLIC)
def contribution_detail(request: HttpRequest, contribution_id: int) -> HttpResponse:
    contribution = contribution_get(viewer=request.user, contribution_id=contribution_id)
    return render(request, "contributions/detail.html", _detail_context(request, contribution))


def _check_context(form: ContributionForm, request: HttpRequest) -> dict[str, Any]:
    """Suggested tags and similar contributions for the draft in `form.data`."""
    data = form.data
    clusters = Cluster.objects.filter(
        pk__in=[pk for pk in data.getlist("clusters") if str(pk).isdigit()]  # type: ignore[attr-defined]
    ).filter(pk__in=form.fields["clusters"].queryset.values("pk"))  # type: ignore[attr-defined]
    check = contribution_check(
        viewer=request.user,
        title=str(data.get("title", ""))[:2000],
        text=str(data.get("text", ""))[:20000],
        clusters=list(clusters),
    )
    chosen_themes = set(data.getlist("s3_themes"))  # type: ignore[attr-defined]
    chosen_competences = set(data.getlist("competences"))  # type: ignore[attr-defined]
    # The first suggestions are ticked; later ones keep the author's choices.
    first = not chosen_themes and not chosen_competences and not data.get("suggested")
    return {
        "check": check,
        "theme_choices": [
            (theme, confidence, first or theme.code in chosen_themes)
            for theme, confidence in check.tags.themes
        ],
        "competence_choices": [
            (competence, confidence, first or competence.code in chosen_competences)
            for competence, confidence in check.tags.competences
        ],
        # Chosen from the full lists (the suggestions have their own boxes).
        "other_themes": chosen_themes - {theme.code for theme, _c in check.tags.themes},
        "other_competences": chosen_competences
        - {competence.code for competence, _c in check.tags.competences},
    }


def _tag_lists() -> dict[str, Any]:
    return {
        "all_themes": S3Theme.objects.filter(level=2)
        .select_related("parent")
        .order_by("parent__position", "position", "code"),
        "all_competences": Competence.objects.filter(level=2)
        .select_related("parent")
        .order_by("parent__position", "position", "code"),
    }


@access(Policy.AUTHENTICATED)
def contribution_create_view(request: HttpRequest) -> HttpResponse:
    """Post a contribution. Before saving, the author sees the suggested tags and the
    similar contributions already posted (to endorse instead), then confirms."""
    if not posting_organizations(request.user).exists():
        return render(request, "contributions/create.html", {"may_post": False})
    form = ContributionForm(request.POST or None, user=request.user)
    context: dict[str, Any] = {"form": form, "may_post": True, **_tag_lists()}
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        tagged = bool(data["s3_themes"] or data["competences"])
        if not data["confirmed"]:
            checked = _check_context(form, request)
            untagged = not tagged and not request.POST.get("suggested")
            if checked["check"].similar or (untagged and checked["check"].tags):
                form.data = form.data.copy()
                form.data["confirmed"] = "1"  # type: ignore[index]
                context.update(checked, reviewing=True)
                return render(request, "contributions/create.html", context)
        try:
            contribution = contribution_create(
                author=request.user,
                organization=data["organization"],
                kind=data["kind"],
                title=data["title"],
                text=data["text"],
                clusters=data["clusters"],
                s3_themes=data["s3_themes"],
                competences=data["competences"],
                visibility=data["visibility"],
            )
        except ValidationError as exc:
            for field, errors in exc.message_dict.items():
                form.add_error(field if field in form.fields else None, errors)
        else:
            messages.success(
                request,
                _("Contribution posted: a manager of its clusters will review it."),
            )
            return redirect("contributions:detail", contribution_id=contribution.pk)
    if form.is_bound:
        context.update(_check_context(form, request))
    return render(request, "contributions/create.html", context)


@access(Policy.AUTHENTICATED)
@require_POST
def check_draft(request: HttpRequest) -> HttpResponse:
    """htmx: suggested tags ("tags") or similar contributions ("similar") of a draft."""
    form = ContributionForm(request.POST, user=request.user)
    part = "similar" if request.GET.get("part") == "similar" else "tags"
    context = {"form": form, **_check_context(form, request)}
    return render(request, f"contributions/_draft_{part}.html", context)


@access(Policy.AUTHENTICATED)
@require_POST
def endorse(request: HttpRequest, contribution_id: int) -> HttpResponse:
    """Endorse ("we share this need") or withdraw the endorsement."""
    contribution = contribution_get(viewer=request.user, contribution_id=contribution_id)
    try:
        endorsed = endorsement_toggle(contribution=contribution, person=request.user)
    except PermissionDenied as exc:
        messages.error(request, str(exc))
        return redirect("contributions:detail", contribution_id=contribution.pk)
    if request.htmx:
        contribution = contribution_get(viewer=request.user, contribution_id=contribution_id)
        context = _detail_context(request, contribution)
        return render(request, "contributions/_endorse.html", context)
    messages.success(
        request, _("You endorse this contribution.") if endorsed else _("Endorsement withdrawn.")
    )
    return redirect("contributions:detail", contribution_id=contribution.pk)


@access(Policy.AUTHENTICATED)
@require_POST
def comment(request: HttpRequest, contribution_id: int) -> HttpResponse:
    contribution = contribution_get(viewer=request.user, contribution_id=contribution_id)
    form = CommentForm(request.POST)
    if form.is_valid():
        try:
            comment_add(
                contribution=contribution, author=request.user, text=form.cleaned_data["text"]
            )
        except PermissionDenied as exc:
            messages.error(request, str(exc))
        except ValidationError as exc:
            form.add_error("text", _errors(exc))
        else:
            messages.success(request, _("Comment added."))
            return redirect(
                f"{contribution_detail_url(contribution.pk)}#comments",
            )
    if form.errors:
        context = _detail_context(request, contribution, comment_form=form)
        return render(request, "contributions/detail.html", context, status=422)
    return redirect("contributions:detail", contribution_id=contribution.pk)


def contribution_detail_url(contribution_id: int) -> str:
    from django.urls import reverse

    return reverse("contributions:detail", kwargs={"contribution_id": contribution_id})


@access(Policy.MANAGER)
@require_POST
def moderate(request: HttpRequest, contribution_id: int) -> HttpResponse:
    """Approve, close (with a reason), reopen, or merge into another contribution."""
    contribution = contribution_get_for_moderator(
        user=request.user, contribution_id=contribution_id
    )
    form = ModerationForm(request.POST)
    if not form.is_valid():
        messages.error(request, " ".join(str(e) for errors in form.errors.values() for e in errors))
        return redirect("contributions:detail", contribution_id=contribution.pk)
    data = form.cleaned_data
    try:
        if data["action"] == "approve":
            contribution_approve(contribution=contribution, actor=request.user)
            messages.success(request, _("Contribution approved: its audience sees it now."))
        elif data["action"] == "close":
            contribution_close(contribution=contribution, actor=request.user, reason=data["reason"])
            messages.success(request, _("Contribution closed."))
        elif data["action"] == "reopen":
            contribution_reopen(contribution=contribution, actor=request.user)
            messages.success(request, _("Contribution reopened: it awaits moderation again."))
        else:
            into = contribution_get_for_moderator(user=request.user, contribution_id=data["into"])
            contribution_merge(contribution=contribution, into=into, actor=request.user)
            messages.success(
                request,
                _("Merged into “%(title)s”: its endorsements moved there.") % {"title": into.title},
            )
            return redirect("contributions:detail", contribution_id=into.pk)
    except ValidationError as exc:
        messages.error(request, _errors(exc))
    return redirect("contributions:detail", contribution_id=contribution.pk)


@access(Policy.MANAGER)
def queue(request: HttpRequest) -> HttpResponse:
    """Pending contributions of the clusters the manager runs, suspected duplicates flagged."""
    pending = list(moderation_queue(user=request.user)[:200])
    return render(
        request,
        "contributions/queue.html",
        {"pending": pending, "statuses": ContributionStatus},
    )
