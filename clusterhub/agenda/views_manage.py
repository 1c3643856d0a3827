"""The agenda's manager pages, and the version and item pages everyone reaches within their
visibility: parse the request, call one selector or service, render."""

from datetime import timedelta
from typing import Any

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.db.models import Count, Q
from django.forms import Form
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.cache import patch_vary_headers
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from clusterhub.agenda.forms import (
    ConsultationForm,
    ItemForm,
    KpiForm,
    KpiProgressForm,
    LinksForm,
    MergeForm,
    MilestoneForm,
    SplitFormSet,
    VersionForm,
)
from clusterhub.agenda.models import AgendaItem, AgendaVersion, Kpi, Milestone, Phase
from clusterhub.agenda.selectors import (
    EDITABLE_PHASES,
    active_items,
    can_take_part,
    item_for,
    item_for_manager,
    item_history,
    item_lineage,
    item_progress,
    item_sources,
    item_successors,
    kpi_percent,
    link_suggestions,
    linkable_contributions,
    linkable_topics,
    manages,
    other_items,
    version_for,
    version_for_manager,
)
from clusterhub.agenda.services import (
    StaleItemError,
    item_create,
    item_remove,
    item_split,
    item_update,
    items_merge,
    kpi_create,
    kpi_delete,
    kpi_update,
    milestone_create,
    milestone_delete,
    milestone_update,
    version_approve,
    version_close_consultation,
    version_create,
    version_open_consultation,
    version_publish,
)
from clusterhub.core.access import Policy, access
from clusterhub.registry.selectors import cluster_get_for_manager

STEPS = ("open", "close", "approve", "publish")


def _add_errors(form: Form, exc: ValidationError) -> None:
    if hasattr(exc, "error_dict"):
        for field, errors in exc.message_dict.items():
            form.add_error(field if field in form.fields else None, errors)
    else:
        form.add_error(None, exc.messages)


def _errors(exc: ValidationError) -> str:
    return " ".join(exc.messages)


def _partial(request: HttpRequest) -> bool:
    return bool(request.htmx) and not request.htmx.history_restore_request  # type: ignore[attr-defined]


# --- Versions -----------------------------------------------------------------------------


@access(Policy.MANAGER)
def manage(request: HttpRequest, slug: str) -> HttpResponse:
    """The cluster's agenda versions, with the form to draft the next one."""
    cluster = cluster_get_for_manager(user=request.user, slug=slug)
    versions = (
        AgendaVersion.objects.filter(cluster=cluster)
        .annotate(item_count=Count("items", filter=Q(items__status="active")))
        .order_by("-number")
    )
    preparing = versions.filter(phase__in=EDITABLE_PHASES).first()
    return render(
        request,
        "agenda/manage_versions.html",
        {
            "cluster": cluster,
            "versions": versions,
            "preparing": preparing,
            "form": VersionForm(cluster=cluster),
        },
    )


@access(Policy.MANAGER)
@require_POST
def version_new(request: HttpRequest, slug: str) -> HttpResponse:
    cluster = cluster_get_for_manager(user=request.user, slug=slug)
    form = VersionForm(request.POST, cluster=cluster)
    if form.is_valid():
        try:
            version = version_create(
                cluster=cluster,
                actor=request.user,
                title=form.cleaned_data["title"],
                summary=form.cleaned_data["summary"],
                based_on=form.cleaned_data["based_on"],
            )
        except ValidationError as exc:
            _add_errors(form, exc)
        else:
            messages.success(request, _("Version %(n)d drafted.") % {"n": version.number})
            return redirect("agenda:version", slug=slug, number=version.number)
    versions = AgendaVersion.objects.filter(cluster=cluster).order_by("-number")
    return render(
        request,
        "agenda/manage_versions.html",
        {
            "cluster": cluster,
            "versions": versions,
            "preparing": versions.filter(phase__in=EDITABLE_PHASES).first(),
            "form": form,
        },
        status=422,
    )


def _item_rows(items: Any) -> list[tuple[AgendaItem, int | None]]:
    return [(item, item_progress(item)) for item in items]


@access(Policy.PUBLIC)
def version_detail(request: HttpRequest, slug: str, number: int) -> HttpResponse:
    """A version and its items: managers edit it; members take part while it is in
    consultation; everyone reads the published ones."""
    version = version_for(request.user, slug, number)
    manager = manages(request.user, version.cluster)
    items = list(active_items(version).prefetch_related("contributions", "topics"))
    context = {
        "version": version,
        "cluster": version.cluster,
        "items": _item_rows(items),
        "retired": list(other_items(version)) if manager else [],
        "may_manage": manager,
        "editable": manager and version.phase in EDITABLE_PHASES,
        "now": timezone.now(),
        "participant_org": can_take_part(request.user, version),
        "next_step": _next_step(version, timezone.now()) if manager else None,
    }
    return render(request, "agenda/version_detail.html", context)


def _next_step(version: AgendaVersion, now: Any) -> str | None:
    if version.phase == Phase.DRAFT:
        return "open"
    if version.phase == Phase.CONSULTATION:
        closed = (
            version.consultation_closes_at is not None and version.consultation_closes_at <= now
        )
        return "approve" if closed else "close"
    if version.phase == Phase.APPROVED:
        return "publish"
    return None


@access(Policy.MANAGER)
def version_phase(request: HttpRequest, slug: str, number: int, step: str) -> HttpResponse:
    """Confirm (GET) and take (POST) the version's next step: open the consultation, close
    it, approve, publish."""
    if step not in STEPS:
        raise Http404("No such step")
    version = version_for_manager(request.user, slug, number)
    now = timezone.now()
    form = None
    if step == "open":
        initial = {
            "consultation_opens_at": now.replace(second=0, microsecond=0),
            "consultation_closes_at": (now + timedelta(days=14)).replace(second=0, microsecond=0),
            "voting_method": version.voting_method,
            "points_budget": version.points_budget,
        }
        form = ConsultationForm(request.POST or None, initial=initial)
    if request.method == "POST":
        try:
            if step == "open":
                assert form is not None
                if form.is_valid():
                    data = form.cleaned_data
                    version_open_consultation(
                        version=version,
                        actor=request.user,
                        opens_at=data["consultation_opens_at"],
                        closes_at=data["consultation_closes_at"],
                        voting_method=data["voting_method"],
                        points_budget=data["points_budget"],
                    )
                    messages.success(request, _("The consultation is open."))
                    return redirect("agenda:version", slug=slug, number=number)
            elif step == "close":
                version_close_consultation(version=version, actor=request.user)
                messages.success(request, _("The consultation is closed."))
                return redirect("agenda:version", slug=slug, number=number)
            elif step == "approve":
                version_approve(version=version, actor=request.user)
                messages.success(request, _("Version approved: its items are now frozen."))
                return redirect("agenda:version", slug=slug, number=number)
            else:
                version_publish(version=version, actor=request.user)
                messages.success(request, _("Version published."))
                return redirect("agenda:version", slug=slug, number=number)
        except ValidationError as exc:
            if form is not None:
                _add_errors(form, exc)
            else:
                messages.error(request, _errors(exc))
                return redirect("agenda:version", slug=slug, number=number)
    return render(
        request,
        "agenda/manage_phase.html",
        {
            "version": version,
            "cluster": version.cluster,
            "step": step,
            "form": form,
            "item_count": active_items(version).count(),
        },
        status=422 if request.method == "POST" else 200,
    )


# --- Items --------------------------------------------------------------------------------


@access(Policy.MANAGER)
def item_new(request: HttpRequest, slug: str, number: int) -> HttpResponse:
    version = version_for_manager(request.user, slug, number)
    form = ItemForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            item = item_create(version=version, actor=request.user, **form.item_fields())
        except ValidationError as exc:
            _add_errors(form, exc)
        else:
            messages.success(request, _("Item added."))
            return redirect("agenda:item", slug=slug, pk=item.pk)
    return render(
        request,
        "agenda/manage_item_form.html",
        {"version": version, "cluster": version.cluster, "form": form, "item": None},
        status=422 if form.is_bound else 200,
    )


@access(Policy.PUBLIC)
def item_detail(request: HttpRequest, slug: str, pk: int) -> HttpResponse:
    """An item: its text, progress, KPIs and milestones, the needs and trends behind it, its
    lineage back to v1 and (for managers) its history."""
    item = item_for(request.user, slug, pk)
    manager = manages(request.user, item.version.cluster)
    context = {
        "item": item,
        "version": item.version,
        "cluster": item.version.cluster,
        "may_manage": manager,
        "editable": manager and item.version.phase in EDITABLE_PHASES and item.status == "active",
        "lineage": item_lineage(item),
        "successors": item_successors(item),
        "history": list(item_history(item)) if manager else [],
        **item_sources(item, viewer=request.user),
        **_measures_context(item, manager),
    }
    return render(request, "agenda/item_detail.html", context)


def _measures_context(item: AgendaItem, manager: bool, **extra: Any) -> dict[str, Any]:
    kpis = list(item.kpis.all())
    return {
        "item": item,
        "progress": item_progress(item),
        "kpis": [(kpi, kpi_percent(kpi)) for kpi in kpis],
        "milestones": list(item.milestones.all()),
        "may_manage": manager,
        "definable": manager and item.version.phase in EDITABLE_PHASES and item.status == "active",
        "kpi_form": extra.pop("kpi_form", None) or KpiForm(),
        "milestone_form": extra.pop("milestone_form", None) or MilestoneForm(),
        **extra,
    }


@access(Policy.MANAGER)
def item_edit(request: HttpRequest, slug: str, pk: int) -> HttpResponse:
    """Edit an item. The form carries the revision it was read at: when someone saved the
    item meanwhile, nothing is saved and the page shows their version beside yours."""
    item = item_for_manager(request.user, slug, pk)
    form = ItemForm(request.POST or None, initial=ItemForm.initial_for(item))
    conflict = None
    status = 200
    if request.method == "POST":
        status = 422
        if form.is_valid():
            revision = form.cleaned_data["revision"] or item.revision
            try:
                item_update(item=item, actor=request.user, revision=revision, **form.item_fields())
            except StaleItemError as exc:
                status = 409
                item.refresh_from_db()
                conflict = {"message": str(exc), "current": item}
                data = form.data.copy()
                data["revision"] = str(exc.current_version)  # a second save is deliberate
                form = ItemForm(data, initial=ItemForm.initial_for(item))
                form.is_valid()
            except ValidationError as exc:
                _add_errors(form, exc)
            else:
                messages.success(request, _("Item saved."))
                return redirect("agenda:item", slug=slug, pk=item.pk)
    return render(
        request,
        "agenda/manage_item_form.html",
        {
            "version": item.version,
            "cluster": item.version.cluster,
            "form": form,
            "item": item,
            "conflict": conflict,
        },
        status=status,
    )


@access(Policy.MANAGER)
def item_split_view(request: HttpRequest, slug: str, pk: int) -> HttpResponse:
    item = item_for_manager(request.user, slug, pk)
    initial = [
        {"title": item.title, "objective": item.objective, "planned_actions": item.planned_actions}
    ] * 2
    formset = SplitFormSet(request.POST or None, initial=None if request.POST else initial)
    error = ""
    if request.method == "POST" and formset.is_valid():
        parts = [form.cleaned_data for form in formset if form.cleaned_data]
        try:
            created = item_split(
                item=item,
                actor=request.user,
                parts=parts,
                revision=int(request.POST.get("revision") or item.revision),
            )
        except StaleItemError as exc:
            error = str(exc)
        except ValidationError as exc:
            error = _errors(exc)
        else:
            messages.success(request, _("Split into %(n)d items.") % {"n": len(created)})
            return redirect("agenda:version", slug=slug, number=item.version.number)
    return render(
        request,
        "agenda/manage_split.html",
        {
            "item": item,
            "version": item.version,
            "cluster": item.version.cluster,
            "formset": formset,
            "error": error,
        },
        status=422 if request.method == "POST" else 200,
    )


@access(Policy.MANAGER)
def items_merge_view(request: HttpRequest, slug: str, number: int) -> HttpResponse:
    version = version_for_manager(request.user, slug, number)
    candidates = active_items(version)
    form = MergeForm(request.POST or None, items=candidates)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            merged = items_merge(
                items=list(data["items"]),
                actor=request.user,
                title=data["title"],
                objective=data["objective"],
                planned_actions=data["planned_actions"],
            )
        except ValidationError as exc:
            _add_errors(form, exc)
        else:
            messages.success(request, _("Items merged."))
            return redirect("agenda:item", slug=slug, pk=merged.pk)
    return render(
        request,
        "agenda/manage_merge.html",
        {"version": version, "cluster": version.cluster, "form": form},
        status=422 if form.is_bound else 200,
    )


@access(Policy.MANAGER)
@require_POST
def item_remove_view(request: HttpRequest, slug: str, pk: int) -> HttpResponse:
    item = item_for_manager(request.user, slug, pk)
    try:
        item_remove(
            item=item,
            actor=request.user,
            revision=int(request.POST.get("revision") or item.revision),
            reason=request.POST.get("reason", "")[:500],
        )
    except (StaleItemError, ValidationError) as exc:
        messages.error(request, str(exc) if isinstance(exc, StaleItemError) else _errors(exc))
        return redirect("agenda:item", slug=slug, pk=item.pk)
    messages.success(request, _("Item removed from the version."))
    return redirect("agenda:version", slug=slug, number=item.version.number)


@access(Policy.MANAGER)
def item_links(request: HttpRequest, slug: str, pk: int) -> HttpResponse:
    """Link the item to the cluster's approved contributions and to trends, with the closest
    ones to its text suggested first."""
    item = item_for_manager(request.user, slug, pk)
    cluster = item.version.cluster
    linked_contributions = item.contributions.all()
    linked_topics = item.topics.all()
    allowed_contributions = (linkable_contributions(cluster) | linked_contributions).distinct()
    allowed_topics = (linkable_topics(cluster) | linked_topics).distinct()
    form = LinksForm(
        request.POST or None,
        contributions=allowed_contributions,
        topics=allowed_topics,
        initial={
            "contributions": list(linked_contributions),
            "topics": list(linked_topics),
            "revision": item.revision,
        },
    )
    error = ""
    if request.method == "POST" and form.is_valid():
        try:
            item_update(
                item=item,
                actor=request.user,
                revision=form.cleaned_data["revision"],
                contributions=list(form.cleaned_data["contributions"]),
                topics=list(form.cleaned_data["topics"]),
            )
        except StaleItemError as exc:
            error = str(exc)
        except ValidationError as exc:
            error = _errors(exc)
        else:
            messages.success(request, _("Links saved."))
            return redirect("agenda:item", slug=slug, pk=item.pk)
    suggestions = link_suggestions(item)
    return render(
        request,
        "agenda/manage_links.html",
        {
            "item": item,
            "version": item.version,
            "cluster": cluster,
            "form": form,
            "error": error,
            "suggestions": suggestions,
            "linked_contributions": list(linked_contributions.select_related("organization")),
            "linked_topics": list(linked_topics.select_related("run")),
            "chosen_contributions": {str(v) for v in form["contributions"].value() or []},
            "chosen_topics": {str(v) for v in form["topics"].value() or []},
        },
        status=422 if request.method == "POST" else 200,
    )


# --- KPIs and milestones (htmx: the measures block is swapped in place) ------------------


def _measures_response(
    request: HttpRequest, item: AgendaItem, *, status: int = 200, **extra: Any
) -> HttpResponse:
    item = AgendaItem.objects.select_related("version", "version__cluster").get(pk=item.pk)
    if _partial(request):
        response = render(
            request,
            "agenda/_manage_measures.html",
            _measures_context(item, True, **extra),
            status=200,  # htmx swaps only successful answers; the problems are in the block
        )
        patch_vary_headers(response, ("HX-Request",))
        return response
    for problem in extra.get("problems", []):
        messages.error(request, problem)
    return redirect("agenda:item", slug=item.version.cluster.slug, pk=item.pk)


def _form_problems(form: Form) -> list[str]:
    return [
        f"{form.fields[f].label if f in form.fields else ''}: {' '.join(e)}".lstrip(": ")
        for f, e in form.errors.items()
    ]


def _measure_add(
    request: HttpRequest, slug: str, pk: int, form_class: type[Form], create: Any, form_key: str
) -> HttpResponse:
    """Add a KPI or a milestone; an invalid one comes back in its form with the problems."""
    item = item_for_manager(request.user, slug, pk)
    form = form_class(request.POST)
    if form.is_valid():
        try:
            create(item=item, actor=request.user, **form.cleaned_data)
        except ValidationError as exc:
            _add_errors(form, exc)
        else:
            return _measures_response(request, item)
    return _measures_response(
        request, item, status=422, problems=_form_problems(form), **{form_key: form}
    )


@access(Policy.MANAGER)
@require_POST
def kpi_add(request: HttpRequest, slug: str, pk: int) -> HttpResponse:
    return _measure_add(request, slug, pk, KpiForm, kpi_create, "kpi_form")


def _kpi(item: AgendaItem, kpi_id: int) -> Kpi:
    kpi = item.kpis.filter(pk=kpi_id).first()
    if kpi is None:
        raise Http404("No such KPI")
    return kpi


@access(Policy.MANAGER)
@require_POST
def kpi_edit(request: HttpRequest, slug: str, pk: int, kpi_id: int) -> HttpResponse:
    """Record a KPI's current value (any phase), change its definition, or delete it."""
    item = item_for_manager(request.user, slug, pk)
    kpi = _kpi(item, kpi_id)
    problems: list[str] = []
    try:
        if request.POST.get("action") == "delete":
            kpi_delete(kpi=kpi, actor=request.user)
        elif "name" in request.POST:
            form: Form = KpiForm(request.POST)
            if form.is_valid():
                kpi_update(kpi=kpi, actor=request.user, **form.cleaned_data)
            else:
                problems = _form_problems(form)
        else:
            form = KpiProgressForm(request.POST)
            if form.is_valid():
                kpi_update(kpi=kpi, actor=request.user, current=form.cleaned_data["current"])
            else:
                problems = _form_problems(form)
    except ValidationError as exc:
        problems = exc.messages
    return _measures_response(request, item, status=422 if problems else 200, problems=problems)


@access(Policy.MANAGER)
@require_POST
def milestone_add(request: HttpRequest, slug: str, pk: int) -> HttpResponse:
    return _measure_add(request, slug, pk, MilestoneForm, milestone_create, "milestone_form")


def _milestone(item: AgendaItem, milestone_id: int) -> Milestone:
    milestone = item.milestones.filter(pk=milestone_id).first()
    if milestone is None:
        raise Http404("No such milestone")
    return milestone


@access(Policy.MANAGER)
@require_POST
def milestone_edit(request: HttpRequest, slug: str, pk: int, milestone_id: int) -> HttpResponse:
    """Mark a milestone done (today) or not done, or delete it."""
    item = item_for_manager(request.user, slug, pk)
    milestone = _milestone(item, milestone_id)
    problems: list[str] = []
    action = request.POST.get("action", "")
    try:
        if action == "delete":
            milestone_delete(milestone=milestone, actor=request.user)
        elif action == "done":
            milestone_update(milestone=milestone, actor=request.user, done_on=timezone.localdate())
        elif action == "undo":
            milestone_update(milestone=milestone, actor=request.user, done_on=None)
        else:
            problems = [_("Unknown action.")]
    except ValidationError as exc:
        problems = exc.messages
    return _measures_response(request, item, status=422 if problems else 200, problems=problems)
