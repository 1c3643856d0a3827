"""API permission cases (tests/api/test_permissions.py) for the digest operations.

MATRIX rows are (method, path, body, expected status by role); a {name} in a path or body
is filled by IDS[name](world), where world has member_org, other_org and person (None when
anonymous), and is created only when a case uses it.
"""

from collections.abc import Callable
from typing import Any

from clusterhub.core.access import Role

A, M, OA, MG, OF = Role.ANONYMOUS, Role.MEMBER, Role.ORG_ADMIN, Role.MANAGER, Role.OFFICER

MATRIX: list[tuple[str, str, Any, dict[Any, int]]] = [
    ("GET", "/api/digest/preview", None, {A: 401, M: 200, OA: 200, MG: 200, OF: 200}),
]
IDS: dict[str, Callable[[Any], int]] = {}
