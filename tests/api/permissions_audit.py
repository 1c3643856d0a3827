"""API permission cases (tests/api/test_permissions.py) for the audit operations: the trail is
read by regional officers only, and no write method exists on it."""

from collections.abc import Callable
from typing import Any

from clusterhub.core.access import Role

A, M, OA, MG, OF = Role.ANONYMOUS, Role.MEMBER, Role.ORG_ADMIN, Role.MANAGER, Role.OFFICER

OFFICERS = {A: 401, M: 403, OA: 403, MG: 403, OF: 200}

MATRIX: list[tuple[str, str, Any, dict[Any, int]]] = [
    ("GET", "/api/audit", None, OFFICERS),
    ("GET", "/api/audit?action=role.granted&cluster=agrifood", None, OFFICERS),
    (
        "GET",
        "/api/audit?cluster=atlantis",
        None,
        {A: 401, M: 403, OA: 403, MG: 403, OF: 422},
    ),
]
IDS: dict[str, Callable[[Any], int]] = {}
