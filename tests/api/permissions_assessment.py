"""API permission cases (tests/api/test_permissions.py) for the assessment operations.

MATRIX rows are (method, path, body, expected status by role); a {name} in a path or body
is filled by IDS[name](world), where world has member_org, other_org and person (None when
anonymous), and is created only when a case uses it.
"""

from collections.abc import Callable
from typing import Any

from clusterhub.core.access import Role

A, M, OA, MG, OF = Role.ANONYMOUS, Role.MEMBER, Role.ORG_ADMIN, Role.MANAGER, Role.OFFICER


def _assessment(slug: str, year: int, status: str) -> Callable[[Any], int]:
    def make(world: Any) -> int:
        from tests.access.rows_assessment import assessment

        return assessment(world, slug, year, status)

    return make


MATRIX: list[tuple[str, str, Any, dict[Any, int]]] = [
    (
        "GET",
        "/api/clusters/agrifood/assessments",
        None,
        {A: 401, M: 200, OA: 200, MG: 200, OF: 200},
    ),
    ("GET", "/api/clusters/mech/assessments", None, {A: 401, M: 200, OA: 200, MG: 200, OF: 200}),
    (
        "GET",
        "/api/assessments/{agrifood_draft}",
        None,
        {A: 401, M: 404, OA: 404, MG: 200, OF: 200},
    ),
    ("GET", "/api/assessments/{mech_draft}", None, {A: 401, M: 404, OA: 404, MG: 404, OF: 200}),
    (
        "GET",
        "/api/assessments/{mech_published}",
        None,
        {A: 401, M: 200, OA: 200, MG: 200, OF: 200},
    ),
    ("GET", "/api/assessment/compare", None, {A: 401, M: 403, OA: 403, MG: 403, OF: 200}),
    (
        "GET",
        "/api/assessment/compare?cluster=agrifood&cluster=mech",
        None,
        {A: 401, M: 403, OA: 403, MG: 403, OF: 200},
    ),
]
IDS: dict[str, Callable[[Any], int]] = {
    "agrifood_draft": _assessment("agrifood", 2024, "draft"),
    "mech_draft": _assessment("mech", 2024, "draft"),
    "mech_published": _assessment("mech", 2023, "published"),
}
