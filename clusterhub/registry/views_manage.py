"""A cluster manager's members page: memberships of their cluster, its people, invitations."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from clusterhub.core.access import Policy, access
from clusterhub.people.forms import InvitationForm, MembershipStatusForm
from clusterhub.people.selectors import cluster_managers, cluster_people, pending_invitations
from clusterhub.registry.models import MembershipStatus
from clusterhub.registry.selectors import (
    cluster_get_for_manager,
    cluster_memberships_for_manager,
    membership_get_for_manager,
)
from clusterhub.registry.services import membership_upsert


@access(Policy.MANAGER)
def members(request: HttpRequest, slug: str) -> HttpResponse:
    cluster = cluster_get_for_manager(user=request.user, slug=slug)
    invite_form = InvitationForm(inviter=request.user, initial={"cluster": cluster})
    return render(
        request,
        "registry/manage/members.html",
        {
            "cluster": cluster,
            "memberships": cluster_memberships_for_manager(cluster=cluster),
            "people": cluster_people(cluster=cluster),
            "managers": cluster_managers(cluster=cluster),
            "invitations": pending_invitations(cluster=cluster),
            "invite_form": invite_form,
        },
    )


@access(Policy.MANAGER)
@require_POST
def membership_status(request: HttpRequest, slug: str, membership_id: int) -> HttpResponseRedirect:
    """Suspend, reactivate or end one membership of a cluster the caller manages."""
    membership = membership_get_for_manager(
        user=request.user, slug=slug, membership_id=membership_id
    )
    form = MembershipStatusForm(request.POST)
    if not form.is_valid():
        problems = "; ".join(m for errors in form.errors.values() for m in errors)
        messages.error(request, f"{membership.organization}: {problems}")
        return redirect("registry_manage:members", slug=slug)
    action = form.cleaned_data["action"]
    status, until = membership.status, membership.until
    if action == MembershipStatusForm.SUSPEND:
        status = MembershipStatus.SUSPENDED
    elif action == MembershipStatusForm.REACTIVATE:
        status, until = MembershipStatus.ACTIVE, None
    else:
        status, until = MembershipStatus.ENDED, form.cleaned_data["until"]
    try:
        membership_upsert(
            organization=membership.organization,
            cluster=membership.cluster,
            role=membership.role,
            status=status,
            since=membership.since,
            until=until,
        )
    except ValidationError as error:
        messages.error(request, f"{membership.organization}: {'; '.join(error.messages)}")
    else:
        messages.success(
            request,
            _("%(organization)s is now %(status)s.")
            % {"organization": membership.organization, "status": MembershipStatus(status).label},
        )
    return redirect("registry_manage:members", slug=slug)
