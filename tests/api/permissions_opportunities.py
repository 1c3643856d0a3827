"""API permission cases (tests/api/test_permissions.py) for the opportunities operations.

MATRIX rows are (method, path, body, expected status by role); a {name} in a path or body
is filled by IDS[name](world), where world has member_org, other_org and person (None when
anonymous), and is created only when a case uses it.
"""

from collections.abc import Callable
from datetime import timedelta
from typing import Any

from clusterhub.core.access import Role

A, M, OA, MG, OF = Role.ANONYMOUS, Role.MEMBER, Role.ORG_ADMIN, Role.MANAGER, Role.OFFICER
EVERYONE = dict.fromkeys(Role, 200)


def _opportunity(world: Any) -> int:
    from django.utils import timezone

    from clusterhub.opportunities.models import Opportunity

    return Opportunity.objects.get_or_create(
        title="A call",
        defaults={
            "kind": "financing",
            "programme": "Horizon Europe",
            "deadline": timezone.localdate() + timedelta(days=30),
        },
    )[0].pk


BODY = {
    "kind": "financing",
    "title": "Bando",
    "programme": "PR FESR",
    "deadline": "2099-12-31",
    "clusters": ["agrifood"],
}

MATRIX: list[tuple[str, str, Any, dict[Any, int]]] = [
    ("GET", "/api/opportunities", None, EVERYONE),
    ("GET", "/api/opportunities?status=archived", None, EVERYONE),
    ("GET", "/api/opportunities/{opportunity}", None, EVERYONE),
    ("GET", "/api/opportunities/for-me", None, {A: 401, M: 200, OA: 200, MG: 200, OF: 200}),
    (
        "GET",
        "/api/opportunities/for-me?organization_id={foreign}",
        None,
        {A: 401, M: 404, OA: 404, MG: 404, OF: 404},
    ),
    ("POST", "/api/opportunities", BODY, {A: 401, M: 403, OA: 403, MG: 201, OF: 201}),
    (
        "POST",
        "/api/opportunities",
        {**BODY, "clusters": ["mech"]},
        {A: 401, M: 403, OA: 403, MG: 422, OF: 201},
    ),
]
IDS: dict[str, Callable[[Any], int]] = {"opportunity": _opportunity}
