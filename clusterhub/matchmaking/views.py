"""Thin views of matchmaking: parse the request, call one selector or service, render."""

from typing import Any
from urllib.parse import urlencode

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.cache import patch_vary_headers
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_POST
from django_htmx.http import push_url

from clusterhub.core.access import Policy, access
from clusterhub.matchmaking.forms import ConsortiumForm, MatchForm, SaveSearchForm
from clusterhub.matchmaking.selectors import (
    MAX_K,
    MatchFilters,
    match_organizations,
    saved_search_get_for_person,
    saved_searches_of,
    similar_organizations,
    suggest_consortium,
)
from clusterhub.matchmaking.services import (
    saved_search_create,
    saved_search_delete,
    saved_search_mark_seen,
    saved_search_new_matches,
)
from clusterhub.regions.models import Cluster, Territory
from clusterhub.registry.models import OrganizationKind
from clusterhub.registry.selectors import organization_public_get

RESULTS_SHOWN = 10  # then 10 more at a time, up to selectors.MAX_K
SAVED_SEARCHES_SHOWN = 20

# Offered on the empty search page.
EXAMPLES = (
    _("compostable materials for food trays with an oxygen barrier"),
    _("predictive maintenance of packaging machines"),
    _("testing of composite materials"),
)


def _partial(request: HttpRequest) -> bool:
    """htmx swaps only the results; a history restore needs the whole page."""
    return bool(request.htmx) and not request.htmx.history_restore_request


def _render_search(
    request: HttpRequest, template: str, partial_template: str, context: dict[str, Any]
) -> HttpResponse:
    partial = _partial(request)
    response = render(request, partial_template if partial else template, context)
    patch_vary_headers(response, ("HX-Request",))
    if partial:
        query = context.get("query_string", "")
        push_url(response, f"{request.path}?{query}" if query else request.path)
    return response


@access(Policy.AUTHENTICATED)
def search(request: HttpRequest) -> HttpResponse:
    form = MatchForm(request.GET or None)
    found = None
    size = RESULTS_SHOWN
    if form.is_bound and form.is_valid() and form.query():
        size = form.size(RESULTS_SHOWN)
        found = match_organizations(
            viewer=request.user, query=form.query(), filters=form.filters(), k=size
        )
    more = ""
    if found and len(found.results) == size and size < MAX_K:
        more = urlencode({**form.active_params(), "k": min(size + RESULTS_SHOWN, MAX_K)})
    context = {
        "more_query": more,
        "form": form,
        "found": found,
        "query_string": urlencode(
            {**form.active_params(), **({"k": size} if size != RESULTS_SHOWN else {})}
        )
        if form.is_bound
        else "",
        "save_params": form.active_params() if form.is_bound else {},
        "examples": [str(example) for example in EXAMPLES],
    }
    return _render_search(
        request, "matchmaking/search.html", "matchmaking/_search_results.html", context
    )


@access(Policy.AUTHENTICATED)
def consortium(request: HttpRequest) -> HttpResponse:
    form = ConsortiumForm(request.GET or None)
    result = None
    if form.is_bound and form.is_valid() and form.cleaned_data["q"]:
        result = suggest_consortium(
            viewer=request.user,
            query=form.cleaned_data["q"],
            roles=form.cleaned_data["roles"],
            province=form.cleaned_data["province"],
            cross_cluster=form.cleaned_data["cross_cluster"],
        )
    query_string = ""
    if form.is_bound:
        query_string = urlencode(
            [(name, value) for name, value in request.GET.lists() for value in value]  # type: ignore[misc]
        )
    context = {"form": form, "consortium": result, "query_string": query_string}
    return _render_search(
        request, "matchmaking/consortium.html", "matchmaking/_consortium_results.html", context
    )


@access(Policy.PUBLIC)
def similar(request: HttpRequest, organization_id: int) -> HttpResponse:
    """Organizations like this one: a block of the profile page (htmx), or a page of its own."""
    results = similar_organizations(viewer=request.user, organization_id=organization_id)
    context: dict[str, Any] = {"results": results, "organization_id": organization_id}
    if _partial(request):
        response = render(request, "matchmaking/_similar.html", context)
    else:
        context["organization"] = organization_public_get(
            organization_id=organization_id, viewer=request.user
        )
        response = render(request, "matchmaking/similar.html", context)
    patch_vary_headers(response, ("HX-Request",))
    return response


@access(Policy.AUTHENTICATED)
def saved(request: HttpRequest) -> HttpResponse:
    """Saved searches, each with its matches new since last time; POST saves a search."""
    if request.method == "POST":
        form = SaveSearchForm(request.POST)
        if form.is_valid():
            saved_search_create(
                person=request.user, query=form.cleaned_data["q"], filters=form.filters()
            )
            messages.success(
                request,
                _("Search saved: new matching organizations will be listed here."),
            )
            return redirect("matchmaking:saved")
        messages.error(request, _("This search could not be saved: describe a need first."))
        return redirect("matchmaking:search")
    searches = list(saved_searches_of(request.user)[:SAVED_SEARCHES_SHOWN])
    entries = [
        {
            "search": search,
            "new": saved_search_new_matches(search, mark_seen=False),
            "run_url": _search_url(search.query, MatchFilters.from_dict(search.filters or {})),
            "filter_labels": _filter_labels(MatchFilters.from_dict(search.filters or {})),
        }
        for search in searches
    ]
    return render(request, "matchmaking/saved.html", {"entries": entries})


def _filter_labels(filters: MatchFilters) -> list[str]:
    """The filters of a saved search in words."""
    labels = []
    if filters.cluster:
        cluster = Cluster.objects.filter(slug=filters.cluster).first()
        labels.append(cluster.name if cluster else filters.cluster)
    if filters.kind:
        labels.append(str(dict(OrganizationKind.choices).get(filters.kind, filters.kind)))
    if filters.province:
        territory = Territory.objects.filter(nuts3=filters.province).first()
        labels.append(territory.name if territory else filters.province)
    if filters.htn is not None:
        labels.append(str(_("Accredited labs only") if filters.htn else _("Not accredited")))
    return labels


def _search_url(query: str, filters: MatchFilters) -> str:
    params = {"q": query, **filters.to_dict()}
    if "htn" in params:
        params["htn"] = "yes" if params["htn"] else "no"
    return "?" + urlencode(params)


@require_POST
@access(Policy.AUTHENTICATED)
def saved_seen(request: HttpRequest, saved_search_id: int) -> HttpResponse:
    search = saved_search_get_for_person(person=request.user, saved_search_id=saved_search_id)
    new = saved_search_new_matches(search, mark_seen=False)
    saved_search_mark_seen(saved_search=search, organization_ids=[r.organization.pk for r in new])
    return redirect("matchmaking:saved")


@require_POST
@access(Policy.AUTHENTICATED)
def saved_delete(request: HttpRequest, saved_search_id: int) -> HttpResponse:
    search = saved_search_get_for_person(person=request.user, saved_search_id=saved_search_id)
    saved_search_delete(saved_search=search)
    messages.success(request, _("The saved search was deleted."))
    return redirect("matchmaking:saved")
