"""Thin views: parse the request, call one service or selector, render."""

from itertools import groupby
from typing import Any
from urllib.parse import urlencode

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.cache import patch_vary_headers
from django.utils.translation import gettext_lazy as _
from django_htmx.http import push_url

from clusterhub.core.access import Policy, Role, access, role_of
from clusterhub.core.pagecache import cached_for_visitors
from clusterhub.regions.models import Competence, S3Theme
from clusterhub.registry.models import Organization
from clusterhub.registry.selectors import (
    organization_directory_page,
    organization_get_for_editor,
    organization_public_get,
    organizations_administered_by,
)
from clusterhub.registry.services import StaleVersionError, organization_update
from clusterhub.registry.web_forms import DirectoryFilterForm, OrganizationEditForm

DIRECTORY_PAGE_SIZE = 25

# Where imported records come from, credited on their profile page.
SOURCE_ATTRIBUTIONS = {
    "htn": _("High Technology Network lab list, ART-ER 2018"),
    "cordis": _("CORDIS project participants, European Commission"),
}


@access(Policy.PUBLIC)
@cached_for_visitors("registry")
def directory(request: HttpRequest) -> HttpResponse:
    form = DirectoryFilterForm(request.GET or None)
    if form.is_bound:
        form.is_valid()
    page = organization_directory_page(
        form.filters(),
        viewer=request.user,
        page_number=request.GET.get("page"),
        per_page=DIRECTORY_PAGE_SIZE,
    )
    query = urlencode(form.active_params())
    context: dict[str, Any] = {
        "form": form,
        "page": page,
        "query": query,
        "page_range": page.paginator.get_elided_page_range(page.number, on_each_side=2),
        "export_csv_url": reverse("registry_export:organizations_csv"),
        "export_json_url": reverse("registry_export:organizations_json"),
    }
    # htmx swaps only the results; a history restore needs the whole page.
    partial = bool(request.htmx) and not request.htmx.history_restore_request
    template = "registry/_directory_results.html" if partial else "registry/directory.html"
    response = render(request, template, context)
    patch_vary_headers(response, ("HX-Request",))
    if partial:
        page_suffix = f"page={page.number}" if page.number > 1 else ""
        clean_query = "&".join(part for part in (query, page_suffix) if part)
        push_url(response, f"{request.path}?{clean_query}" if clean_query else request.path)
    return response


def _by_parent(nodes: list[Competence] | list[S3Theme]) -> list[tuple[Any, list[Any]]]:
    """Taxonomy nodes grouped under their level-1 node, both in taxonomy order."""

    def root(node: Any) -> Any:
        return node.parent or node

    ordered = sorted(nodes, key=lambda n: (root(n).position, root(n).code, n.position, n.code))
    return [
        (group, [node for node in members if node.parent_id is not None])
        for group, members in groupby(ordered, key=root)
    ]


@access(Policy.PUBLIC)
@cached_for_visitors("registry")
def organization_detail(request: HttpRequest, organization_id: int) -> HttpResponse:
    organization = organization_public_get(organization_id=organization_id, viewer=request.user)
    can_edit = (
        request.user.is_authenticated
        and organizations_administered_by(request.user).filter(pk=organization.pk).exists()
    )
    context = {
        "organization": organization,
        "competence_groups": _by_parent(list(organization.competences.all())),
        "s3_theme_groups": _by_parent(list(organization.s3_themes.all())),
        "source_attribution": SOURCE_ATTRIBUTIONS.get(organization.source, ""),
        "can_edit": can_edit,
    }
    return render(request, "registry/organization_detail.html", context)


def _display(organization: Organization, name: str) -> str:
    if name in ("competences", "s3_themes"):
        return ", ".join(node.name for node in getattr(organization, name).all())
    field = Organization._meta.get_field(name)
    if field.choices:
        return str(getattr(organization, f"get_{name}_display")())
    value = getattr(organization, name)
    if isinstance(value, bool):
        return str(_("yes") if value else _("no"))
    return str(value)


def _conflicts(form: OrganizationEditForm, saved: Organization) -> list[tuple[str, str]]:
    """(field label, saved value) for each field whose saved value differs from the user's input."""
    differences = []
    for name, submitted in form.cleaned_data.items():
        if name == "version":
            continue
        current: Any = getattr(saved, name)
        if name in ("competences", "s3_themes"):
            current, submitted = {n.pk for n in current.all()}, {n.pk for n in submitted}
        if current != submitted:
            differences.append((str(form.fields[name].label), _display(saved, name)))
    return differences


@access(Policy.ORG_ADMIN)
def organization_edit(request: HttpRequest, organization_id: int) -> HttpResponse:
    organization = organization_get_for_editor(user=request.user, organization_id=organization_id)
    saved_name = organization.name  # the form writes the user's input onto the instance
    can_accredit = role_of(request.user) == Role.OFFICER
    conflicts: list[tuple[str, str]] = []
    status = 200
    if request.method == "POST":
        form = OrganizationEditForm(request.POST, instance=organization, can_accredit=can_accredit)
        if form.is_valid():
            try:
                organization_update(organization=organization, **form.update_arguments())
            except StaleVersionError as exc:
                saved = organization_public_get(
                    organization_id=organization.pk, viewer=request.user
                )
                conflicts = _conflicts(form, saved)
                # Keep the user's input; saving again deliberately replaces the newer version.
                data = request.POST.copy()
                data["version"] = str(exc.current_version)
                form = OrganizationEditForm(data, instance=saved, can_accredit=can_accredit)
                status = 409
            except ValidationError as exc:
                form.add_error(None, exc)
                status = 400
            else:
                messages.success(request, _("The profile was saved."))
                return redirect("registry:organization_detail", organization_id=organization.pk)
        else:
            status = 400
    else:
        form = OrganizationEditForm(instance=organization, can_accredit=can_accredit)
    context = {
        "organization": organization,
        "saved_name": saved_name,
        "form": form,
        "conflicts": conflicts,
        "stale": status == 409,
    }
    return render(request, "registry/organization_edit.html", context, status=status)
