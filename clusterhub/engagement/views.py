"""Engagement pages: a cluster's funnel and quiet members, an organization's score, the CSV."""

import csv
from typing import Any

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_POST

from clusterhub.core.access import Policy, access
from clusterhub.engagement import scoring
from clusterhub.engagement.selectors import (
    FUNNEL_STAGES,
    PART_LABELS,
    REASON_LABELS,
    ClusterEngagement,
    OrganizationEngagement,
    cluster_engagement,
    cluster_engagement_get,
    cluster_member_get,
    may_read_cluster_engagement,
    organization_engagement_get,
    reengagement_suggestions,
)
from clusterhub.engagement.services import reengagement_invite

QUIET_PER_PAGE = 20

STAGE_COLORS = ("#1b5e9e", "#4f8fc9", "#e39b2d", "#2e9e6b")
STATUS_COLORS = {"active": "#2e9e6b", "cooling": "#e39b2d", "dormant": "#b0413e"}


def _cluster_charts(engagement: ClusterEngagement) -> dict[str, Any]:
    totals = engagement.totals
    stages = [str(label) for _key, label in FUNNEL_STAGES]
    return {
        "funnel": {
            "type": "hbar",
            "y": stages,
            "series": [
                {"name": str(_("Organizations")), "values": totals.stages(), "color": "#1b5e9e"}
            ],
        },
        "by_kind": {
            "type": "hbar",
            "format": "percent",
            "legend": True,
            "y": [row.label for row in engagement.funnel],
            "series": [
                {
                    "name": stages[position],
                    "values": [row.share(row.stages()[position]) or 0 for row in engagement.funnel],
                    "color": STAGE_COLORS[position],
                }
                for position in (1, 2, 3)
            ],
        },
    }


def _parts(engagement: OrganizationEngagement) -> list[dict[str, Any]]:
    return [
        {
            "part": part,
            "label": PART_LABELS[part.key],
        }
        for part in engagement.breakdown.parts
    ]


@access(Policy.MANAGER)
def cluster(request: HttpRequest, slug: str) -> HttpResponse:
    """The cluster's funnel by kind of member, status counts, and the quiet members, each
    with an event, an opportunity and a partner to suggest."""
    engagement = cluster_engagement_get(user=request.user, slug=slug)
    page = Paginator(engagement.quiet, QUIET_PER_PAGE).get_page(request.GET.get("page"))
    active_ids = engagement.active_ids
    quiet = [
        {
            "row": row,
            "suggestions": reengagement_suggestions(
                viewer=request.user,
                cluster=engagement.cluster,
                organization=row.organization,
                active_ids=active_ids,
            ),
        }
        for row in page.object_list
    ]
    context = {
        "engagement": engagement,
        "cluster": engagement.cluster,
        "page": page,
        "quiet": quiet,
        "stages": FUNNEL_STAGES,
        "charts": _cluster_charts(engagement),
        "status_colors": STATUS_COLORS,
        "rules": scoring,
        "votes_available": "votes" in engagement.available,
    }
    return render(request, "engagement/cluster.html", context)


@access(Policy.MANAGER)
@require_POST
def invite(request: HttpRequest, slug: str, organization_id: int) -> HttpResponse:
    """Email a quiet member's people the suggestions shown on the page."""
    cluster_obj, organization = cluster_member_get(
        user=request.user, slug=slug, organization_id=organization_id
    )
    # The same suggestions the page showed (the partner preferably an active member).
    suggestions = reengagement_suggestions(
        viewer=request.user,
        cluster=cluster_obj,
        organization=organization,
        active_ids=cluster_engagement(cluster_obj).active_ids,
    )
    try:
        invitation = reengagement_invite(
            cluster=cluster_obj,
            organization=organization,
            sender=request.user,  # type: ignore[arg-type]
            suggestions=suggestions,
            site_url=request.build_absolute_uri("/"),
        )
    except ValidationError as error:
        for message in error.messages:
            messages.error(request, message)
    else:
        messages.success(
            request,
            ngettext(
                "Invitation sent to %(count)d person of %(name)s.",
                "Invitation sent to %(count)d people of %(name)s.",
                invitation.recipients,
            )
            % {"count": invitation.recipients, "name": organization.name},
        )
    back = reverse("engagement:cluster", args=[cluster_obj.slug])
    page = request.POST.get("page", "")
    query = f"?page={page}" if page.isdigit() else ""
    return redirect(f"{back}{query}#member-{organization.pk}")


@access(Policy.MANAGER)
def cluster_csv(request: HttpRequest, slug: str) -> HttpResponse:
    """Every active member's score, parts and status, as CSV."""
    engagement = cluster_engagement_get(user=request.user, slug=slug)
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    stamp = timezone.localdate().isoformat()
    response["Content-Disposition"] = f'attachment; filename="engagement-{slug}-{stamp}.csv"'
    writer = csv.writer(response)
    keys = [rule.key for rule in scoring.RULES if rule.available]
    writer.writerow(
        [
            "organization_id",
            "name",
            "kind",
            "status",
            "reason",
            "score",
            *[f"{key}_points" for key in keys],
            "profile_freshness_points",
            *[f"{key}_count" for key in keys],
            "last_activity",
        ]
    )
    for row in engagement.rows:
        breakdown = row.breakdown
        writer.writerow(
            [
                row.organization.pk,
                _csv_text(row.organization.name),
                row.organization.kind,
                row.status.value,
                row.reason.value,
                breakdown.total,
                *[breakdown.part(key).points for key in keys],
                breakdown.freshness,
                *[breakdown.part(key).count for key in keys],
                timezone.localtime(row.last_activity_at).date().isoformat()
                if row.last_activity_at
                else "",
            ]
        )
    return response


def _csv_text(value: str) -> str:
    """A cell a spreadsheet will not run as a formula."""
    return "'" + value if value[:1] in ("=", "+", "-", "@", "\t", "\r") else value


@access(Policy.AUTHENTICATED)
def organization(request: HttpRequest, organization_id: int) -> HttpResponse:
    """One organization's score, part by part, and its monthly trend."""
    engagement = organization_engagement_get(user=request.user, organization_id=organization_id)
    history = engagement.history
    charts = {
        "trend": {
            "type": "line",
            "legend": True,
            "x": [point.month.strftime("%Y-%m") for point in history],
            "series": [
                {
                    "name": str(_("Engagement score")),
                    "values": [point.total for point in history],
                    "color": "#1b5e9e",
                },
                {
                    "name": str(_("From activities")),
                    "values": [point.activity for point in history],
                    "color": "#e39b2d",
                },
            ],
        }
    }
    context = {
        "engagement": engagement,
        "organization": engagement.organization,
        "parts": _parts(engagement),
        "charts": charts,
        "rules": scoring,
        "reasons": REASON_LABELS,
        "clusters": may_read_cluster_engagement(request.user, engagement.organization),
        "status_colors": STATUS_COLORS,
    }
    return render(request, "engagement/organization.html", context)
