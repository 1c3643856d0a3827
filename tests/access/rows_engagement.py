"""Rows of the access matrix (tests/access/matrix.py) for the engagement routes.

A cluster's engagement is for its managers and the officers (mech answers 404 to the
agrifood manager); an organization's is also for its own people (another one: 404).
"""

from tests.access.rows import (
    AGRIFOOD,
    MANAGERS,
    MANAGERS_OF_MECH,
    MECH,
    MEMBER_ORG,
    OTHER_ORG,
    Row,
)

OWN_MEMBER = lambda w: {"slug": "agrifood", "organization_id": w.member_org.pk}  # noqa: E731
MECH_MEMBER = lambda w: {"slug": "mech", "organization_id": w.other_org.pk}  # noqa: E731
MECH_MEMBER_IN_AGRIFOOD = lambda w: {  # noqa: E731
    "slug": "agrifood",
    "organization_id": w.other_org.pk,
}

HTML: list[Row] = [
    Row("engagement:cluster", "GET", MANAGERS, AGRIFOOD),
    Row("engagement:cluster", "GET", MANAGERS_OF_MECH, MECH, note="mech"),
    Row("engagement:cluster_csv", "GET", MANAGERS, AGRIFOOD),
    Row("engagement:cluster_csv", "GET", MANAGERS_OF_MECH, MECH, note="mech"),
    # The invitation redirects back to the cluster page (sent, or refused with a message).
    Row("engagement:invite", "POST", (302, 403, 403, 302, 302), OWN_MEMBER),
    Row("engagement:invite", "POST", (302, 403, 403, 404, 302), MECH_MEMBER, note="mech"),
    Row(
        "engagement:invite",
        "POST",
        (302, 403, 403, 404, 404),
        MECH_MEMBER_IN_AGRIFOOD,
        note="not a member of that cluster",
    ),
    Row("engagement:organization", "GET", (302, 200, 200, 200, 200), MEMBER_ORG, note="own"),
    Row("engagement:organization", "GET", (302, 404, 404, 404, 200), OTHER_ORG, note="mech"),
]
API: list[Row] = [
    Row("api:engagement_cluster", "GET", (401, 403, 403, 200, 200), AGRIFOOD),
    Row("api:engagement_cluster", "GET", (401, 403, 403, 404, 200), MECH, note="mech"),
    Row(
        "api:engagement_organization",
        "GET",
        (401, 200, 200, 200, 200),
        MEMBER_ORG,
        note="own",
    ),
    Row(
        "api:engagement_organization",
        "GET",
        (401, 404, 404, 404, 200),
        OTHER_ORG,
        note="mech",
    ),
]
