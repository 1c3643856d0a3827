"""The trends pages: the radar of the region and of each cluster, a trend with its evidence,
runs with their progress, a cluster's training needs and reported opportunities, CSV exports.

Who may see what is decided in trends.selectors (404 outside the caller's reach).
"""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import NoReverseMatch, reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from clusterhub.core.access import Policy, access
from clusterhub.regions.models import Cluster
from clusterhub.trends import exports
from clusterhub.trends.documents import scope_snapshot
from clusterhub.trends.forms import RunStartForm
from clusterhub.trends.models import RunStatus, TopicStatus
from clusterhub.trends.selectors import (
    Change,
    can_manage,
    can_start_run,
    change_labels,
    compare_runs,
    latest_done_run,
    members_by_cluster,
    previous_done_run,
    radar_chart,
    region_projects_on,
    related_labs,
    reported_opportunities,
    run_get_for_viewer,
    run_of_scope_get,
    runs_of_scope,
    same_topic_in,
    series_chart,
    topic_evidence,
    topic_get_for_viewer,
    topic_members,
    topic_query,
    topics_of_run,
    training_needs,
    trend_cluster_get,
    trend_cluster_get_for_manager,
    trend_clusters_for,
    visible_organization_ids,
)
from clusterhub.trends.services import trend_run_start


def _radar_url(cluster: Cluster | None, **query: Any) -> str:
    if cluster is None:
        url = reverse("trends:radar")
    else:
        url = reverse("trends:cluster_radar", kwargs={"slug": cluster.slug})
    pairs = [f"{key}={value}" for key, value in query.items() if value not in (None, "")]
    return url + ("?" + "&".join(pairs) if pairs else "")


def _int(value: str | None) -> int | None:
    if value in (None, ""):
        return None
    try:
        number = int(str(value))
    except ValueError:
        raise Http404("No such trend run") from None
    if not 0 < number < 2**63:
        raise Http404("No such trend run")
    return number


def _status_labels() -> dict[str, str]:
    return {value: str(label) for value, label in TopicStatus.choices}


def _radar(
    request: HttpRequest, cluster: Cluster | None, *, form: RunStartForm | None = None
) -> HttpResponse:
    runs = runs_of_scope(cluster)
    run_id, compare_id = _int(request.GET.get("run")), _int(request.GET.get("compare"))
    run = run_of_scope_get(cluster=cluster, run_id=run_id) if run_id else latest_done_run(cluster)
    if run is not None and run.status != RunStatus.DONE:
        run = None
    previous = previous_done_run(run) if run else None
    compared = None
    if run is not None and compare_id:
        compared = run_of_scope_get(cluster=cluster, run_id=compare_id)
        if compared.status != RunStatus.DONE or compared.pk == run.pk:
            compared = None
    topics = topics_of_run(run) if run else []
    comparison = compare_runs(run, compared) if run and compared else None
    changes = {c.topic.pk: c for c in comparison.changes if c.topic} if comparison else {}
    active = next((r for r in runs if r.is_active), None)
    snapshot_changed = bool(run and run.snapshot_hash != scope_snapshot(cluster)["hash"])
    status_labels = _status_labels()
    context = {
        "cluster": cluster,
        "runs": runs,
        "done_runs": [r for r in runs if r.status == RunStatus.DONE],
        "run": run,
        "previous": previous,
        "compared": compared,
        "comparison": comparison,
        "rows": [(topic, changes.get(topic.pk)) for topic in topics],
        "gone": [c for c in comparison.changes if c.change == Change.GONE] if comparison else [],
        "change_labels": change_labels(),
        "change_summary": [
            (key, label, comparison.count(key)) for key, label in change_labels().items()
        ]
        if comparison
        else [],
        "topics": topics,
        "emerging": [t for t in topics if t.status == TopicStatus.EMERGING],
        "active": active,
        "snapshot_changed": snapshot_changed,
        "chart": radar_chart(run, topics, status_labels=status_labels) if run else None,
        "can_start": can_start_run(request.user, cluster),
        "can_manage": can_manage(request.user, cluster),
        "form": form or RunStartForm(initial={"period": run.period if run else "quarter"}),
        "start_url": (
            reverse("trends:region_run_start")
            if cluster is None
            else reverse("trends:cluster_run_start", kwargs={"slug": cluster.slug})
        ),
        "other_clusters": list(trend_clusters_for(request.user)) if cluster is None else [],
    }
    return render(request, "trends/radar.html", context, status=400 if form else 200)


@access(Policy.AUTHENTICATED)
def radar(request: HttpRequest) -> HttpResponse:
    """The region's radar for officers; for others their cluster's (or a choice of them)."""
    if request.user.is_regional_officer:  # type: ignore[union-attr]
        return _radar(request, None)
    clusters = list(trend_clusters_for(request.user))
    if len(clusters) == 1:
        return redirect("trends:cluster_radar", slug=clusters[0].slug)
    return render(request, "trends/choose.html", {"clusters": clusters})


@access(Policy.AUTHENTICATED)
def cluster_radar(request: HttpRequest, slug: str) -> HttpResponse:
    return _radar(request, trend_cluster_get(user=request.user, slug=slug))


def _start(request: HttpRequest, cluster: Cluster | None) -> HttpResponse:
    form = RunStartForm(request.POST)
    if not form.is_valid():
        return _radar(request, cluster, form=form)
    try:
        trend_run_start(
            actor=request.user,
            cluster=cluster,
            period=form.cleaned_data["period"],
            params=form.params(),
        )
    except ValidationError as exc:
        for message in exc.messages:
            form.add_error(None, message)
        return _radar(request, cluster, form=form)
    messages.info(request, _("Trend detection started: this page shows its progress."))
    return redirect(_radar_url(cluster))


@access(Policy.OFFICER)
@require_POST
def region_run_start(request: HttpRequest) -> HttpResponse:
    return _start(request, None)


@access(Policy.MANAGER)
@require_POST
def cluster_run_start(request: HttpRequest, slug: str) -> HttpResponse:
    return _start(request, trend_cluster_get_for_manager(user=request.user, slug=slug))


@access(Policy.AUTHENTICATED)
def run_detail(request: HttpRequest, run_id: int) -> HttpResponse:
    """A run: its status and progress (htmx polls this while it runs), its parameters and
    the data snapshot it read."""
    run = run_get_for_viewer(user=request.user, run_id=run_id)
    if request.htmx:  # type: ignore[attr-defined]
        response = render(request, "trends/_run_status.html", {"active": run})
        if not run.is_active:
            response["HX-Redirect"] = _radar_url(run.cluster, run=run.pk)
        return response
    context = {
        "run": run,
        "cluster": run.cluster,
        "radar_url": _radar_url(run.cluster, run=run.pk),
        "topic_count": run.topics.count(),
    }
    return render(request, "trends/run_detail.html", context)


@access(Policy.AUTHENTICATED)
def run_topics_csv(request: HttpRequest, run_id: int) -> HttpResponse:
    run = run_get_for_viewer(user=request.user, run_id=run_id)
    filename = f"trends-{exports.scope_name(run)}-run{run.pk}.csv"
    return exports.csv_response(  # type: ignore[return-value]
        filename, exports.TOPIC_HEADER, exports.topic_rows(run, topics_of_run(run))
    )


def _evidence_link(document: Any) -> str:
    try:
        if document.project_id:
            return reverse("projects:detail", kwargs={"project_id": document.project_id})
        if document.contribution_id:
            return reverse(
                "contributions:detail", kwargs={"contribution_id": document.contribution_id}
            )
    except NoReverseMatch:
        return ""
    return ""


@access(Policy.AUTHENTICATED)
def topic_detail(request: HttpRequest, topic_id: int) -> HttpResponse:
    """A trend: its documents over time, the evidence, the members behind it, the region's
    projects on the same topic and the labs that match it."""
    topic = topic_get_for_viewer(user=request.user, topic_id=topic_id)
    run = topic.run
    documents = topic_evidence(topic)
    evidence = [(document, _evidence_link(document)) for document in documents]
    region_topic, region_projects = region_projects_on(topic)
    earlier = same_topic_in(topic, previous_done_run(run))
    context = {
        "topic": topic,
        "run": run,
        "cluster": run.cluster,
        "radar_url": _radar_url(run.cluster, run=run.pk),
        "contributions": [(d, link) for d, link in evidence if d.source == "contribution"],
        "projects": [(d, link) for d, link in evidence if d.source == "project"],
        "members": topic_members(topic, viewer=request.user),
        "visible_ids": visible_organization_ids(documents, viewer=request.user),
        "by_cluster": members_by_cluster(topic) if run.cluster_id is None else [],
        "region_topic": region_topic if run.cluster_id is not None else None,
        "region_projects": [(d, _evidence_link(d)) for d in region_projects]
        if run.cluster_id is not None
        else [],
        "earlier": earlier,
        "series": series_chart(topic),
        "series_rows": list(zip(run.periods, topic.counts, strict=False)),
        "labs_query": topic_query(topic),
        "status_label": _status_labels().get(topic.status, topic.status),
    }
    return render(request, "trends/topic_detail.html", context)


@access(Policy.AUTHENTICATED)
def topic_labs(request: HttpRequest, topic_id: int) -> HttpResponse:
    """Labs matching the topic, through matchmaking (loaded after the page, by htmx)."""
    topic = topic_get_for_viewer(user=request.user, topic_id=topic_id)
    try:
        labs = related_labs(topic, viewer=request.user)
        problem = ""
    except Exception:  # the match index may be missing or rebuilding: the page stays useful
        labs, problem = [], _("Matchmaking is not available right now.")
    return render(
        request,
        "trends/_labs.html",
        {"topic": topic, "labs": labs, "problem": problem, "query": topic_query(topic)},
    )


@access(Policy.AUTHENTICATED)
def topic_evidence_csv(request: HttpRequest, topic_id: int) -> HttpResponse:
    topic = topic_get_for_viewer(user=request.user, topic_id=topic_id)
    documents = topic_evidence(topic)
    visible = visible_organization_ids(documents, viewer=request.user)
    filename = f"trend-{exports.scope_name(topic.run)}-topic{topic.pk}-evidence.csv"
    return exports.csv_response(  # type: ignore[return-value]
        filename, exports.EVIDENCE_HEADER, exports.evidence_rows(documents, visible)
    )


@access(Policy.MANAGER)
def cluster_training(request: HttpRequest, slug: str) -> HttpResponse:
    """What the cluster's members ask to learn, grouped by trend (or competence)."""
    cluster = trend_cluster_get_for_manager(user=request.user, slug=slug)
    return render(
        request,
        "trends/training.html",
        {"cluster": cluster, "needs": training_needs(cluster)},
    )


@access(Policy.MANAGER)
def cluster_training_csv(request: HttpRequest, slug: str) -> HttpResponse:
    cluster = trend_cluster_get_for_manager(user=request.user, slug=slug)
    return exports.csv_response(  # type: ignore[return-value]
        f"training-needs-{cluster.slug}.csv",
        exports.TRAINING_HEADER,
        exports.training_rows(training_needs(cluster)),
    )


@access(Policy.MANAGER)
def cluster_opportunities(request: HttpRequest, slug: str) -> HttpResponse:
    """Financing and internationalization opportunities the cluster's members reported."""
    cluster = trend_cluster_get_for_manager(user=request.user, slug=slug)
    return render(
        request,
        "trends/opportunities.html",
        {"cluster": cluster, "opportunities": reported_opportunities(cluster)},
    )


@access(Policy.MANAGER)
def cluster_opportunities_csv(request: HttpRequest, slug: str) -> HttpResponse:
    cluster = trend_cluster_get_for_manager(user=request.user, slug=slug)
    return exports.csv_response(  # type: ignore[return-value]
        f"reported-opportunities-{cluster.slug}.csv",
        exports.OPPORTUNITY_HEADER,
        exports.opportunity_rows(reported_opportunities(cluster)),
    )
