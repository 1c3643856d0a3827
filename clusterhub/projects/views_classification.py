"""Managers confirm or reject the clusters and S3 themes suggested for a project."""

from __future__ import annotations

from django import forms
from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_POST

from clusterhub.core.access import Policy, access
from clusterhub.projects.classification import (
    organization_suggestions,
    project_cluster_decide,
    project_theme_decide,
)
from clusterhub.projects.selectors import project_classification, project_public_get
from clusterhub.regions.models import Cluster, S3Theme
from clusterhub.registry.selectors import organization_get_for_editor


class ClassificationDecisionForm(forms.Form):
    kind = forms.ChoiceField(choices=[("cluster", "cluster"), ("theme", "theme")])
    code = forms.CharField(max_length=64)
    decision = forms.ChoiceField(choices=[("keep", "keep"), ("reject", "reject")])


@access(Policy.MANAGER)
@require_POST
def decide(request: HttpRequest, project_id: int) -> HttpResponse:
    project = project_public_get(project_id=project_id)
    form = ClassificationDecisionForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Choose a cluster or theme, and confirm or reject it."))
        return redirect("projects:detail", project_id=project.pk)
    data = form.cleaned_data
    keep = data["decision"] == "keep"
    allowed = project_classification(project=project, viewer=request.user)
    if data["kind"] == "cluster":
        cluster = get_object_or_404(Cluster, slug=data["code"])
        if cluster.pk not in allowed.decidable_cluster_ids:
            raise Http404("No such cluster")  # another cluster's decision is not this manager's
        project_cluster_decide(project=project, cluster=cluster, keep=keep)
        name = cluster.name
    else:
        theme = get_object_or_404(S3Theme, code=data["code"], level=2)
        project_theme_decide(project=project, theme=theme, keep=keep)
        name = theme.name
    message = _("%(name)s confirmed.") if keep else _("%(name)s rejected.")
    messages.success(request, message % {"name": name})
    return redirect("projects:detail", project_id=project.pk)


@access(Policy.ORG_ADMIN)
def organization_suggestions_block(request: HttpRequest, organization_id: int) -> HttpResponse:
    """Clusters and S3 themes suggested from a profile, loaded into its edit page by htmx."""
    organization = organization_get_for_editor(user=request.user, organization_id=organization_id)
    context = {"organization": organization, **organization_suggestions(organization)}
    return render(request, "projects/_organization_suggestions.html", context)
