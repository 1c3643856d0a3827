"""The public agenda: every cluster's current published agenda, a citable page for each
published version and item, its printable layout, PDF, CSV and JSON downloads, and the
comparison of two versions.

Only published versions are shown here, to everyone alike (404 for any other); the
comparison also takes the versions the viewer may read in the cluster (members see the ones
in consultation, managers the drafts), through `version_for`.
"""

from __future__ import annotations

from typing import Any

from django.contrib.auth.models import AnonymousUser
from django.db.models import Count
from django.http import Http404, HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import get_object_or_404, render
from django.utils.translation import gettext as _

from clusterhub.agenda.diff import version_diff
from clusterhub.agenda.exporting import (
    csv_response,
    export_items,
    filename,
    result_rows,
    results_by_item,
    version_record,
    version_results_or_none,
)
from clusterhub.agenda.models import AgendaItem, AgendaVersion, ItemStatus, Phase
from clusterhub.agenda.selectors import (
    current_published_version,
    item_lineage,
    item_progress,
    item_sources,
    item_successors,
    kpi_percent,
    manages,
    version_for,
    versions_visible_to,
)
from clusterhub.core.access import Policy, access
from clusterhub.regions.models import Cluster


def _cluster(slug: str) -> Cluster:
    return get_object_or_404(Cluster, slug=slug)


def _published_versions(cluster: Cluster) -> Any:
    """The cluster's published versions, newest first (what anyone may read)."""
    return versions_visible_to(AnonymousUser(), cluster).order_by("-number")


def published_version(slug: str, number: int) -> AgendaVersion:
    """Published version `number` of the cluster, or 404 (drafts, consultations and approved
    versions are not public, whoever asks)."""
    version = (
        _published_versions(_cluster(slug))
        .select_related("cluster", "based_on")
        .filter(number=number)
        .first()
    )
    if version is None:
        raise Http404("No such published agenda version")
    return version


def _version_context(request: HttpRequest, version: AgendaVersion) -> dict[str, Any]:
    cluster = version.cluster
    current = current_published_version(cluster)
    items = export_items(version, viewer=request.user)
    equal_types = request.GET.get("types") == "equal"
    results = version_results_or_none(version, equal_types=equal_types)
    by_item = {row["item_id"]: row for row in result_rows(results)}
    titles = {item.pk: item for item in items}
    published = list(_published_versions(cluster))
    earlier = [other for other in published if other.number < version.number]
    return {
        "cluster": cluster,
        "version": version,
        "current": current,
        "is_current": current is not None and current.pk == version.pk,
        "rows": [(item, item_progress(item), by_item.get(item.pk)) for item in items],
        "results": results,
        "ranked": [
            (titles[row["item_id"]], row, [score for _kind, _label, score in full.by_kind])
            for row, full in zip(
                result_rows(results), results.items if results else [], strict=True
            )
            if row["item_id"] in titles
        ],
        "equal_types": equal_types,
        "published": published,
        "previous": earlier[0] if earlier else None,
        "may_manage": manages(request.user, cluster),
    }


@access(Policy.PUBLIC)
def agenda_index(request: HttpRequest) -> HttpResponse:
    """Every cluster, with its current published agenda (or none yet)."""
    clusters = list(Cluster.objects.select_related("group").order_by("position", "slug"))
    latest: dict[int, AgendaVersion] = {}
    for version in (
        AgendaVersion.objects.filter(phase=Phase.PUBLISHED)
        .select_related("cluster")
        .order_by("cluster_id", "-number")
    ):
        latest.setdefault(version.cluster_id, version)
    counts = dict(
        AgendaItem.objects.filter(
            version__in=[v.pk for v in latest.values()], status=ItemStatus.ACTIVE
        )
        .values("version_id")
        .annotate(n=Count("id"))
        .values_list("version_id", "n")
    )
    rows = [(cluster, latest.get(cluster.pk)) for cluster in clusters]
    return render(
        request,
        "agenda/public_index.html",
        {
            "with_agenda": [(c, v, counts.get(v.pk, 0)) for c, v in rows if v is not None],
            "without_agenda": [c for c, v in rows if v is None],
        },
    )


@access(Policy.PUBLIC)
def agenda_cluster(request: HttpRequest, slug: str) -> HttpResponse:
    """The cluster's current agenda: its latest published version."""
    cluster = _cluster(slug)
    current = current_published_version(cluster)
    if current is None:
        return render(
            request,
            "agenda/public_none.html",
            {"cluster": cluster, "may_manage": manages(request.user, cluster)},
        )
    version = published_version(slug, current.number)
    return render(request, "agenda/public_version.html", _version_context(request, version))


@access(Policy.PUBLIC)
def agenda_version(request: HttpRequest, slug: str, number: int) -> HttpResponse:
    """A published version's permanent page (it says when a newer one exists)."""
    version = published_version(slug, number)
    return render(request, "agenda/public_version.html", _version_context(request, version))


@access(Policy.PUBLIC)
def agenda_print(request: HttpRequest, slug: str, number: int) -> HttpResponse:
    """The version laid out for paper: every item in full, no navigation."""
    version = published_version(slug, number)
    context = _version_context(request, version)
    context["print_rows"] = [
        (item, progress, result, [(kpi, kpi_percent(kpi)) for kpi in item.kpis.all()])
        for item, progress, result in context["rows"]
    ]
    return render(request, "agenda/public_print.html", context)


@access(Policy.PUBLIC)
def agenda_item(request: HttpRequest, slug: str, number: int, pk: int) -> HttpResponse:
    """An item of a published version: objective, actions, KPIs and milestones, progress,
    the needs and trends behind it, its lineage back to v1 and the consultation's result."""
    version = published_version(slug, number)
    item = get_object_or_404(
        AgendaItem.objects.select_related("version__cluster", "priority_area").prefetch_related(
            "kpis", "milestones"
        ),
        pk=pk,
        version=version,
    )
    published_ids = set(_published_versions(version.cluster).values_list("pk", flat=True))
    lineage = [(step, step.item.version_id in published_ids) for step in item_lineage(item)]
    successors = [link for link in item_successors(item) if link.child.version_id in published_ids]
    context = {
        "cluster": version.cluster,
        "version": version,
        "current": current_published_version(version.cluster),
        "item": item,
        "progress": item_progress(item),
        "kpis": [(kpi, kpi_percent(kpi)) for kpi in item.kpis.all()],
        "milestones": list(item.milestones.all()),
        "lineage": lineage,
        "successors": successors,
        "result": results_by_item(version).get(item.pk),
        **item_sources(item, viewer=request.user),
    }
    return render(request, "agenda/public_item.html", context)


@access(Policy.PUBLIC)
def agenda_csv(request: HttpRequest, slug: str, number: int) -> HttpResponse:
    return csv_response(published_version(slug, number), viewer=request.user)


@access(Policy.PUBLIC)
def agenda_json(request: HttpRequest, slug: str, number: int) -> HttpResponse:
    version = published_version(slug, number)
    record = version_record(
        version, viewer=request.user, absolute=request.build_absolute_uri("/").rstrip("/")
    )
    response = JsonResponse(record, json_dumps_params={"ensure_ascii": False, "indent": 1})
    response["Content-Disposition"] = f'attachment; filename="{filename(version, "json")}"'
    return response


@access(Policy.PUBLIC)
def agenda_pdf(request: HttpRequest, slug: str, number: int) -> HttpResponse:
    from clusterhub.agenda.pdf import version_pdf

    version = published_version(slug, number)
    record = version_record(
        version, viewer=request.user, absolute=request.build_absolute_uri("/").rstrip("/")
    )
    response = HttpResponse(version_pdf(record), content_type="application/pdf")
    response["Content-Disposition"] = f'attachment; filename="{filename(version, "pdf")}"'
    return response


def _number(value: str | None) -> int | None:
    if value is None or value == "":
        return None
    value = value.strip().lstrip("v")
    if not value.isdigit() or len(value) > 9:
        raise ValueError(value)
    return int(value)


@access(Policy.PUBLIC)
def agenda_diff(request: HttpRequest, slug: str) -> HttpResponse:
    """Compare two versions (`from`, `to`: version numbers) the viewer may read; without them,
    the two latest published ones."""
    cluster = _cluster(slug)
    choices = list(versions_visible_to(request.user, cluster).order_by("-number"))
    context: dict[str, Any] = {"cluster": cluster, "choices": choices, "diff": None}
    try:
        first, second = _number(request.GET.get("from")), _number(request.GET.get("to"))
    except ValueError:
        context["error"] = _("Give the versions to compare as numbers, for example 1 and 2.")
        return render(request, "agenda/public_diff.html", context, status=400)
    if first is None and second is None:
        published = [v for v in choices if v.phase == Phase.PUBLISHED]
        if len(published) >= 2:
            first, second = published[1].number, published[0].number
    if first is None or second is None:
        context["error"] = _("Choose two versions to compare.") if len(choices) > 1 else ""
        context["from_number"], context["to_number"] = first, second
        return render(request, "agenda/public_diff.html", context)
    if first == second:
        context["error"] = _("Choose two different versions.")
        context["from_number"], context["to_number"] = first, second
        return render(request, "agenda/public_diff.html", context, status=400)
    old = version_for(request.user, slug, first)
    new = version_for(request.user, slug, second)
    diff = version_diff(old, new)
    context.update(
        {
            "diff": diff,
            "counts": diff.counts,
            "header_changed": any(change.changed for change in diff.header),
            "from_number": first,
            "to_number": second,
        }
    )
    return render(request, "agenda/public_diff.html", context)
