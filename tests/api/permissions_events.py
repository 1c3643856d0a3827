"""API permission cases (tests/api/test_permissions.py) for the events operations.

MATRIX rows are (method, path, body, expected status by role); a {name} in a path or body
is filled by IDS[name](world), where world has member_org, other_org and person (None when
anonymous), and is created only when a case uses it.
"""

from collections.abc import Callable
from datetime import timedelta
from typing import Any

from clusterhub.core.access import Role

A, M, OA, MG, OF = Role.ANONYMOUS, Role.MEMBER, Role.ORG_ADMIN, Role.MANAGER, Role.OFFICER


def _event(cluster: str, visibility: str = "public") -> Callable[[Any], int]:
    def make(world: Any) -> int:
        from django.utils import timezone

        from clusterhub.events.models import Event
        from clusterhub.regions.models import Cluster

        starts = timezone.now() + timedelta(days=7)
        event = Event.objects.create(
            title=f"{visibility} event of {cluster}",
            kind="workshop",
            visibility=visibility,
            status="published",
            starts_at=starts,
            ends_at=starts + timedelta(hours=2),
        )
        event.clusters.set([Cluster.objects.get(slug=cluster)])
        return event.pk

    return make


def _own_seat(world: Any) -> int:
    """An event where the caller (when signed in) holds a seat."""
    from clusterhub.events.models import Registration

    event_id = _event("agrifood")(world)
    if world.person is not None:
        Registration.objects.create(event_id=event_id, person=world.person)
    return event_id


MATRIX: list[tuple[str, str, Any, dict[Any, int]]] = [
    ("GET", "/api/events", None, dict.fromkeys(Role, 200)),
    ("GET", "/api/events?cluster=mech&past=true", None, dict.fromkeys(Role, 200)),
    ("GET", "/api/events?kind=nonsense", None, dict.fromkeys(Role, 422)),
    ("GET", "/api/events/{public_event}", None, dict.fromkeys(Role, 200)),
    (
        "GET",
        "/api/events/{members_event}",
        None,
        {A: 404, M: 200, OA: 200, MG: 200, OF: 200},
    ),
    (
        "GET",
        "/api/events/{mech_members_event}",
        None,
        {A: 404, M: 404, OA: 404, MG: 404, OF: 200},
    ),
    (
        "POST",
        "/api/events/{public_event}/registration",
        None,
        {A: 401, M: 201, OA: 201, MG: 201, OF: 201},
    ),
    (
        "POST",
        "/api/events/{mech_members_event}/registration",
        None,
        {A: 401, M: 404, OA: 404, MG: 404, OF: 201},
    ),
    (
        "GET",
        "/api/events/{own_seat}/registration",
        None,
        {A: 401, M: 200, OA: 200, MG: 200, OF: 200},
    ),
    (
        "GET",
        "/api/events/{public_event}/registration",
        None,
        {A: 401, M: 404, OA: 404, MG: 404, OF: 404},
    ),
    (
        "DELETE",
        "/api/events/{own_seat}/registration",
        None,
        {A: 401, M: 204, OA: 204, MG: 204, OF: 204},
    ),
    (
        "POST",
        "/api/events/{public_event}/check-in",
        {"code": "NOPE-2345"},
        {A: 401, M: 403, OA: 403, MG: 422, OF: 422},
    ),
    (
        "POST",
        "/api/events/{mech_event}/check-in",
        {"code": "NOPE-2345"},
        {A: 401, M: 403, OA: 403, MG: 404, OF: 422},
    ),
    (
        "GET",
        "/api/events/{public_event}/attendance",
        None,
        {A: 401, M: 403, OA: 403, MG: 200, OF: 200},
    ),
    (
        "GET",
        "/api/events/{mech_event}/attendance",
        None,
        {A: 401, M: 403, OA: 403, MG: 404, OF: 200},
    ),
]
IDS: dict[str, Callable[[Any], int]] = {
    "public_event": _event("agrifood"),
    "members_event": _event("agrifood", "members"),
    "mech_event": _event("mech"),
    "mech_members_event": _event("mech", "members"),
    "own_seat": _own_seat,
}
