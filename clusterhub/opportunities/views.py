"""Thin views of opportunities: the public feed and archive, one opportunity, the ranking for
the visitor's organization, and the managers' editor and CSV import."""

from typing import Any
from urllib.parse import urlencode

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.cache import patch_vary_headers
from django.utils.translation import gettext as _

from clusterhub.core.access import Policy, access
from clusterhub.opportunities.forms import (
    ImportUploadForm,
    OpportunityFilterForm,
    OpportunityForm,
    PublishContributionForm,
)
from clusterhub.opportunities.importing import (
    ImportRefused,
    check_opportunities_csv,
    import_opportunities_csv,
)
from clusterhub.opportunities.selectors import (
    may_manage_opportunities,
    opportunities_editable_by,
    opportunity_get_for_editor,
    opportunity_list,
    opportunity_public_get,
    organization_for_ranking,
    organizations_ranked_for,
    publishable_contribution_get,
    publishable_contributions,
    ranked_opportunities_for,
)
from clusterhub.opportunities.services import (
    opportunity_create,
    opportunity_publish_contribution,
    opportunity_update,
)

PAGE_SIZE = 20
RANKED_SHOWN = 20


@access(Policy.PUBLIC)
def opportunity_feed(request: HttpRequest) -> HttpResponse:
    form = OpportunityFilterForm(request.GET or None)
    filters = form.filters()
    page = Paginator(opportunity_list(filters), PAGE_SIZE).get_page(request.GET.get("page"))
    context: dict[str, Any] = {
        "form": form,
        "filters": filters,
        "page": page,
        "open_query": urlencode(form.active_params(status="")),
        "archive_query": urlencode(form.active_params(status="archived")),
        "page_query": urlencode(form.active_params()),
        "can_manage": may_manage_opportunities(request.user),
        "publishable": list(publishable_contributions(request.user)[:10]),
        "has_organization": organizations_ranked_for(request.user).exists(),
    }
    partial = bool(request.htmx) and not request.htmx.history_restore_request
    template = "opportunities/_results.html" if partial else "opportunities/list.html"
    response = render(request, template, context)
    patch_vary_headers(response, ("HX-Request",))
    return response


@access(Policy.PUBLIC)
def opportunity_detail(request: HttpRequest, opportunity_id: int) -> HttpResponse:
    opportunity = opportunity_public_get(opportunity_id=opportunity_id)
    can_edit = opportunities_editable_by(request.user).filter(pk=opportunity.pk).exists()
    return render(
        request,
        "opportunities/detail.html",
        {"opportunity": opportunity, "can_edit": can_edit},
    )


@access(Policy.AUTHENTICATED)
def for_me(request: HttpRequest) -> HttpResponse:
    """The open opportunities ranked for one of the visitor's organizations, with why."""
    raw = request.GET.get("organization", "")
    organization = organization_for_ranking(
        user=request.user, organization_id=int(raw) if raw.isdigit() and len(raw) < 19 else None
    )
    ranked = ranked_opportunities_for(organization, limit=RANKED_SHOWN) if organization else []
    return render(
        request,
        "opportunities/for_me.html",
        {
            "organization": organization,
            "organizations": list(organizations_ranked_for(request.user)),
            "ranked": ranked,
        },
    )


def _save(request: HttpRequest, form: OpportunityForm, opportunity: Any = None) -> Any:
    """Run the service; its refusals become form errors. Returns the opportunity or None."""
    try:
        if opportunity is None:
            return opportunity_create(actor=request.user, **form.service_arguments())
        return opportunity_update(
            opportunity=opportunity, actor=request.user, **form.service_arguments()
        )
    except ValidationError as error:
        for field, problems in error.message_dict.items():
            form.add_error(field if field in form.fields else None, problems)
    return None


@access(Policy.MANAGER)
def opportunity_new(request: HttpRequest) -> HttpResponse:
    form = OpportunityForm(request.POST or None, user=request.user)
    if request.method == "POST" and form.is_valid():
        opportunity = _save(request, form)
        if opportunity is not None:
            messages.success(request, _("Opportunity published."))
            return redirect("opportunities:detail", opportunity_id=opportunity.pk)
    return render(request, "opportunities/edit.html", {"form": form, "opportunity": None})


@access(Policy.MANAGER)
def opportunity_edit(request: HttpRequest, opportunity_id: int) -> HttpResponse:
    opportunity = opportunity_get_for_editor(user=request.user, opportunity_id=opportunity_id)
    form = OpportunityForm(request.POST or None, instance=opportunity, user=request.user)
    if request.method == "POST" and form.is_valid():
        saved = _save(request, form, opportunity)
        if saved is not None:
            messages.success(request, _("Opportunity saved."))
            return redirect("opportunities:detail", opportunity_id=saved.pk)
    return render(request, "opportunities/edit.html", {"form": form, "opportunity": opportunity})


@access(Policy.MANAGER)
def opportunity_import(request: HttpRequest) -> HttpResponse:
    """Upload a CSV: check shows every problem (nothing written); import writes all rows."""
    form = ImportUploadForm(request.POST or None, request.FILES or None, user=request.user)
    report = None
    content = ""
    refused = ""
    if request.method == "POST" and form.is_valid():
        cluster = form.cleaned_data["cluster"]
        data = form.data_bytes()
        commit = "commit" in request.POST
        try:
            if commit:
                report = import_opportunities_csv(data, actor=request.user, cluster=cluster)
            else:
                report = check_opportunities_csv(data, actor=request.user, cluster=cluster)
        except ImportRefused as error:
            refused = str(error)
        if report is not None and report.written:
            messages.success(
                request,
                _("Imported: %(created)d new, %(updated)d updated, %(unchanged)d unchanged.")
                % {
                    "created": report.created,
                    "updated": report.updated,
                    "unchanged": report.unchanged,
                },
            )
            return redirect(
                f"{reverse('opportunities:list')}?{urlencode({'cluster': cluster.slug})}"
            )
        if report is not None and report.ok:
            try:
                content = data.decode("utf-8-sig")
            except UnicodeDecodeError:
                content = data.decode("cp1252", errors="replace")
    return render(
        request,
        "opportunities/import.html",
        {"form": form, "report": report, "content": content, "refused": refused},
    )


@access(Policy.MANAGER)
def publish_contribution(request: HttpRequest, contribution_id: int) -> HttpResponse:
    """Make a member's approved financing or internationalization post an opportunity."""
    post = publishable_contribution_get(user=request.user, contribution_id=contribution_id)
    form = PublishContributionForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            opportunity = opportunity_publish_contribution(
                actor=request.user, contribution=post, **form.cleaned_data
            )
        except ValidationError as error:
            for field, problems in error.message_dict.items():
                form.add_error(field if field in form.fields else None, problems)
        else:
            messages.success(request, _("The post is now an opportunity of the feed."))
            return redirect("opportunities:detail", opportunity_id=opportunity.pk)
    return render(request, "opportunities/publish.html", {"form": form, "post": post})
