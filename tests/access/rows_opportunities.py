"""Rows of the access matrix (tests/access/matrix.py) for the opportunities routes.

The feed, the archive and each opportunity are public; the ranking is for signed-in people
(their own organizations); managers publish, edit (their clusters' opportunities: 404 for
another cluster's) and import; officers everything."""

from datetime import timedelta

from tests.access.rows import EVERYONE, MANAGERS, SIGNED_IN, Row


def _opportunity(world, slug):
    from django.utils import timezone

    from clusterhub.opportunities.models import Opportunity

    opportunity, created = Opportunity.objects.get_or_create(
        title=f"Call for {slug}",
        defaults={
            "kind": "financing",
            "programme": "Horizon Europe",
            "deadline": timezone.localdate() + timedelta(days=30),
        },
    )
    if created:
        opportunity.clusters.set([getattr(world, slug)])
    return opportunity.pk


def _post(world, slug):
    """An approved financing post of a member of that cluster, not yet an opportunity."""
    from clusterhub.contributions.models import Contribution

    organization = world.member_org if slug == "agrifood" else world.other_org
    post, created = Contribution.objects.get_or_create(
        title=f"Bando segnalato in {slug}",
        defaults={
            "kind": "financing",
            "text": "Un bando utile.",
            "status": "approved",
            "organization": organization,
        },
    )
    if created:
        post.clusters.set([getattr(world, slug)])
    return {"contribution_id": post.pk}


AGRIFOOD_CALL = lambda w: {"opportunity_id": _opportunity(w, "agrifood")}  # noqa: E731
MECH_CALL = lambda w: {"opportunity_id": _opportunity(w, "mech")}  # noqa: E731


def _body(cluster):
    from django.utils import timezone

    return lambda w: {
        "kind": "financing",
        "title": "Bando",
        "programme": "PR FESR",
        "deadline": (timezone.localdate() + timedelta(days=30)).isoformat(),
        "clusters": [cluster],
    }


HTML: list[Row] = [
    Row("opportunities:list", "GET", EVERYONE),
    Row(
        "opportunities:list", "GET", EVERYONE, data=lambda w: {"status": "archived"}, note="archive"
    ),
    Row("opportunities:detail", "GET", EVERYONE, AGRIFOOD_CALL),
    Row("opportunities:for_me", "GET", SIGNED_IN),
    Row("opportunities:new", "GET", MANAGERS),
    Row("opportunities:import", "GET", MANAGERS),
    Row("opportunities:edit", "GET", MANAGERS, AGRIFOOD_CALL),
    Row("opportunities:from_contribution", "GET", MANAGERS, lambda w: _post(w, "agrifood")),
    Row(
        "opportunities:from_contribution",
        "GET",
        (302, 403, 403, 404, 200),
        lambda w: _post(w, "mech"),
        note="mech",
    ),
    Row("opportunities:edit", "GET", (302, 403, 403, 404, 200), MECH_CALL, note="mech"),
]
API: list[Row] = [
    Row("api:list_opportunities", "GET", EVERYONE),
    Row("api:get_opportunity", "GET", EVERYONE, AGRIFOOD_CALL),
    Row("api:ranked_opportunities", "GET", (401, 200, 200, 200, 200)),
    Row("api:create_opportunity", "POST", (401, 403, 403, 201, 201), data=_body("agrifood")),
    Row(
        "api:create_opportunity",
        "POST",
        (401, 403, 403, 422, 201),
        data=_body("mech"),
        note="into mech",
    ),
]
