"""Thin views: parse the request, call one service or selector, render."""

from typing import Any

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.cache import never_cache

from clusterhub.core.access import Policy, Role, access, role_of
from clusterhub.registry.selectors import (
    clusters_managed_by,
    clusters_of_person,
    clusters_with_figures,
    directory_totals,
    organizations_of_person,
)


@access(Policy.PUBLIC)
def home(request: HttpRequest) -> HttpResponse:
    """One home page, whose main panel depends on the caller's role."""
    role = role_of(request.user)
    context: dict[str, Any] = {"role": role, "totals": directory_totals()}
    if role == Role.ANONYMOUS:
        context["clusters"] = clusters_with_figures()
    elif role in (Role.MEMBER, Role.ORG_ADMIN):
        context["my_organizations"] = organizations_of_person(request.user)
        context["clusters"] = clusters_with_figures(clusters_of_person(request.user))
    else:
        # Managers see their own clusters; regional officers all of them, as a table.
        context["clusters"] = clusters_with_figures(clusters_managed_by(request.user))
    return render(request, "core/home.html", context)


@never_cache
@access(Policy.PUBLIC)
def healthz(request: HttpRequest) -> HttpResponse:
    """Liveness probe for a proxy or a monitor, and the ceiling view of bench/load.py: the
    whole middleware stack, no database, no template."""
    return HttpResponse("ok", content_type="text/plain; charset=utf-8")
