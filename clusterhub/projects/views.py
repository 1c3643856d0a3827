"""Public project pages: the list and a project's page. Thin: parse, call a selector, render."""

from __future__ import annotations

from typing import Any
from urllib.parse import urlencode

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.cache import patch_vary_headers

from clusterhub.core.access import Policy, Role, access, role_of
from clusterhub.projects.forms import ProjectFilterForm
from clusterhub.projects.selectors import (
    participants_for_viewer,
    project_classification,
    project_list_page,
    project_public_get,
    project_totals,
    review_queue,
)

PAGE_SIZE = 25


@access(Policy.PUBLIC)
def project_list(request: HttpRequest) -> HttpResponse:
    form = ProjectFilterForm(request.GET or None)
    filters = form.filters()
    page = project_list_page(filters, page_number=request.GET.get("page"), per_page=PAGE_SIZE)
    role = role_of(request.user)
    context: dict[str, Any] = {
        "form": form,
        "page": page,
        "totals": project_totals(filters),
        "query": urlencode(form.active_params()),
        "page_range": page.paginator.get_elided_page_range(page.number, on_each_side=2),
        "can_import": role == Role.OFFICER,
        "review_count": (
            review_queue(user=request.user).count()
            if role in (Role.MANAGER, Role.OFFICER)
            else None
        ),
    }
    partial = bool(request.htmx) and not request.htmx.history_restore_request
    template = "projects/_project_results.html" if partial else "projects/project_list.html"
    response = render(request, template, context)
    patch_vary_headers(response, ("HX-Request",))
    return response


@access(Policy.PUBLIC)
def project_detail(request: HttpRequest, project_id: int) -> HttpResponse:
    project = project_public_get(project_id=project_id)
    participants = participants_for_viewer(project, request.user)
    context = {
        "project": project,
        "participants": participants,
        "regional": [item for item in participants if item[0].in_region],
        "others": [item for item in participants if not item[0].in_region],
        "cordis_url": f"https://cordis.europa.eu/project/id/{project.cordis_id}",
        "classification": project_classification(project=project, viewer=request.user),
    }
    return render(request, "projects/project_detail.html", context)
