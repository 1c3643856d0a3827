"""Pages of the self-assessment: history, filling in (htmx, one area at a time), comparison.

Managers of a cluster and regional officers read and fill its assessments; other signed-in
people read the published ones (see selectors.py).
"""

import csv
from typing import Any
from urllib.parse import urlencode

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from clusterhub.assessment import selectors, services
from clusterhub.assessment.forms import FeedbackForm
from clusterhub.assessment.framework import FrameworkError, assessment_framework, skill_framework
from clusterhub.assessment.models import Assessment, AssessmentStatus, FeedbackResponse
from clusterhub.core.access import Policy, access
from clusterhub.registry.selectors import clusters_managed_by

COMPARE_COLORS = ("#1b5e9e", "#c0392b", "#2e7d32", "#8e44ad", "#d35400", "#16a085", "#7f8c8d")


def _detail_url(assessment: Assessment) -> str:
    return reverse(
        "assessment:detail", kwargs={"slug": assessment.cluster.slug, "pk": assessment.pk}
    )


def _partial(request: HttpRequest) -> bool:
    return bool(request.htmx) and not request.htmx.history_restore_request


@access(Policy.AUTHENTICATED)
def cluster_assessments(request: HttpRequest, slug: str) -> HttpResponse:
    """The cluster's assessments over the years; managers start the next one here."""
    cluster = selectors.cluster_get(slug=slug)
    can_manage = selectors.may_manage(request.user, cluster)
    history = selectors.history(request.user, cluster)
    latest = history[0] if history else None
    this_year = timezone.localdate().year
    taken = {assessment.year for assessment, _scores in history}
    framework_error = ""
    framework = None
    try:
        framework = assessment_framework()
    except FrameworkError as error:
        framework_error = str(error)
    context = {
        "cluster": cluster,
        "can_manage": can_manage,
        "history": history,
        "latest": latest,
        "framework": framework,
        "framework_error": framework_error,
        "years": [y for y in range(this_year, this_year - 6, -1) if y not in taken],
        "this_year": this_year,
        "radar": selectors.radar_data(
            [(f"{latest[0].year}", latest[1], cluster.color)] if latest else []
        ),
        "area_codes": [a.code for a in latest[1].areas] if latest else [],
    }
    return render(request, "assessment/cluster_assessments.html", context)


@access(Policy.MANAGER)
def assessment_start(request: HttpRequest, slug: str) -> HttpResponse:
    cluster = selectors.cluster_get_for_manager(user=request.user, slug=slug)
    if request.method != "POST":
        return redirect("assessment:list", slug=cluster.slug)
    raw = request.POST.get("year", "").strip()
    try:
        if not raw.isdigit() or len(raw) > 4:
            raise ValidationError({"year": _("Give a year.")})
        assessment = services.assessment_create(cluster=cluster, year=int(raw), actor=request.user)
    except (ValidationError, FrameworkError) as error:
        problems = (
            [m for ms in error.message_dict.values() for m in ms]
            if isinstance(error, ValidationError) and hasattr(error, "error_dict")
            else [str(error)]
            if isinstance(error, FrameworkError)
            else error.messages
        )
        for problem in problems:
            messages.error(request, problem)
        return redirect("assessment:list", slug=cluster.slug)
    messages.success(
        request,
        _("The %(year)s assessment is started: %(count)s answers are filled from the platform.")
        % {"year": assessment.year, "count": assessment.answers.filter(prefilled=True).count()},
    )
    return redirect(_detail_url(assessment))


def _detail_context(request: HttpRequest, assessment: Assessment) -> dict[str, Any]:
    view = selectors.assessment_view(assessment)
    can_manage = selectors.may_manage(request.user, assessment.cluster)
    return {
        "cluster": assessment.cluster,
        "assessment": assessment,
        "view": view,
        "can_manage": can_manage,
        "editable": can_manage and assessment.is_draft,
        "levels": list(enumerate(view.framework.level_labels())),
        "radar": selectors.radar_data(
            [(str(assessment.year), view.scores, assessment.cluster.color)]
        ),
        "statuses": AssessmentStatus,
    }


@access(Policy.AUTHENTICATED)
def assessment_detail(request: HttpRequest, slug: str, pk: int) -> HttpResponse:
    assessment = selectors.assessment_get(user=request.user, slug=slug, pk=pk)
    return render(request, "assessment/detail.html", _detail_context(request, assessment))


def _entries(request: HttpRequest, codes: list[str]) -> dict[str, services.AnswerInput]:
    post = request.POST
    return {
        code: services.AnswerInput(
            level=post.get(f"level-{code}", "")[:10],
            value=post.get(f"value-{code}", "")[:40],
            note=post.get(f"note-{code}", ""),
            override=post.get(f"override-{code}") == "on",
        )
        for code in codes
    }


@access(Policy.MANAGER)
def assessment_area_save(request: HttpRequest, slug: str, pk: int, area: str) -> HttpResponse:
    """Save one area's answers; htmx gets the area and the new scores back."""
    assessment = selectors.assessment_get_for_manager(user=request.user, slug=slug, pk=pk)
    if request.method != "POST":
        return redirect(_detail_url(assessment))
    view = selectors.assessment_view(assessment)
    section = next((a for a in view.areas if a.code == area), None)
    if section is None:
        return HttpResponse(_("No such area."), status=404)
    entries = _entries(request, [row.indicator.code for row in section.rows])
    errors: dict[str, list[str]] = {}
    try:
        services.answers_save(assessment=assessment, area=area, entries=entries, actor=request.user)
    except ValidationError as error:
        errors = error.message_dict if hasattr(error, "error_dict") else {"": error.messages}
    context = _detail_context(request, assessment)
    if errors:
        # Show what was typed, with the problems beside it.
        context["errors"] = errors
        context["typed"] = entries
    context["area"] = next(a for a in context["view"].areas if a.code == area)
    context["saved"] = not errors
    if _partial(request):
        return render(request, "assessment/_area_saved.html", context)
    if errors:
        return render(request, "assessment/detail.html", context, status=422)
    messages.success(request, _("Answers saved."))
    return redirect(_detail_url(assessment) + f"#area-{area}")


@access(Policy.MANAGER)
def assessment_refresh(request: HttpRequest, slug: str, pk: int) -> HttpResponse:
    assessment = selectors.assessment_get_for_manager(user=request.user, slug=slug, pk=pk)
    if request.method == "POST":
        try:
            changed = services.evidence_refresh(assessment=assessment, actor=request.user)
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
        else:
            messages.success(
                request,
                _("The platform's figures were read again; %(count)s answers changed.")
                % {"count": changed},
            )
    return redirect(_detail_url(assessment))


@access(Policy.MANAGER)
def assessment_status(request: HttpRequest, slug: str, pk: int) -> HttpResponse:
    assessment = selectors.assessment_get_for_manager(user=request.user, slug=slug, pk=pk)
    if request.method == "POST":
        try:
            services.assessment_set_status(
                assessment=assessment,
                status=request.POST.get("status", "")[:20],
                actor=request.user,
            )
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
        else:
            messages.success(request, _("Status changed."))
    return redirect(_detail_url(assessment))


@access(Policy.MANAGER)
def attachment_upload(request: HttpRequest, slug: str, pk: int) -> HttpResponse:
    assessment = selectors.assessment_get_for_manager(user=request.user, slug=slug, pk=pk)
    area = request.POST.get("area", "")[:40]
    if request.method == "POST":
        upload = request.FILES.get("file")
        if upload is None:
            messages.error(request, _("Choose a file to attach."))
        else:
            try:
                services.attachment_add(
                    assessment=assessment,
                    indicator=request.POST.get("indicator", "")[:40],
                    upload=upload,
                    actor=request.user,
                )
            except ValidationError as error:
                messages.error(request, " ".join(error.messages))
            else:
                messages.success(request, _("File attached."))
    return redirect(_detail_url(assessment) + (f"#area-{area}" if area.isalnum() else ""))


@access(Policy.AUTHENTICATED)
def attachment_download(request: HttpRequest, slug: str, pk: int, attachment_id: int) -> Any:
    attachment = selectors.attachment_get(
        user=request.user, slug=slug, pk=pk, attachment_id=attachment_id
    )
    response = FileResponse(
        attachment.file.open("rb"),
        as_attachment=True,
        filename=attachment.name,
        content_type=attachment.content_type,
    )
    response["X-Content-Type-Options"] = "nosniff"
    return response


@access(Policy.OFFICER)
def compare(request: HttpRequest) -> HttpResponse:
    """Clusters side by side: each one's latest submitted or published assessment."""
    slugs = [s[:50] for s in request.GET.getlist("cluster") if s]
    raw_year = request.GET.get("year", "").strip()
    year = int(raw_year) if raw_year.isdigit() and len(raw_year) == 4 else None
    compared = selectors.compare(user=request.user, slugs=slugs, year=year) if slugs else []
    with_scores = [c for c in compared if c.scores is not None]
    series = [
        (c.cluster.short_name or c.cluster.name, c.scores, COMPARE_COLORS[n % len(COMPARE_COLORS)])
        for n, c in enumerate(with_scores)
    ]
    # Rows by area code: assessments filled with other framework versions line up by area.
    areas = with_scores[0].scores.areas if with_scores else ()  # type: ignore[union-attr]
    table = [
        (area.label, [c.scores.by_area().get(area.code) for c in with_scores])  # type: ignore[union-attr]
        for area in areas
    ]
    overall = [c.scores.overall for c in with_scores]  # type: ignore[union-attr]
    context = {
        "available": list(clusters_managed_by(request.user).order_by("position", "slug")),
        "selected": set(slugs),
        "year": year or "",
        "compared": compared,
        "with_scores": with_scores,
        "table": table,
        "overall": overall,
        "radar": selectors.radar_data(series),
        "colors": [color for _n, _s, color in series],
        "query": urlencode([("cluster", s) for s in slugs]),
    }
    return render(request, "assessment/compare.html", context)


# --- Skills of cluster managers -------------------------------------------------------------


@access(Policy.MANAGER)
def skills(request: HttpRequest, slug: str) -> HttpResponse:
    """A manager's skill self-assessment, the team's gap to the target, the training plan."""
    cluster = selectors.cluster_get_for_manager(user=request.user, slug=slug)
    errors: dict[str, list[str]] = {}
    typed: dict[str, str] = {}
    is_manager = selectors.is_manager_of(request.user, cluster)
    if request.method == "POST" and is_manager:
        try:
            framework = skill_framework()
        except FrameworkError as error:
            errors = {"__all__": [str(error)]}
        else:
            typed = {
                c.code: request.POST.get(f"level-{c.code}", "")[:10]
                for c in framework.competences()
            }
            try:
                services.skill_assessment_create(
                    person=request.user,
                    cluster=cluster,
                    levels=typed,
                    note=request.POST.get("note", ""),
                    framework=framework,
                )
            except ValidationError as error:
                errors = error.message_dict
            else:
                messages.success(request, _("Your skill self-assessment is saved."))
                return redirect("assessment:skills", slug=cluster.slug)
    try:
        view = selectors.skills_view(user=request.user, cluster=cluster)
    except FrameworkError as error:
        return render(
            request,
            "assessment/skills.html",
            {"cluster": cluster, "framework_error": str(error)},
        )
    mine = view.mine.answers if view.mine else {}
    context = {
        "cluster": cluster,
        "view": view,
        "is_manager": is_manager,
        "errors": errors,
        "levels": list(enumerate(view.framework.level_labels())),
        "current": {code: str(level) for code, level in mine.items()} | typed,
        "note": request.POST.get("note", "") if errors else "",
        "radar": _skills_radar(view),
    }
    return render(request, "assessment/skills.html", context, status=422 if errors else 200)


def _skills_radar(view: selectors.SkillsView) -> dict[str, Any]:
    """Levels as a share of the highest level: target, the team, and the caller."""
    top = view.framework.max_level or 1
    areas = view.framework.areas
    labels = [area.label for area in areas]

    def series(name: str, values: list[float], color: str) -> dict[str, Any]:
        return {
            "name": name,
            "color": color,
            "labels": labels,
            "values": [round(100 * v / top, 1) for v in values],
        }

    result = [series(str(_("Target")), [a.target for a in areas], "#5b6473")]
    if view.team_gaps:
        result.append(series(str(_("Team")), [g.percent for g in view.team_gaps], "#1b5e9e"))
    if view.my_gaps and [g.code for g in view.my_gaps] == [a.code for a in areas]:
        result.append(series(str(_("You")), [g.percent for g in view.my_gaps], "#c0392b"))
    # No reference line on this chart: the target is drawn as a series.
    return {"reference": 0, "series": result if len(result) > 1 else []}


# --- Event feedback and the performance account ---------------------------------------------


@access(Policy.AUTHENTICATED)
def feedback_pending(request: HttpRequest) -> HttpResponse:
    """The events the caller attended lately and has not given feedback on."""
    return render(
        request,
        "assessment/feedback_pending.html",
        {"registrations": selectors.pending_feedback(request.user)},
    )


@access(Policy.AUTHENTICATED)
def feedback(request: HttpRequest, event_id: int) -> HttpResponse:
    """The short form after an event, for the people checked in at it."""
    registration = selectors.feedback_registration_get(user=request.user, event_id=event_id)
    existing = FeedbackResponse.objects.filter(
        event=registration.event, person=request.user
    ).first()
    initial = (
        {
            **{name: getattr(existing, name) for name in FeedbackForm.OUTCOMES},
            "satisfaction": existing.satisfaction,
            "comment": existing.comment,
        }
        if existing
        else None
    )
    form = FeedbackForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            services.feedback_submit(
                registration=registration,
                satisfaction=form.cleaned_data["satisfaction"],
                outcomes=form.outcomes(),
                comment=form.cleaned_data["comment"],
            )
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, _("Thank you: your feedback is recorded."))
            return redirect("assessment:feedback_pending")
    status = 422 if request.method == "POST" and form.errors else 200
    return render(
        request,
        "assessment/feedback.html",
        {"event": registration.event, "form": form, "existing": existing},
        status=status,
    )


def _account_year(year: int) -> int:
    if not services.MIN_YEAR <= year <= timezone.localdate().year:
        raise Http404("No such year")
    return year


@access(Policy.MANAGER)
def performance(request: HttpRequest, slug: str, year: int) -> HttpResponse:
    """The yearly performance account of a cluster: who took part and what they gained."""
    cluster = selectors.cluster_get_for_manager(user=request.user, slug=slug)
    account = selectors.performance_account(cluster, _account_year(year))
    this_year = timezone.localdate().year
    charts = {
        "color": cluster.color,
        "outcomes": {
            "labels": [row.label for row in account.outcomes],
            "values": [row.organizations for row in account.outcomes],
        },
        "satisfaction": {
            "labels": [str(score) for score in account.satisfaction],
            "values": list(account.satisfaction.values()),
        },
    }
    context = {
        "cluster": cluster,
        "account": account,
        "charts": charts,
        "years": list(range(this_year, this_year - 5, -1)),
    }
    return render(request, "assessment/performance.html", context)


@access(Policy.MANAGER)
def performance_csv(request: HttpRequest, slug: str, year: int) -> HttpResponse:
    cluster = selectors.cluster_get_for_manager(user=request.user, slug=slug)
    account = selectors.performance_account(cluster, _account_year(year))
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = (
        f'attachment; filename="performance-{cluster.slug}-{account.year}.csv"'
    )
    writer = csv.writer(response)
    writer.writerow(["cluster", "year", "measure", "organizations", "firms", "share_percent"])
    base = [cluster.slug, account.year]
    writer.writerow([*base, "took_part", account.organizations, account.firms, ""])
    writer.writerow([*base, "answered_feedback", account.responding_organizations, "", ""])
    for row in account.outcomes:
        share = "" if row.share is None else row.share
        writer.writerow([*base, row.code, row.organizations, row.firms, share])
    writer.writerow([*base, "events", account.events, "", ""])
    writer.writerow([*base, "participants", account.participants, "", ""])
    mean = "" if account.satisfaction_mean is None else account.satisfaction_mean
    writer.writerow([*base, "satisfaction_mean", mean, "", ""])
    return response
