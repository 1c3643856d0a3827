"""Rows of the access matrix (tests/access/matrix.py) for the contributions routes.

Objects: an approved members-only contribution of agrifood posted by a peer of member_org
(the member may read and endorse it), the same in mech (outside everyone's reach but the
officer's), and a pending one in each cluster (for moderation).
"""

from typing import Any

from tests.access.rows import Row, World

SIGNED_IN = (302, 200, 200, 200, 200)
MANAGERS = (302, 403, 403, 200, 200)


def contribution(world: Any, cluster_slug: str, status: str) -> int:
    """A contribution of `cluster_slug` posted by another member organization of it."""
    from clusterhub.contributions.models import Contribution
    from clusterhub.regions.models import Cluster
    from clusterhub.registry.models import Membership, Organization

    cluster = Cluster.objects.get(slug=cluster_slug)
    peer, _created = Organization.objects.get_or_create(
        name=f"Peer of {cluster_slug}",
        defaults={"normalized_name": f"peer {cluster_slug}", "kind": "firm"},
    )
    Membership.objects.get_or_create(organization=peer, cluster=cluster)
    found, created = Contribution.objects.get_or_create(
        organization=peer,
        title=f"{status} need of {cluster_slug}",
        defaults={"kind": "need", "text": "Cerchiamo un laboratorio.", "status": status},
    )
    if created:
        found.clusters.set([cluster])
    return found.pk


def _id(cluster_slug: str, status: str) -> Any:
    return lambda w: {"contribution_id": contribution(w, cluster_slug, status)}


AGRI = _id("agrifood", "approved")
MECH = _id("mech", "approved")
AGRI_PENDING = _id("agrifood", "pending")
MECH_PENDING = _id("mech", "pending")


def _new(world: World) -> dict[str, Any]:
    from clusterhub.regions.models import Cluster

    return {
        "organization": world.member_org.pk,
        "kind": "need",
        "title": "Imballaggi compostabili",
        "text": "Cerchiamo materiali compostabili per vaschette alimentari.",
        "clusters": [Cluster.objects.get(slug="agrifood").pk],
        "visibility": "members",
        "s3_themes": [],
        "confirmed": "1",
    }


HTML: list[Row] = [
    Row("contributions:list", "GET", (200,) * 5),
    Row("contributions:list", "GET", (200,) * 5, data=lambda w: {"cluster": "mech"}, note="mech"),
    # Managers and officers without an organization get the page that says who may post.
    Row("contributions:create", "GET", SIGNED_IN),
    Row("contributions:create", "POST", (302, 302, 302, 200, 200), data=_new, note="post"),
    Row(
        "contributions:check",
        "POST",
        SIGNED_IN,
        data=lambda w: {"text": "manutenzione predittiva"},
    ),
    Row("contributions:queue", "GET", MANAGERS),
    Row("contributions:detail", "GET", (404, 200, 200, 200, 200), AGRI, note="agrifood"),
    Row("contributions:detail", "GET", (404, 404, 404, 404, 200), MECH, note="mech"),
    Row(
        "contributions:detail",
        "GET",
        (404, 404, 404, 200, 200),
        AGRI_PENDING,
        note="pending, of a peer",
    ),
    # Endorsing redirects back with a message; who may endorse is tested in
    # tests/contributions (managers and officers have no organization to endorse with).
    Row("contributions:endorse", "POST", (302,) * 5, AGRI, note="agrifood"),
    Row("contributions:endorse", "POST", (302, 404, 404, 404, 302), MECH, note="mech"),
    Row(
        "contributions:comment",
        "POST",
        (302,) * 5,
        AGRI,
        lambda w: {"text": "Interessa anche a noi."},
        note="agrifood",
    ),
    Row(
        "contributions:comment",
        "POST",
        (302, 404, 404, 404, 302),
        MECH,
        lambda w: {"text": "Interessa anche a noi."},
        note="mech",
    ),
    Row(
        "contributions:moderate",
        "POST",
        (302, 403, 403, 302, 302),
        AGRI_PENDING,
        lambda w: {"action": "approve"},
        note="agrifood",
    ),
    Row(
        "contributions:moderate",
        "POST",
        (302, 403, 403, 404, 302),
        MECH_PENDING,
        lambda w: {"action": "approve"},
        note="mech",
    ),
]

API: list[Row] = [
    Row("api:list_contributions", "GET", (200,) * 5),
    Row("api:get_contribution", "GET", (404, 200, 200, 200, 200), AGRI, note="agrifood"),
    Row("api:get_contribution", "GET", (404, 404, 404, 404, 200), MECH, note="mech"),
    Row(
        "api:check_contribution",
        "POST",
        (401, 200, 200, 200, 200),
        data=lambda w: {"text": "manutenzione predittiva", "clusters": ["agrifood"]},
    ),
    Row(
        "api:create_contribution",
        "POST",
        (401, 201, 201, 403, 403),
        data=lambda w: {
            "kind": "need",
            "title": "Imballaggi compostabili",
            "text": "Cerchiamo materiali compostabili per vaschette alimentari.",
            "clusters": ["agrifood"],
            "s3_themes": [],
            "competences": [],
        },
    ),
    Row("api:endorse_contribution", "POST", (401, 201, 201, 403, 403), AGRI, note="agrifood"),
    Row("api:endorse_contribution", "POST", (401, 404, 404, 404, 403), MECH, note="mech"),
    Row("api:withdraw_endorsement", "DELETE", (401, 204, 204, 204, 204), AGRI),
    Row(
        "api:comment_contribution",
        "POST",
        (401, 201, 201, 201, 201),
        AGRI,
        lambda w: {"text": "Interessa anche a noi."},
        note="agrifood",
    ),
    Row(
        "api:comment_contribution",
        "POST",
        (401, 404, 404, 404, 201),
        MECH,
        lambda w: {"text": "Interessa anche a noi."},
        note="mech",
    ),
    Row(
        "api:moderate_contribution",
        "POST",
        (401, 403, 403, 200, 200),
        AGRI_PENDING,
        lambda w: {"action": "approve"},
        note="agrifood",
    ),
    Row(
        "api:moderate_contribution",
        "POST",
        (401, 403, 403, 404, 200),
        MECH_PENDING,
        lambda w: {"action": "approve"},
        note="mech",
    ),
]
