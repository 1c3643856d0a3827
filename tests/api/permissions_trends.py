"""API permission cases (tests/api/test_permissions.py) for the trends operations.

MATRIX rows are (method, path, body, expected status by role); a {name} in a path or body
is filled by IDS[name](world), where world has member_org, other_org and person (None when
anonymous), and is created only when a case uses it. The member and org admin belong to
agrifood; the manager manages agrifood; mech is another cluster.
"""

from collections.abc import Callable
from typing import Any

from clusterhub.core.access import Role

A, M, OA, MG, OF = Role.ANONYMOUS, Role.MEMBER, Role.ORG_ADMIN, Role.MANAGER, Role.OFFICER

READERS = {A: 401, M: 200, OA: 200, MG: 200, OF: 200}
READERS_OF_MECH = {A: 401, M: 404, OA: 404, MG: 404, OF: 200}


def _cluster(world: Any, own: bool) -> Any:
    organization = world.member_org if own else world.other_org
    return organization.memberships.get().cluster


def _run_id(own: bool) -> Callable[[Any], int]:
    def make(world: Any) -> int:
        from tests.trends.builders import stored_run

        return stored_run(_cluster(world, own)).pk

    return make


def _topic_id(own: bool) -> Callable[[Any], int]:
    def make(world: Any) -> int:
        from tests.trends.builders import topic_of

        return topic_of(_cluster(world, own)).pk

    return make


MATRIX: list[tuple[str, str, Any, dict[Any, int]]] = [
    ("GET", "/api/trends/runs?cluster=agrifood", None, READERS),
    ("GET", "/api/trends/runs?cluster=mech", None, READERS_OF_MECH),
    ("GET", "/api/trends/runs", None, {A: 401, M: 403, OA: 403, MG: 403, OF: 200}),
    # No region run yet: officers hear 404, the others may not read the region's trends.
    ("GET", "/api/trends/latest", None, {A: 401, M: 403, OA: 403, MG: 403, OF: 404}),
    # `run=` only makes the finished run exist (the latest is asked by cluster; extra
    # query parameters are ignored).
    ("GET", "/api/trends/latest?cluster=agrifood&run={own_trend_run}", None, READERS),
    ("GET", "/api/trends/latest?cluster=mech&run={foreign_trend_run}", None, READERS_OF_MECH),
    ("GET", "/api/trends/runs/{own_trend_run}", None, READERS),
    ("GET", "/api/trends/runs/{foreign_trend_run}", None, READERS_OF_MECH),
    ("GET", "/api/trends/topics/{own_trend_topic}", None, READERS),
    ("GET", "/api/trends/topics/{foreign_trend_topic}", None, READERS_OF_MECH),
    (
        "POST",
        "/api/trends/runs",
        {"cluster": "agrifood"},
        {A: 401, M: 403, OA: 403, MG: 202, OF: 202},
    ),
    ("POST", "/api/trends/runs", {"cluster": "mech"}, {A: 401, M: 403, OA: 403, MG: 404, OF: 202}),
    ("POST", "/api/trends/runs", {"cluster": ""}, {A: 401, M: 403, OA: 403, MG: 403, OF: 202}),
    (
        "POST",
        "/api/trends/runs",
        {"cluster": "agrifood", "params": {"min_topic_size": 0}},
        {A: 401, M: 403, OA: 403, MG: 422, OF: 422},
    ),
]
IDS: dict[str, Callable[[Any], int]] = {
    "own_trend_run": _run_id(True),
    "foreign_trend_run": _run_id(False),
    "own_trend_topic": _topic_id(True),
    "foreign_trend_topic": _topic_id(False),
}
