"""API permission cases (tests/api/test_permissions.py) for the privacy operations."""

from collections.abc import Callable
from typing import Any

from clusterhub.core.access import Role

A, M, OA, MG, OF = Role.ANONYMOUS, Role.MEMBER, Role.ORG_ADMIN, Role.MANAGER, Role.OFFICER

MATRIX: list[tuple[str, str, Any, dict[Any, int]]] = [
    ("GET", "/api/me/export", None, {A: 401, M: 200, OA: 200, MG: 200, OF: 200}),
]
IDS: dict[str, Callable[[Any], int]] = {}
