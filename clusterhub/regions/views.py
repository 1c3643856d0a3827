"""Thin views: parse the request, call one service or selector, render."""

from itertools import groupby

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.translation import gettext_lazy as _

from clusterhub.core.access import Policy, access
from clusterhub.registry.selectors import (
    cluster_member_breakdown,
    cluster_members_preview,
    cluster_public_get,
    clusters_managed_by,
    clusters_with_figures,
)

MEMBERS_PREVIEW = 12


@access(Policy.PUBLIC)
def cluster_list(request: HttpRequest) -> HttpResponse:
    clusters = list(clusters_with_figures())
    groups = [(group, list(members)) for group, members in groupby(clusters, key=lambda c: c.group)]
    return render(request, "regions/cluster_list.html", {"groups": groups})


@access(Policy.PUBLIC)
def cluster_detail(request: HttpRequest, slug: str) -> HttpResponse:
    cluster = cluster_public_get(slug=slug)
    by_kind, provinces = cluster_member_breakdown(cluster=cluster)
    # Members whose postcode maps to no province come last, under one label.
    by_province = [row for row in provinces if row[0]] + [
        (str(_("Province unknown")), count) for name, count in provinces if not name
    ]
    chart_data = {
        "color": cluster.color,
        "kind": {"labels": [row[0] for row in by_kind], "values": [row[1] for row in by_kind]},
        "province": {
            "labels": [row[0] for row in by_province],
            "values": [row[1] for row in by_province],
        },
    }
    context = {
        "cluster": cluster,
        "by_kind": by_kind,
        "by_province": by_province,
        "province_count": sum(1 for name, _count in provinces if name),
        "chart_data": chart_data,
        "members": cluster_members_preview(
            cluster=cluster, viewer=request.user, limit=MEMBERS_PREVIEW
        ),
        "can_manage": clusters_managed_by(request.user).filter(pk=cluster.pk).exists(),
    }
    return render(request, "regions/cluster_detail.html", context)
